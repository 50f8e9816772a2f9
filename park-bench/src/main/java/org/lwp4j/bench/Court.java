package org.lwp4j.bench;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lwp4j.Lwp;
import org.lwp4j.ParkResult;
import org.openjdk.jmh.infra.Control;

/**
 * Two players passing one ball: the ping-pong used by {@link PingPongBench} and
 * {@link CrowdBench}, with one {@link Side} per wake-up mechanism.
 */
final class Court {
    /*
     * The ball. `turn` names the player (0 or 1) that holds it; only the holder writes it, to
     * the other player's number, then wakes the other player. A player waits for the ball by
     * parking in a loop that re-reads `turn`, so stale permits and early returns are harmless
     * (they are counted as spurious wake-ups). Every variant keeps this one protocol, so the
     * three mechanisms are measured doing the same work; SynchronousQueue has no separate ball
     * (the queue transfer is the ball), so its side keeps its own phase instead.
     *
     * One operation (rally) of either player: make sure it holds the ball, pass it, wait until
     * it comes back. In steady state that is one full round trip for each player.
     *
     * Escape hatch (JMH sample 18): when an iteration ends, one player leaves the benchmark
     * loop while the other may be waiting for a ball that will not come. JMH sets
     * Control.stopMeasurement (one object for all threads of an iteration) as soon as a thread
     * leaves its measured loop. Every wait checks it before it parks, and parks with a deadline
     * (ESCAPE_NANOS), so a stranded player notices the end within that time; after the flag is
     * up, waits no longer park at all. Waits never give up while the measurement runs, and an
     * abandoned rally keeps the protocol consistent: the ball is only ever in `turn`, so the
     * next rally resumes where the last one stopped. The NetBSD form with no deadline
     * (Lwp.FOREVER) cannot be used: once the partner has left, nothing would unpark the
     * stranded player, and JMH's own interrupt comes only after its iteration time-out
     * (minutes). The extra pairs of PingPongBench use a Control of their own as the stop flag.
     *
     * The lwp4j deadline is absolute; reading the clock for each park would add a clock read
     * to every round trip of the LWP variants only. So each side keeps one deadline and renews
     * it only after a park answers TIMED_OUT: an expired deadline costs one immediate
     * TIMED_OUT per ESCAPE_NANOS, not a clock read per park. (The sleep table still reads the
     * clock once on entry to a timed park: that is the cost of the timed form.)
     */
    static final long ESCAPE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    static final String LWP_HANDOFF = "lwpHandoff";
    static final String LWP_UNPARK = "lwpUnpark";
    static final String LOCK_SUPPORT = "lockSupport";
    static final String SYNCHRONOUS_QUEUE = "synchronousQueue";

    /** The player holding the ball (0 or 1). */
    volatile int turn;

    /** SynchronousQueue variant: toPlayer[i] carries the ball to player i. */
    @SuppressWarnings("unchecked")
    final SynchronousQueue<Object>[] toPlayer = new SynchronousQueue[] {new SynchronousQueue<>(), new SynchronousQueue<>()};

    // Registration, guarded by this.
    private final int[] lids = new int[2];
    private final Thread[] threads = new Thread[2];
    private int joined;

    private final String name;

    Court(String name) {
        this.name = name;
    }

    static boolean needsLwp(String impl) {
        return impl.startsWith("lwp");
    }

