package org.lwp4j.bench;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Exchanger;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
     * mechanisms are measured doing the same work; the queues and the Exchanger have no
     * separate ball (the transfer is the ball), so their sides keep their own phase instead.
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
     * The LockSupport-based sides park with parkNanos(ESCAPE_NANOS) or, like lwp4j, with the
     * lazily renewed deadline (policyCopy); the queues and the Exchanger use their timed forms,
     * and after the flag is up their untimed non-blocking forms (or a zero timeout).
     *
     * The lwp4j deadline is absolute; reading the clock for each park would add a clock read
     * to every round trip of the LWP variants only. So each side keeps one deadline and renews
     * it only after a park answers TIMED_OUT: an expired deadline costs one immediate
     * TIMED_OUT per ESCAPE_NANOS, not a clock read per park. (The sleep table still reads the
     * clock once on entry to a timed park: that is the cost of the timed form.)
     */
    static final long ESCAPE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    static final String LWP_HANDOFF = "lwpHandoff";
    static final String LWP_AWAIT = "lwpAwait";
    static final String LWP_UNPARK = "lwpUnpark";
    static final String LOCK_SUPPORT = "lockSupport";
    static final String SYNCHRONOUS_QUEUE = "synchronousQueue";
    static final String POLICY_COPY = "policyCopy";
    static final String SPIN_THEN_PARK = "spinThenPark";
    static final String EXCHANGER = "exchanger";
    static final String TRANSFER_QUEUE = "transferQueue";
    static final String OWN_WORD = "ownWord";
    static final String OWN_WORD_CAS = "ownWordCas";

    /** The plain spin-then-park's spin, in nanoseconds (issue 13: 50 us, as lwp4j's longest). */
    static final long PLAIN_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /** The player holding the ball (0 or 1). */
    volatile int turn;

    /** SynchronousQueue variant: toPlayer[i] carries the ball to player i. */
    @SuppressWarnings("unchecked")
    final SynchronousQueue<Object>[] toPlayer = new SynchronousQueue[] {new SynchronousQueue<>(), new SynchronousQueue<>()};
    /** LinkedTransferQueue variant: transferTo[i] carries the ball to player i. */
    @SuppressWarnings("unchecked")
    final LinkedTransferQueue<Object>[] transferTo = new LinkedTransferQueue[] {new LinkedTransferQueue<>(), new LinkedTransferQueue<>()};
    /** Exchanger variant: both players swap the ball here. */
    final Exchanger<Object> exchanger = new Exchanger<>();

    // Registration, guarded by this.
    private final int[] lids = new int[2];
    private final Thread[] threads = new Thread[2];
    private final PolicyPark.Sleeper[] sleepers = new PolicyPark.Sleeper[2];
    private final Word[] words = new Word[2];
    private int joined;

    private final String name;
    /** The policyCopy players' shared counters: every player that competes for the cores. */
    private final PolicyPark policy;

    Court(String name) {
        this(name, new PolicyPark(2));
    }

    Court(String name, PolicyPark policy) {
        this.name = name;
        this.policy = policy;
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
            sleepers[me] = policy.sleeper();
            words[me] = new Word();
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
            case LWP_AWAIT:
                return new LwpAwait(this, me, lids[other]);
            case LWP_UNPARK:
                return new LwpUnpark(this, me, lids[other]);
            case LOCK_SUPPORT:
                return new Raw(this, me, threads[other]);
            case SYNCHRONOUS_QUEUE:
                return new Queue(this, me, toPlayer[other], toPlayer[me], false);
            case POLICY_COPY:
                return new Policy(this, me, sleepers[me], sleepers[other]);
            case SPIN_THEN_PARK:
                return new SpinThenPark(this, me, threads[other]);
            case EXCHANGER:
                return new Exchange(this, me);
            case OWN_WORD:
                return new OwnWord(this, me, words[me], words[other], threads[other], false);
            case OWN_WORD_CAS:
                return new OwnWord(this, me, words[me], words[other], threads[other], true);
            case TRANSFER_QUEUE:
                return new Queue(this, me, transferTo[other], transferTo[me], true);
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

    /**
     * The ball protocol, written once for every side that passes {@code turn}: make sure this
     * player holds the ball, give it to the partner ({@link #pass}), wait until it is back.
     * A side names how it wakes the partner and how it sleeps once ({@link #sleep}); the wait
     * loop re-reads the ball after every sleep and gives up once the measurement has stopped.
     */
    abstract static class BallSide extends Side {
        BallSide(Court court, int me) {
            super(court, me);
        }

        /** The ball is the partner's now: wake it (and, for a hand-off, sleep once). */
        abstract void pass(Wakeups w);

        /** Sleep once, bounded by the escape hatch, and count an early or failed wake-up. */
        abstract void sleep(Wakeups w);

        @Override
        final boolean rally(Control control, Wakeups w) {
            Court k = court;
            if (k.turn != me && !await(control, w)) {
                return false;
            }
            k.turn = other;
            pass(w);
            return await(control, w);
        }

        /** Wait for the ball; false if the measurement stopped first. */
        boolean await(Control control, Wakeups w) {
            Court k = court;
            while (k.turn != me) {
                if (control.stopMeasurement) {
                    return false;
                }
                sleep(w);
            }
            return true;
        }
    }

    /**
     * Base of the sides that park with an absolute deadline (the two lwp4j sides and
     * {@link Policy}): the lazily renewed deadline and the accounting of a park's outcome.
     */
    abstract static class DeadlineSide extends BallSide {
        long deadline;

        DeadlineSide(Court court, int me) {
            super(court, me);
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
    }

    /** Base of the two lwp4j sides: {@code Lwp.parkUntil(deadline, court)} is the sleep. */
    abstract static class LwpSide extends DeadlineSide {
        final int partner;

        LwpSide(Court court, int me, int partner) {
            super(court, me);
            this.partner = partner;
        }

        @Override
        final void sleep(Wakeups w) {
            note(Lwp.parkUntil(deadline, court), w);
        }
    }

    /** {@code Lwp.park(deadline, partner, hint, hint)}: unpark the partner and sleep, one call. */
    static final class LwpHandoff extends LwpSide {
        LwpHandoff(Court court, int me, int partner) {
            super(court, me, partner);
        }

        @Override
        void pass(Wakeups w) {
            Court k = court;
            note(Lwp.park(deadline, partner, k, k), w);
        }
    }

    /**
     * {@code Lwp.await(ready, deadline, partner, hint)}: unpark the partner and wait until the
     * ball is back, one call whose spin reads the ball itself (ready is {@code turn == me},
     * made once per side). The await only returns once the ball is here (or at the escape
     * hatch's deadline, or interrupted), so the wait loop of BallSide finds it at once.
     */
    static final class LwpAwait extends DeadlineSide {
        final int partner;
        final java.util.function.BooleanSupplier mine;

        LwpAwait(Court court, int me, int partner) {
            super(court, me);
            this.partner = partner;
            this.mine = () -> court.turn == me;
        }

        @Override
        void pass(Wakeups w) {
            note(Lwp.await(mine, deadline, partner, court), w);
        }

        @Override
        void sleep(Wakeups w) {
            note(Lwp.await(mine, deadline, 0, court), w);
        }
    }

    /** {@code Lwp.unpark(partner, hint)}, then {@code Lwp.parkUntil(deadline, hint)}. */
    static final class LwpUnpark extends LwpSide {
        LwpUnpark(Court court, int me, int partner) {
            super(court, me, partner);
        }

        @Override
        void pass(Wakeups w) {
            Lwp.unpark(partner, court);
        }
    }

    /** Baseline: {@code LockSupport.unpark(partner)}, then {@code LockSupport.parkNanos}. */
    static class Raw extends BallSide {
        final Thread partner;

        Raw(Court court, int me, Thread partner) {
            super(court, me);
            this.partner = partner;
        }

        @Override
        final void pass(Wakeups w) {
            LockSupport.unpark(partner);
        }

        @Override
        final void sleep(Wakeups w) {
            Court k = court;
            LockSupport.parkNanos(k, ESCAPE_NANOS);
            if (k.turn != me) {
                w.spurious++;
            }
        }
    }

    /**
     * Peer: lwp4j's park policy copied onto LockSupport ({@link PolicyPark}), in the hand-off
     * form of {@link LwpHandoff}: wake the partner's sleeper, then park on this one, with the
     * same lazily renewed deadline. What it lacks against lwpHandoff is the rest of lwp4j.
     */
    static final class Policy extends DeadlineSide {
        final PolicyPark.Sleeper mine, partner;

        Policy(Court court, int me, PolicyPark.Sleeper mine, PolicyPark.Sleeper partner) {
            super(court, me);
            this.mine = mine;
            this.partner = partner;
        }

        @Override
        void pass(Wakeups w) {
            partner.unpark();
            sleep(w);
        }

        @Override
        void sleep(Wakeups w) {
            note(mine.park(court, deadline), w);
        }
    }

    /**
     * Peer: the plain spin-then-park of issue 13, what a user writes without a park word. Wait
     * for the ball with {@code Thread.onSpinWait} for up to {@link #PLAIN_SPIN_NANOS} (the clock
     * read after every pause), then as {@link Raw} in {@code LockSupport.parkNanos}; pass it
     * with {@code LockSupport.unpark(partner)} every time, parked or not (a stale permit is
     * counted as a spurious wake-up). It spins whatever the load.
     */
    static final class SpinThenPark extends Raw {
        SpinThenPark(Court court, int me, Thread partner) {
            super(court, me, partner);
        }

        @Override
        boolean await(Control control, Wakeups w) {
            Court k = court;
            long start = System.nanoTime();
            while (k.turn != me && System.nanoTime() - start < PLAIN_SPIN_NANOS) {
                Thread.onSpinWait();
            }
            return super.await(control, w);
        }
    }

    /** A player's own wake-up word ({@link OwnWord}), allocated by that player. */
    static final class Word {
        private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<Word> UP =
                java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(Word.class, "up");
        volatile int up;

        /** Set the word: a volatile store, or (ownWordCas) a CAS, the locked instruction lwp4j's wake uses. */
        void set(int v, boolean cas) {
            if (cas) {
                UP.compareAndSet(this, 1 - v, v);
            } else {
                up = v;
            }
        }
    }

    /**
     * Experiment (issue 13): {@link SpinThenPark} with one change, the sleeper spins on a word
     * of its own instead of on the ball, as an lwp4j sleeper spins on its park word. The
     * passer writes the ball, then sets the partner's word (a volatile store, no CAS), then
     * {@code LockSupport.unpark}s it; the woken player clears its word (a volatile store) and
     * reads the ball. Against spinThenPark it costs the second cache line that moves between the
     * cores (the passer's store, the sleeper's read and its clearing store); policyCopy adds to
     * it the park word's CASes and the policy. A word left set by an abandoned rally is read
     * as a spurious wake-up.
     */
    static final class OwnWord extends BallSide {
        final Word mine, partnerWord;
        final Thread partner;
        /** ownWordCas: set and clear the words with a CAS instead of a volatile store. */
        final boolean cas;

        OwnWord(Court court, int me, Word mine, Word partnerWord, Thread partner, boolean cas) {
            super(court, me);
            this.mine = mine;
            this.partnerWord = partnerWord;
            this.partner = partner;
            this.cas = cas;
        }

        @Override
        void pass(Wakeups w) {
            partnerWord.set(1, cas);
            LockSupport.unpark(partner);
        }

        /** One bounded park while the word is clear (the partner sets it, then unparks). */
        @Override
        void sleep(Wakeups w) {
            LockSupport.parkNanos(court, ESCAPE_NANOS);
        }

        @Override
        boolean await(Control control, Wakeups w) {
            Court k = court;
            Word word = mine;
            while (k.turn != me) {
                long start = System.nanoTime();
                while (word.up == 0) {
                    if (System.nanoTime() - start < PLAIN_SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (control.stopMeasurement) {
                        return false;
                    }
                    sleep(w);
                }
                word.set(0, cas);
                if (k.turn != me) {
                    w.spurious++;
                }
            }
            return true;
        }
    }

    /**
     * Peer: an {@link Exchanger} (it spins, with the odd yield, before it parks). A rally is two
     * completed exchanges, the ball there and back, as the queues' two steps. The timed
     * exchange is the escape hatch; once the measurement has stopped, one exchange with a zero
     * timeout (it takes a partner already waiting, and does not wait itself). Exchanges are
     * symmetric, so an abandoned rally leaves nothing to resume.
     */
    static final class Exchange extends Side {
        private static final Object BALL = "ball";

        Exchange(Court court, int me) {
            super(court, me);
        }

        @Override
        boolean rally(Control control, Wakeups w) throws InterruptedException {
            Exchanger<Object> x = court.exchanger;
            for (int steps = 0; steps < 2; ) {
                boolean last = control.stopMeasurement;
                try {
                    x.exchange(BALL, last ? 0 : ESCAPE_NANOS, TimeUnit.NANOSECONDS);
                    steps++;
                } catch (TimeoutException e) {
                    if (last) {
                        return false;
                    }
                    w.timeouts++;
                }
            }
            return true;
        }
    }

    /**
     * Baseline: a {@link SynchronousQueue} or a {@link LinkedTransferQueue} each way. Player 0
     * starts by sending, player 1 by receiving; each rally is two completed steps (send and
     * receive, in the player's order). A send is {@code offer} on the SynchronousQueue and
     * {@code tryTransfer} on the LinkedTransferQueue (it returns once the partner has taken the
     * ball, and a send that times out leaves nothing queued). Timed sends and polls are the
     * escape hatch (untimed, non-blocking ones once the measurement has stopped); an abandoned
     * step is retried by the next rally.
     */
    static final class Queue extends Side {
        private static final Object BALL = "ball";
        private final BlockingQueue<Object> out, in;
        private final LinkedTransferQueue<Object> transfer;
        private boolean sending;

        Queue(Court court, int me, BlockingQueue<Object> out, BlockingQueue<Object> in, boolean transfer) {
            super(court, me);
            this.out = out;
            this.in = in;
            this.transfer = transfer ? (LinkedTransferQueue<Object>) out : null;
            this.sending = me == 0;
        }

        private boolean send(boolean timed) throws InterruptedException {
            if (transfer != null) {
                return timed ? transfer.tryTransfer(BALL, ESCAPE_NANOS, TimeUnit.NANOSECONDS) : transfer.tryTransfer(BALL);
            }
            return timed ? out.offer(BALL, ESCAPE_NANOS, TimeUnit.NANOSECONDS) : out.offer(BALL);
        }

        @Override
        boolean rally(Control control, Wakeups w) throws InterruptedException {
            for (int steps = 0; steps < 2; ) {
                boolean done;
                if (control.stopMeasurement) {
                    done = sending ? send(false) : in.poll() != null;
                    if (!done) {
                        return false;
                    }
                } else {
                    done = sending ? send(true) : in.poll(ESCAPE_NANOS, TimeUnit.NANOSECONDS) != null;
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
