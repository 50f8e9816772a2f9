package org.lwp4j.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.lwp4j.ParkResult;

/**
 * lwp4j's park policy copied onto {@code LockSupport}: the {@code policyCopy} player of
 * {@link PingPongBench}. One instance per group of players that could compete for the cores
 * (a {@code PingPongBench} trial); each player is a {@link Sleeper}.
 */
final class PolicyPark {
    /*
     * A faithful small copy of what org.lwp4j.sleep.SleepTable.park (with sleep, spin, block and
     * finish) and Waiter.unpark do for a timed, interruptible LWP park, as of main 87fe3ae, with
     * the rest of lwp4j taken away. It splits the hand-off's cost in two: lwpHandoff minus
     * policyCopy is what the layers around the policy cost (the current-LWP lookup, the
     * safe-point checks, the partner's lookup by lid, the JFR check, the bucket fields, the park
     * count), policyCopy minus spinThenPark is what the policy itself and its park word cost.
     *
     * Kept, as in lwp4j:
     *   - the park word: SLEEPING, BLOCKED, WOKEN_UNPARK, PEND_UNPARK, and its three CASes per
     *     sleep: beginSleep (which consumes a pending unpark: ALREADY), the waker's (sets
     *     WOKEN_UNPARK, or leaves PEND_UNPARK when the target does not sleep, and unparks the
     *     thread only if the target declared itself BLOCKED), finish's (clears the sleep bits);
     *   - the deadline check on entry (one clock read per timed park);
     *   - the spin decision: spin only while the sleepers that are not blocked do not outnumber
     *     the processors (population - blocked <= NCPU); otherwise yield YIELDS times;
     *   - the adaptive budget: a spin that ends in a wake doubles it (at least MIN_SPIN_NANOS, at
     *     most SPIN_NANOS), one that ends empty-handed halves it (to 0 below MIN_SPIN_NANOS); a
     *     zero budget is probed with the full length every 2^probeShift sleeps, probeShift
     *     growing from 4 to 10 while probes fail;
     *   - the spin loop: Thread.onSpinWait, the word re-read after every pause, the interrupt,
     *     deadline and spin clock read every 8 pauses;
     *   - the block: a CAS that sets BLOCKED unless woken, the shared blocked counter around
     *     LockSupport.parkNanos(blocker, remaining), the word re-read after every return;
     *   - the system properties lwp4j.spinNanos and lwp4j.yields, with the same defaults.
     * Left out: the bucket (a park links itself only on the way to block, and a targeted wake
     * never reads it), the wait channel, safe-point requests, PEND_CANCEL, WOKEN_INTR, NOINTR and
     * KWAIT (nothing here sends a wakeup or waits in the kernel), the volatile park count (a
     * plain count of sleeps serves the probe), the injected clocks (System.nanoTime direct).
     *
     * When SleepTable's policy changes, change this copy with it, or the comparison is void.
     */

    private static final int NCPU = Runtime.getRuntime().availableProcessors();
    static final int SPIN_NANOS = Integer.getInteger("lwp4j.spinNanos", NCPU > 1 ? 50_000 : 0);
    private static final int MIN_SPIN_NANOS = 500;
    private static final int YIELDS = Integer.getInteger("lwp4j.yields", 1);
    private static final int MIN_PROBE_SHIFT = 4, MAX_PROBE_SHIFT = 10;

    // The park word (as Waiter's).
    static final int SLEEPING = 1;
    static final int BLOCKED = 1 << 1;
    static final int WOKEN_UNPARK = 1 << 3;
    static final int PEND_UNPARK = 1 << 5;
    static final int SLEEP_BITS = SLEEPING | BLOCKED | WOKEN_UNPARK;

    /** Number of sleepers that could be running (lwp4j: the live LWPs). */
    private final int population;
    /** Number of sleepers inside LockSupport.parkNanos now. */
    private final AtomicInteger blocked = new AtomicInteger();

    PolicyPark(int population) {
        this.population = population;
    }

    /** A new sleeper for the calling thread. */
    Sleeper sleeper() {
        return new Sleeper(this, Thread.currentThread());
    }

    /** One thread's park word and spin budget: the copy of lwp4j's {@code Waiter}. */
    static final class Sleeper {
        volatile int pw;
        /** Adaptive spin budget (nanoseconds) and probe interval; owner only. */
        int spinBudget = SPIN_NANOS;
        int probeShift = MIN_PROBE_SHIFT;
        /** Sleeps begun; owner only. */
        int sleeps;
        final PolicyPark group;
        final Thread thread;

        Sleeper(PolicyPark group, Thread thread) {
            this.group = group;
            this.thread = thread;
        }

        boolean casPw(int expect, int update) {
            return PW.compareAndSet(this, expect, update);
        }