    /**
     * Join as the next player (the first holds the ball), wait until the partner has joined too,
     * and answer this player's side for {@code impl}.
     *
     * @param lid the caller's LWP id, or 0 when the caller is not an LWP
     */
    Side enter(String impl, int lid, long timeoutNanos) throws InterruptedException {
        int me;
        synchronized (this) {
            if (joined == 2) {
                throw new IllegalStateException(name + ": a third player");
            }
            me = joined++;
            lids[me] = lid;
            threads[me] = Thread.currentThread();
            notifyAll();
            long deadline = System.nanoTime() + timeoutNanos;
            while (joined < 2) {
                long rem = deadline - System.nanoTime();
                if (rem <= 0) {
                    throw new IllegalStateException(name + ": the partner never joined");
                }
                TimeUnit.NANOSECONDS.timedWait(this, rem);
            }
        }
        int other = 1 - me;
        switch (impl) {
            case LWP_HANDOFF:
                return new LwpHandoff(this, me, lids[other]);
            case LWP_UNPARK:
                return new LwpUnpark(this, me, lids[other]);
            case LOCK_SUPPORT:
                return new Raw(this, me, threads[other]);
            case SYNCHRONOUS_QUEUE:
                return new Queue(this, me);
            default:
                throw new IllegalArgumentException("impl " + impl);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** One player's way of passing the ball and waiting for it. */
    abstract static class Side {
        final Court court;
        final int me, other;

        Side(Court court, int me) {
            this.court = court;
            this.me = me;
            this.other = 1 - me;
        }

        /**
         * Pass the ball and wait until it is back. Answers false if the rally was abandoned
         * because {@code control} says the measurement has stopped.
         */
        abstract boolean rally(Control control, Wakeups w) throws InterruptedException;
    }

    /** Base of the two lwp4j sides: a timed park loop with the lazily renewed deadline. */
    abstract static class LwpSide extends Side {
        final int partner;
        long deadline;

        LwpSide(Court court, int me, int partner) {
            super(court, me);
            this.partner = partner;
            this.deadline = System.nanoTime() + ESCAPE_NANOS;
        }

        /** Account for one park outcome; renew the deadline after a time-out. */
        final void note(ParkResult r, Wakeups w) {
            if (r == ParkResult.TIMED_OUT) {
                w.timeouts++;
                deadline = System.nanoTime() + ESCAPE_NANOS;
            } else if (r == ParkResult.INTERRUPTED) {
                w.interrupts++;
            } else if (court.turn != me) {
                w.spurious++;
            }
        }

        /** Wait for the ball; false if the measurement stopped first. */
        final boolean await(Control control, Wakeups w) {
            Court k = court;
            while (k.turn != me) {
                if (control.stopMeasurement) {
                    return false;
                }
                note(Lwp.parkUntil(deadline, k), w);
            }
            return true;
        }
    }

    /** {@code Lwp.park(deadline, partner, hint, hint)}: unpark the partner and sleep, one call. */
    static final class LwpHandoff extends LwpSide {
        LwpHandoff(Court court, int me, int partner) {
            super(court, me, partner);
        }

        @Override
        boolean rally(Control control, Wakeups w) {
            Court k = court;
            if (k.turn != me && !await(control, w)) {
                return false;
            }
            k.turn = other;
            note(Lwp.park(deadline, partner, k, k), w);
            return await(control, w);
        }
    }

    /** {@code Lwp.unpark(partner, hint)}, then {@code Lwp.parkUntil(deadline, hint)}. */
    static final class LwpUnpark extends LwpSide {
        LwpUnpark(Court court, int me, int partner) {
            super(court, me, partner);
        }

        @Override
        boolean rally(Control control, Wakeups w) {
            Court k = court;
            if (k.turn != me && !await(control, w)) {
                return false;
            }
            k.turn = other;
            Lwp.unpark(partner, k);
            return await(control, w);
        }
    }

    /** Baseline: {@code LockSupport.unpark(partner)}, then {@code LockSupport.parkNanos}. */
    static final class Raw extends Side {
        final Thread partner;

        Raw(Court court, int me, Thread partner) {
            super(court, me);
            this.partner = partner;
        }

        private boolean await(Control control, Wakeups w) {
            Court k = court;
            while (k.turn != me) {
                if (control.stopMeasurement) {
                    return false;
                }
                LockSupport.parkNanos(k, ESCAPE_NANOS);
                if (k.turn != me) {
                    w.spurious++;
                }
            }
            return true;
        }

        @Override
        boolean rally(Control control, Wakeups w) {
            Court k = court;
            if (k.turn != me && !await(control, w)) {
                return false;
            }
            k.turn = other;
            LockSupport.unpark(partner);
            return await(control, w);
        }
    }

    /**
     * Baseline: a {@link SynchronousQueue} each way. Player 0 starts by sending, player 1 by
     * receiving; each rally is two completed steps (send and receive, in the player's order).
     * Timed offer/poll are the escape hatch (untimed, non-blocking ones once the measurement
     * has stopped); an abandoned step is retried by the next rally.
     */
    static final class Queue extends Side {
        private static final Object BALL = "ball";
        private final SynchronousQueue<Object> out, in;
        private boolean sending;

        Queue(Court court, int me) {
            super(court, me);
            this.out = court.toPlayer[other];
            this.in = court.toPlayer[me];
            this.sending = me == 0;
        }

        @Override
        boolean rally(Control control, Wakeups w) throws InterruptedException {
            for (int steps = 0; steps < 2; ) {
                boolean done;
                if (control.stopMeasurement) {
                    done = sending ? out.offer(BALL) : in.poll() != null;
                    if (!done) {
                        return false;
                    }
                } else {
                    done = sending
                            ? out.offer(BALL, ESCAPE_NANOS, TimeUnit.NANOSECONDS)
                            : in.poll(ESCAPE_NANOS, TimeUnit.NANOSECONDS) != null;
                }
                if (done) {
                    sending = !sending;
                    steps++;
                } else {
                    w.timeouts++;
                }
            }
            return true;
        }
    }
}