        /** Waiter.unpark: wake this sleeper, or leave one pending unpark. Any thread. */
        boolean unpark() {
            for (;;) {
                int s = pw;
                if ((s & (SLEEPING | WOKEN_UNPARK)) == SLEEPING) {
                    if (casPw(s, s | WOKEN_UNPARK)) {
                        if ((s & BLOCKED) != 0) {
                            LockSupport.unpark(thread);
                        }
                        return true;
                    }
                } else if ((s & PEND_UNPARK) != 0 || casPw(s, s | PEND_UNPARK)) {
                    return false;
                }
            }
        }

        /** SleepTable.park, timed and interruptible: the owner only. */
        ParkResult park(Object blocker, long deadline) {
            if (deadline - System.nanoTime() <= 0) {
                return ParkResult.TIMED_OUT;
            }
            for (;;) { // beginSleep
                int s = pw;
                if ((s & PEND_UNPARK) != 0) {
                    if (casPw(s, s & ~PEND_UNPARK)) {
                        return ParkResult.ALREADY;
                    }
                } else if (casPw(s, s | SLEEPING)) {
                    break;
                }
            }
            sleeps++;
            Thread me = thread;
            if (me.isInterrupted()) {
                return finish(ParkResult.INTERRUPTED);
            }
            if ((pw & WOKEN_UNPARK) == 0) {
                PolicyPark g = group;
                if (SPIN_NANOS > 0 && g.population - g.blocked.get() <= NCPU) {
                    spin(deadline, me);
                } else {
                    for (int i = 0; i < YIELDS && (pw & WOKEN_UNPARK) == 0; i++) {
                        Thread.yield();
                    }
                }
            }
            if ((pw & WOKEN_UNPARK) != 0) {
                return finish(null);
            }
            return block(blocker, deadline, me);
        }

        /** SleepTable.spin, the PAUSE form. */
        private void spin(long deadline, Thread me) {
            int budget = spinBudget;
            int shift = probeShift;
            boolean probe = budget == 0;
            if (probe) {
                if ((sleeps & ((1 << shift) - 1)) != 0) {
                    return;
                }
                budget = SPIN_NANOS;
            }
            long start = System.nanoTime();
            for (int i = 1; (pw & WOKEN_UNPARK) == 0; i++) {
                Thread.onSpinWait();
                if ((i & 7) != 0) {
                    continue;
                }
                if (me.isInterrupted() || System.nanoTime() - deadline >= 0) {
                    return;
                }
                if (System.nanoTime() - start > budget) {
                    break;
                }
            }
            if ((pw & WOKEN_UNPARK) != 0) {
                budget = Math.min(SPIN_NANOS, Math.max(MIN_SPIN_NANOS, budget << 1));
                shift = MIN_PROBE_SHIFT;
            } else if (probe) {
                budget = 0;
                shift = Math.min(MAX_PROBE_SHIFT, shift + 1);
            } else {
                int half = budget >>> 1;
                budget = half < MIN_SPIN_NANOS ? 0 : half;
            }
            spinBudget = budget;
            probeShift = shift;
        }

        /** SleepTable.block, timed and interruptible. */
        private ParkResult block(Object blocker, long deadline, Thread me) {
            for (;;) {
                int s = pw;
                if ((s & WOKEN_UNPARK) != 0) {
                    return finish(null);
                }
                if (casPw(s, s | BLOCKED)) {
                    break;
                }
            }
            AtomicInteger blocked = group.blocked;
            blocked.incrementAndGet();
            try {
                for (;;) {
                    long rem = deadline - System.nanoTime();
                    if (rem <= 0) {
                        return finish(ParkResult.TIMED_OUT);
                    }
                    LockSupport.parkNanos(blocker, rem);
                    if ((pw & WOKEN_UNPARK) != 0) {
                        return finish(null);
                    }
                    if (me.isInterrupted()) {
                        return finish(ParkResult.INTERRUPTED);
                    }
                }
            } finally {
                blocked.decrementAndGet();
            }
        }

        /** SleepTable.finish: the waker's outcome if it set WOKEN_UNPARK, else {@code mine}. */
        private ParkResult finish(ParkResult mine) {
            for (;;) {
                int s = pw;
                ParkResult r = (s & WOKEN_UNPARK) != 0 ? ParkResult.UNPARKED : mine;
                if (casPw(s, s & ~SLEEP_BITS)) {
                    if (r == ParkResult.INTERRUPTED) {
                        Thread.interrupted();
                    }
                    return r;
                }
            }
        }
    }

    private static final VarHandle PW;

    static {
        try {
            PW = MethodHandles.lookup().findVarHandle(Sleeper.class, "pw", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
