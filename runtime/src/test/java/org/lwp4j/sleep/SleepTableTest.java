package org.lwp4j.sleep;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.ParkResult;
import org.lwp4j.Supervisor;

/**
 * The sleep table's structure: sizing and growth, Fibonacci mixing, O(1) targeted unpark,
 * reclaimed nodes, LIFO order across growth, kernel waits keeping a permit, and queue
 * consistency under racing moves. Tests the package's internals with a minimal Waiter over a
 * plain thread, and the whole through a Supervisor where the contract names it.
 */
@Timeout(60)
class SleepTableTest {
    private static final Object KEY = new Object();
    private static final int KEY_HASH = 7;
    private static final long WAIT = TimeUnit.SECONDS.toNanos(20);

    /** The smallest Waiter: a plain thread, with a settable safe-point flag. */
    static final class TestWaiter extends Waiter {
        final Thread thread;
        volatile boolean safePoint;

        TestWaiter(Thread thread) {
            this.thread = thread;
        }

        @Override
        protected Thread sleeperThread() {
            return thread;
        }

        @Override
        protected boolean safePointPending() {
            return safePoint;
        }
    }

    /** A plain thread running one body with its own waiter; the body's answer lands in result. */
    static final class Sleeper {
        final Thread thread;
        final TestWaiter w;
        final AtomicReference<Object> result = new AtomicReference<>();

        Sleeper(Function<TestWaiter, Object> body) {
            AtomicReference<TestWaiter> mine = new AtomicReference<>();
            thread = new Thread(() -> result.set(body.apply(mine.get())), "sleeper");
            w = new TestWaiter(thread);
            mine.set(w);
            thread.start();
        }

        Object join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertFalse(thread.isAlive(), "the sleeper did not finish");
            return result.get();
        }
    }

    static void await(BooleanSupplier cond, String what) {
        long end = System.nanoTime() + WAIT;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() - end < 0, "not reached: " + what);
            Thread.yield();
        }
    }

    /** Linked in the table and blocked (or about to block) in LockSupport (SyncWaitTest too). */
    static void awaitBlocked(TestWaiter w) {
        await(() -> w.bucketAcquire() != null && (w.pw & Waiter.BLOCKED) != 0, "waiter linked and blocked");
    }

    static long later() {
        return System.nanoTime() + WAIT;
    }

    // ------------------------------------------------------------------ sizing and mixing

    @Test
    void theTableGrowsToThreeTimesTheLwpCountAsAPowerOfTwo() {
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            int n = 300;
            int[] lids = new int[n];
            for (int i = 0; i < n; i++) {
                lids[i] = Lwp.create(() -> Lwp.parkUntil(later(), "grow"));
            }
            int buckets = s.sleepStats().buckets();
            assertTrue(buckets >= 3 * n, buckets + " buckets for " + n + " LWPs");
            assertEquals(1, Integer.bitCount(buckets), buckets + " is a power of two");
            assertEquals(n, Lwp.unparkAll(lids, "grow"));
            for (int lid : lids) {
                assertEquals(lid, Lwp.waitFor(lid));
            }
            assertEquals(0, s.sleepStats().linkedWaiters());
            assertEquals(buckets, s.sleepStats().buckets(), "the table does not shrink");
        }
    }

    @Test
    void setPopulationKeepsThreeToEightBucketsPerLwpAsAPowerOfTwo() {
        SleepTable t = new SleepTable(System::nanoTime);
        assertEquals(64, t.bucketCount());
        int before = t.bucketCount();
        for (int n : new int[] {1, 10, 21, 22, 100, 300, 1000, 5000, 20000}) {
            t.setPopulation(n);
            int b = t.bucketCount();
            assertEquals(1, Integer.bitCount(b), b + " is a power of two");
            assertTrue(b >= 3L * n, b + " buckets for " + n);
            assertTrue(b <= Math.max(64, 8L * n), b + " buckets for " + n + " is too many");
            assertTrue(b >= before, "never shrinks");
            before = b;
        }
        t.setPopulation(5);
        assertEquals(before, t.bucketCount(), "never shrinks");
        assertNull(t.audit());
    }

    @Test
    void fibonacciMixingSpreadsSequentialKeysOverTheBuckets() {
        for (int len : new int[] {64, 1024, 4096}) {
            int[] perBucket = new int[len];
            Set<Integer> used = new HashSet<>();
            for (int h = 0; h < len; h++) {
                int b = SleepTable.spread(h, len);
                assertTrue(b >= 0 && b < len);
                perBucket[b]++;
                used.add(b);
                assertTrue(perBucket[b] <= 2, "bucket " + b + " of " + len + " got a third sequential key");
            }
            assertTrue(used.size() >= len * 8 / 10, used.size() + " of " + len + " buckets used");
        }
        // The same hint of two processes lands in different queues.
        assertNotEquals(SleepTable.spread(SleepTable.hash(2, "h"), 1024), SleepTable.spread(SleepTable.hash(3, "h"), 1024));
    }

    // ------------------------------------------------------------------ targeted unpark

    @Test
    void aTargetedUnparkWorksOnTheWaiterAloneWhileItsBucketIsLocked() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper s = new Sleeper(w -> t.park(w, KEY, KEY_HASH, "h", true, later()));
        awaitBlocked(s.w);
        Bucket b = s.w.bucketAcquire();
        b.lock();
        try {
            assertTrue(s.w.unpark(), "woken without the bucket lock");
            int pw = s.w.pw;
            assertTrue((pw & Waiter.WOKEN_UNPARK) != 0 || (pw & Waiter.SLEEPING) == 0, "the outcome is decided");
            assertSame(b, s.w.bucketAcquire(), "the sleeper cannot leave the queue before the lock is free");
        } finally {
            b.unlock();
        }
        assertEquals(ParkResult.UNPARKED, s.join());
        assertEquals(0, t.linkedWaiters());
        assertEquals(0, t.blockedCount());
        assertNull(s.w.waitChannel());
    }

    @Test
    void aKernelWaitKeepsATargetedUnparkForTheNextPark() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        ReentrantLock lock = new ReentrantLock();
        Object channel = "kernel-channel";
        Sleeper s = new Sleeper(w -> {
            lock.lock();
            ParkResult kernel;
            try {
                kernel = t.cvSleep(w, KEY, KEY_HASH, channel, lock, true, true, later());
            } finally {
                lock.unlock();
            }
            return List.of(kernel, t.park(w, KEY, KEY_HASH, "h", true, later()));
        });
        awaitBlocked(s.w);
        assertFalse(s.w.unpark(), "a targeted unpark does not end a kernel wait");
        assertNotEquals(0, s.w.pw & Waiter.PEND_UNPARK, "it is left pending");
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(s.w.isSleeping());
        lock.lock();
        try {
            assertEquals(1, t.cvBroadcast(KEY, KEY_HASH, channel));
        } finally {
            lock.unlock();
        }
        assertEquals(List.of(ParkResult.UNPARKED, ParkResult.ALREADY), s.join());
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void aWaiterIsItsOwnNodeAndLeavesTheTableWhenItsSleepEnds() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        // time-out, safe-point kick, interrupt and wake: each leaves nothing linked
        Sleeper timedOut = new Sleeper(w -> t.park(w, KEY, KEY_HASH, "a", true,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
        assertEquals(ParkResult.TIMED_OUT, timedOut.join());
        Sleeper kicked = new Sleeper(w -> t.park(w, KEY, KEY_HASH, "b", true, later()));
        awaitBlocked(kicked.w);
        kicked.w.safePoint = true;
        kicked.w.kick();
        assertEquals(ParkResult.INTERRUPTED, kicked.join());
        Sleeper interrupted = new Sleeper(w -> t.lotWait(w, KEY, KEY_HASH, "c", () -> true, true, later(), true));
        awaitBlocked(interrupted.w);
        interrupted.thread.interrupt();
        assertEquals(ParkResult.INTERRUPTED, interrupted.join());
        Sleeper woken = new Sleeper(w -> t.lotWait(w, KEY, KEY_HASH, "d", () -> true, true, later(), true));
        awaitBlocked(woken.w);
        assertEquals(1, t.wake(KEY, KEY_HASH, "d", 1));
        assertEquals(ParkResult.UNPARKED, woken.join());
        assertEquals(0, t.linkedWaiters());
        assertEquals(0, t.blockedCount());
        assertNull(t.audit());
    }

    // ------------------------------------------------------------------ growth

    @Test
    void growthKeepsLinkedWaitersFindableAndNewestFirst() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        List<Sleeper> sleepers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Sleeper s = new Sleeper(w -> t.lotWait(w, KEY, KEY_HASH, "same", () -> true, true, later(), true));
            awaitBlocked(s.w);
            sleepers.add(s);
        }
        Sleeper other = new Sleeper(w -> t.lotWait(w, KEY, KEY_HASH, "other", () -> true, true, later(), true));
        awaitBlocked(other.w);
        int before = t.bucketCount();
        t.setPopulation(1000);
        assertTrue(t.bucketCount() > before, "grew");
        assertNull(t.audit());
        assertEquals(4, t.linkedWaiters());
        for (int i = 2; i >= 0; i--) {
            assertEquals(1, t.wake(KEY, KEY_HASH, "same", 1));
            assertEquals(ParkResult.UNPARKED, sleepers.get(i).join(), "newest first after growth: " + i);
        }
        assertEquals(1, t.wake(KEY, KEY_HASH, "other", 5));
        assertEquals(ParkResult.UNPARKED, other.join());
        assertEquals(0, t.linkedWaiters());
    }

    // ------------------------------------------------------------------ races on the queues

    /** Run {@code threads} bodies until {@code millis} pass; each body loops while !stop. */
    private static void race(long millis, List<Runnable> bodies) throws Exception {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (Runnable r : bodies) {
            Thread th = new Thread(() -> {
                try {
                    r.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(millis + TimeUnit.SECONDS.toMillis(20));
            assertFalse(th.isAlive(), "a racer is stuck");
        }
        if (failure.get() != null) {
            throw new AssertionError("a racer failed", failure.get());
        }
    }

    /**
     * Sleepers time out while requeue moves them back and forth between two hints: a sleeper
     * leaving must never take itself for unlinked while it is in transit, or it would stay
     * linked after its sleep (and be linked twice by its next sleep).
     */
    @Test
    void requeueRacingTimeoutsLeavesConsistentQueues() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        AtomicBoolean stop = new AtomicBoolean();
        long millis = 1_000;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Runnable sleeper = () -> {
            TestWaiter w = new TestWaiter(Thread.currentThread());
            for (int i = 0; System.nanoTime() - end < 0; i++) {
                Object hint = (i & 1) == 0 ? "A" : "B";
                ParkResult r = t.lotWait(w, KEY, KEY_HASH, hint, () -> true, true,
                        System.nanoTime() + 2_000 + (i % 64) * 1_000L, true);
                assertTrue(r == ParkResult.TIMED_OUT || r == ParkResult.UNPARKED, String.valueOf(r));
            }
        };
        Runnable mover = () -> {
            for (int i = 0; System.nanoTime() - end < 0; i++) {
                t.requeue(KEY, KEY_HASH, "A", "B", 0, Integer.MAX_VALUE);
                t.requeue(KEY, KEY_HASH, "B", "A", (i & 15) == 0 ? 1 : 0, Integer.MAX_VALUE);
            }
            stop.set(true);
        };
        race(millis, List.of(sleeper, sleeper, mover));
        assertTrue(stop.get());
        assertNull(t.audit());
        assertEquals(0, t.linkedWaiters(), "a finished sleeper was left linked");
    }

    /** Sleepers time out while the table grows under them, round after round. */
    @Test
    void growthRacingTimeoutsLeavesConsistentQueues() throws Exception {
        for (int round = 0; round < 20; round++) {
            SleepTable t = new SleepTable(System::nanoTime);
            AtomicBoolean stop = new AtomicBoolean();
            Runnable sleeper = () -> {
                TestWaiter w = new TestWaiter(Thread.currentThread());
                for (int i = 0; !stop.get(); i++) {
                    long deadline = System.nanoTime() + 1_000 + (i % 32) * 1_000L;
                    ParkResult r = (i & 1) == 0
                            ? t.park(w, KEY, KEY_HASH, i % 5, true, deadline)
                            : t.lotWait(w, KEY, KEY_HASH, i % 5, () -> true, true, deadline, true);
                    assertEquals(ParkResult.TIMED_OUT, r);
                }
            };
            Runnable grower = () -> {
                for (int n = 16; n <= 4096; n *= 2) {
                    t.setPopulation(n);
                    LockSupport.parkNanos(20_000);
                }
                stop.set(true);
            };
            race(1_000, List.of(sleeper, sleeper, grower));
            assertNull(t.audit(), "round " + round);
            assertEquals(0, t.linkedWaiters(), "round " + round + ": a finished sleeper was left linked");
        }
    }

    // ------------------------------------------------------------------ memory is bounded

    /**
     * 10^5 sleeps that end by time-out or by Thread.interrupt leave nothing in the table: the
     * nodes are the waiters themselves and each unlinks when its sleep ends.
     */
    @Test
    void aHundredThousandTimeoutsAndInterruptsLeaveNothingLinked() {
        int timeoutLwps = 4, timeoutsEach = 12_500;
        int pairs = 2, interruptsEach = 25_000;
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            AtomicInteger timedOut = new AtomicInteger();
            AtomicInteger interrupted = new AtomicInteger();
            AtomicInteger unexpected = new AtomicInteger();
            List<Integer> lids = new ArrayList<>();
            for (int k = 0; k < timeoutLwps; k++) {
                Object hint = "timeout-" + k;
                lids.add(Lwp.create(() -> {
                    for (int i = 0; i < timeoutsEach; i++) {
                        ParkResult r = Lwp.parkUntil(System.nanoTime() + 1_000, hint);
                        (r == ParkResult.TIMED_OUT ? timedOut : unexpected).incrementAndGet();
                    }
                }));
            }
            for (int p = 0; p < pairs; p++) {
                AtomicReference<Thread> victimThread = new AtomicReference<>();
                AtomicInteger finished = new AtomicInteger();
                AtomicBoolean gaveUp = new AtomicBoolean();
                int victim = Lwp.create(() -> {
                    victimThread.set(Thread.currentThread());
                    for (int i = 0; i < interruptsEach && !gaveUp.get(); i++) {
                        ParkResult r = Lwp.parkUntil(System.nanoTime() + WAIT, "victim");
                        (r == ParkResult.INTERRUPTED ? interrupted : unexpected).incrementAndGet();
                        finished.incrementAndGet();
                    }
                });
                lids.add(victim);
                lids.add(Lwp.create(() -> {
                    LwpCtl c = Lwp.ctl(victim);
                    long end = System.nanoTime() + WAIT;
                    for (int i = 0; i < interruptsEach; i++) {
                        // the victim is in its (i+1)-th sleep and has not finished it
                        for (int spins = 0; c.parkCount() != i + 1 || finished.get() != i; spins++) {
                            if (System.nanoTime() - end > 0) {
                                gaveUp.set(true);
                                unexpected.incrementAndGet();
                                victimThread.get().interrupt();
                                return;
                            }
                            if (spins > 50) {
                                Thread.yield();
                            }
                        }
                        victimThread.get().interrupt();
                    }
                }));
            }
            for (int lid : lids) {
                assertEquals(lid, Lwp.waitFor(lid));
            }
            assertEquals(0, unexpected.get(), "sleeps with another outcome, or a stuck hand-shake");
            assertEquals(timeoutLwps * timeoutsEach, timedOut.get());
            assertEquals(pairs * interruptsEach, interrupted.get());
            Supervisor.SleepStats st = s.sleepStats();
            assertEquals(0, st.linkedWaiters(), "waiters left in the table: " + st);
            assertEquals(0, st.blocked(), st.toString());
        }
    }
    /**
     * Spins that never end in a wake decay the budget to nothing; a failed probe keeps it there.
     * The spin clock moves 30 us per read (every 8 pauses), so each spin ends by its budget
     * however loaded the machine is, well before the real deadline (a spin cut short by the
     * deadline leaves the budget as it was).
     */
    @Test
    void spinBudgetDecaysToZeroWhenNoWakeComes() {
        assumeTrue(SleepTable.SPIN_NANOS > 0, "spinning is off on this machine");
        AtomicLong spinTime = new AtomicLong();
        SleepTable st = new SleepTable(System::nanoTime, () -> spinTime.addAndGet(30_000));
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        assertEquals(SleepTable.SPIN_NANOS, w.parkSpin().budget, "a new waiter starts with the full spin");
        for (int i = 0; i < 40; i++) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            assertEquals(ParkResult.TIMED_OUT, st.park(w, KEY, KEY_HASH, "nobody", true, deadline));
        }
        // A park whose deadline passed before it began (a descheduled test thread) does not sleep.
        assertTrue(w.parkCount >= 33, "sleeps begun: " + w.parkCount);
        assertEquals(0, w.parkSpin().budget, "after " + w.parkCount + " sleeps that no wake ended, probes among them");
        // Probes at sleeps 16 and 32 failed: each doubled the interval to the next one.
        assertEquals(SpinBudget.MIN_PROBE_SHIFT + 2, w.parkSpin().probeShift, "probe interval 2^" + w.parkSpin().probeShift);
        assertEquals(0, st.linkedWaiters());
    }

    /** A waiter for the calling thread whose park budget is zero, with this count and probe interval. */
    private static TestWaiter zeroBudgetWaiter(int sleeps, int probeShift) {
        TestWaiter w = new TestWaiter(Thread.currentThread());
        w.parkSpin().budget = 0;
        w.parkSpin().sleeps = sleeps;
        w.parkSpin().probeShift = probeShift;
        return w;
    }

    /**
     * An await with a zero budget still probes every 2^probeShift awaits, whatever the parity of
     * the sleep count it starts from: it counts each await once (its sleep does not count
     * again), so the probes at counts 16 and 32 run, fail, and double the interval twice.
     * Counted twice, only odd counts were ever looked at from an even start, and no probe came.
     */
    @Test
    void anAwaitWithAZeroBudgetStillProbes() {
        assumeTrue(SleepTable.SPIN_NANOS > 0, "spinning is off on this machine");
        AtomicLong spinTime = new AtomicLong();
        SleepTable st = new SleepTable(System::nanoTime, () -> spinTime.addAndGet(30_000));
        st.setPopulation(1);
        TestWaiter w = zeroBudgetWaiter(0, SpinBudget.MIN_PROBE_SHIFT);
        for (int i = 0; i < 40; i++) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            assertEquals(ParkResult.TIMED_OUT, st.await(w, KEY, KEY_HASH, "nobody", () -> false, true, deadline));
        }
        assertEquals(40, w.parkSpin().sleeps, "one count per await");
        assertEquals(0, w.parkSpin().budget, "the probes found no wake");
        assertEquals(SpinBudget.MIN_PROBE_SHIFT + 2, w.parkSpin().probeShift, "probes at 16 and 32: interval 2^"
                + w.parkSpin().probeShift);
        assertEquals(0, st.linkedWaiters());
    }

    /**
     * A zero-budget await that was answered before it slept (here: ready is false when asked
     * first and true when asked again, before the sleep) counts as a probe that paid: the
     * partner is within a spin's reach, and the budget is the most again.
     */
    @Test
    void aZeroBudgetAwaitAnsweredBeforeItSleptRestoresTheBudget() {
        assumeTrue(SleepTable.SPIN_NANOS > 0, "spinning is off on this machine");
        SleepTable st = new SleepTable(System::nanoTime);
        st.setPopulation(1);
        TestWaiter w = zeroBudgetWaiter(1, SpinBudget.MAX_PROBE_SHIFT); // counted to 2: not a probe
        AtomicInteger asked = new AtomicInteger();
        assertEquals(ParkResult.UNPARKED, st.await(w, KEY, KEY_HASH, "ball", () -> asked.incrementAndGet() > 1, false, 0));
        assertEquals(2, asked.get(), "asked before the spin and after it");
        assertEquals(SleepTable.SPIN_NANOS, w.parkSpin().budget, "as after a probe that paid");
        assertEquals(SpinBudget.MIN_PROBE_SHIFT, w.parkSpin().probeShift);
        assertEquals(0, w.parkCount, "it never slept");
    }

    /**
     * A zero-budget await answered only after it slept learns nothing: what its sleep (a yield,
     * then a block) let answer says nothing of a spin, and with 8 players on 2 cores it is the
     * yield that lets the partner run.
     */
    @Test
    void aZeroBudgetAwaitAnsweredAfterItSleptKeepsTheBudgetAtZero() throws Exception {
        assumeTrue(SleepTable.SPIN_NANOS > 0, "spinning is off on this machine");
        SleepTable st = new SleepTable(System::nanoTime);
        st.setPopulation(1);
        TestWaiter w = zeroBudgetWaiter(1, SpinBudget.MAX_PROBE_SHIFT); // counted to 2: not a probe
        AtomicBoolean ball = new AtomicBoolean();
        Thread passer = new Thread(() -> {
            while ((w.pw & Waiter.BLOCKED) == 0) {
                LockSupport.parkNanos(100_000);
            }
            ball.set(true);
            w.unpark();
        });
        passer.start();
        assertEquals(ParkResult.UNPARKED, st.await(w, KEY, KEY_HASH, "ball", ball::get, true, later()));
        passer.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(passer.isAlive(), "the passer finished");
        assertEquals(1, w.parkCount, "it slept once");
        assertEquals(0, w.parkSpin().budget, "no spin learnt from a sleep");
        assertEquals(SpinBudget.MAX_PROBE_SHIFT, w.parkSpin().probeShift);
    }

    /**
     * A wake that lands while the sleeper spins doubles its budget, up to the most. The wake is
     * sent from the spin clock, which only the spin reads: it lands inside the spin whatever the
     * load on the machine.
     */
    @Test
    void spinThatEndsInAWakeGrowsTheBudget() {
        assumeTrue(SleepTable.SPIN_NANOS > 1000, "spinning is off on this machine");
        AtomicReference<TestWaiter> armed = new AtomicReference<>();
        SleepTable st = new SleepTable(System::nanoTime, () -> {
            TestWaiter w = armed.get();
            if (w != null && (w.pw & Waiter.SLEEPING) != 0 && armed.compareAndSet(w, null)) {
                w.unpark();
            }
            return System.nanoTime();
        });
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        int start = SleepTable.SPIN_NANOS / 4;
        w.parkSpin().budget = start;
        w.parkSpin().probeShift = SpinBudget.MAX_PROBE_SHIFT;
        armed.set(w);
        assertEquals(ParkResult.UNPARKED, st.park(w, KEY, KEY_HASH, "ball", false, 0));
        assertEquals(2 * start, w.parkSpin().budget, "doubled");
        assertEquals(SpinBudget.MIN_PROBE_SHIFT, w.parkSpin().probeShift, "a spin that paid brings probes back to every 16 sleeps");
        armed.set(w);
        assertEquals(ParkResult.UNPARKED, st.park(w, KEY, KEY_HASH, "ball", false, 0));
        armed.set(w);
        assertEquals(ParkResult.UNPARKED, st.park(w, KEY, KEY_HASH, "ball", false, 0));
        assertEquals(SleepTable.SPIN_NANOS, w.parkSpin().budget, "capped at the most");
        assertEquals(3, w.parkCount);
        assertEquals(0, st.linkedWaiters());
    }

    /**
     * Kernel waits that no wake ends decay their yielding budget to nothing, apart from parks'.
     * The spin clock moves 60 us per read, so each spin ends after two yields however loaded
     * the machine is, well before the real deadline (which would leave the budget as it was).
     */
    @Test
    void kernelWaitBudgetDecaysToZeroWhenNoWakeComes() {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 0, "kernel waits do not spin here");
        AtomicLong spinTime = new AtomicLong();
        SleepTable st = new SleepTable(System::nanoTime, () -> spinTime.addAndGet(60_000));
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        ReentrantLock lock = new ReentrantLock();
        assertEquals(SleepTable.KWAIT_SPIN_NANOS, w.kwaitSpin().budget, "a new waiter starts with the full spin");
        int parkBudget = w.parkSpin().budget;
        lock.lock();
        try {
            for (int i = 0; i < 40; i++) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                assertEquals(ParkResult.TIMED_OUT, st.cvSleep(w, KEY, KEY_HASH, "nothing", lock, true, true, deadline));
            }
        } finally {
            lock.unlock();
        }
        assertEquals(40, w.parkCount);
        assertEquals(0, w.kwaitSpin().budget, "after 40 kernel waits that no wake ended, probes among them");
        // Probes at sleeps 16 and 32 failed: each doubled the interval to the next one.
        assertEquals(SpinBudget.MIN_PROBE_SHIFT + 2, w.kwaitSpin().probeShift, "probe interval 2^" + w.kwaitSpin().probeShift);
        assertEquals(parkBudget, w.parkSpin().budget, "the park spin's budget is its own");
        assertEquals(SpinBudget.MIN_PROBE_SHIFT, w.parkSpin().probeShift);
        assertEquals(0, st.linkedWaiters());
    }

    /**
     * A kernel wait woken while it yields takes the wake as a CAS (it never blocks) and doubles
     * its budget. The wake is a cv_broadcast sent from the spin clock, which the yielding spin
     * reads when it starts and after every yield: the third read comes after two yields. The
     * spin clock stands still, so only the wake can end the spin.
     */
    @Test
    void kernelWaitWokenWhileYieldingGrowsItsBudget() {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 2000, "kernel waits do not spin here");
        AtomicReference<SleepTable> table = new AtomicReference<>();
        AtomicReference<TestWaiter> armed = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        SleepTable st = new SleepTable(System::nanoTime, () -> {
            TestWaiter w = armed.get();
            if (w != null && (w.pw & Waiter.SLEEPING) != 0 && reads.incrementAndGet() == 3
                    && armed.compareAndSet(w, null)) {
                table.get().cvBroadcast(KEY, KEY_HASH, "exit");
            }
            return 0L;
        });
        table.set(st);
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        ReentrantLock lock = new ReentrantLock();
        int start = SleepTable.KWAIT_SPIN_NANOS / 4;
        w.kwaitSpin().budget = start;
        w.kwaitSpin().probeShift = SpinBudget.MAX_PROBE_SHIFT;
        lock.lock();
        try {
            reads.set(0);
            armed.set(w);
            assertEquals(ParkResult.UNPARKED, st.cvSleep(w, KEY, KEY_HASH, "exit", lock, true, false, 0));
            assertEquals(3, reads.get(), "woken at the third read of the spin clock");
            assertEquals(2 * start, w.kwaitSpin().budget, "doubled");
            assertEquals(SpinBudget.MIN_PROBE_SHIFT, w.kwaitSpin().probeShift, "a spin that paid brings probes back");
            for (int i = 0; i < 2; i++) {
                reads.set(0);
                armed.set(w);
                assertEquals(ParkResult.UNPARKED, st.cvSleep(w, KEY, KEY_HASH, "exit", lock, true, false, 0));
            }
            assertEquals(SleepTable.KWAIT_SPIN_NANOS, w.kwaitSpin().budget, "capped at the most");
        } finally {
            lock.unlock();
        }
        assertEquals(0, st.linkedWaiters());
    }

    /**
     * A yielding kernel wait notices Thread.interrupt between yields (interruptible waits) and
     * its deadline (timed ones) without blocking first; neither changes its budget. The spin
     * clock stands still, so nothing else can end the spin.
     */
    @Test
    void kernelWaitYieldEndsOnInterruptAndDeadline() {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 2000, "kernel waits do not spin here");
        AtomicReference<TestWaiter> armed = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        SleepTable st = new SleepTable(System::nanoTime, () -> {
            if (armed.get() != null && reads.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
            return 0L;
        });
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        ReentrantLock lock = new ReentrantLock();
        int budget = w.kwaitSpin().budget;
        lock.lock();
        try {
            armed.set(w);
            assertEquals(ParkResult.INTERRUPTED, st.cvSleep(w, KEY, KEY_HASH, "intr", lock, true, false, 0));
            assertFalse(Thread.interrupted(), "the outcome consumed the interrupt");
            assertEquals(3, reads.get(), "interrupted after two yields");
            armed.set(null);
            long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
            assertEquals(ParkResult.TIMED_OUT, st.cvSleep(w, KEY, KEY_HASH, "late", lock, true, true, deadline));
        } finally {
            lock.unlock();
        }
        assertEquals(budget, w.kwaitSpin().budget, "a spin cut short leaves the budget");
        assertEquals(0, st.linkedWaiters());
    }

    /**
     * The PAUSE spin of a park ends on Thread.interrupt and at the deadline too, checked with
     * its clock every 8 pauses. The spin clock stands still, so without those checks the spin
     * would never end.
     */
    @Test
    void parkSpinEndsOnInterruptAndDeadline() {
        assumeTrue(SleepTable.SPIN_NANOS > 0, "spinning is off on this machine");
        AtomicBoolean armed = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        SleepTable st = new SleepTable(System::nanoTime, () -> {
            if (armed.get() && reads.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
            return 0L;
        });
        st.setPopulation(1);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        int budget = w.parkSpin().budget;
        armed.set(true);
        assertEquals(ParkResult.INTERRUPTED, st.park(w, KEY, KEY_HASH, "intr", false, 0));
        assertFalse(Thread.interrupted(), "the outcome consumed the interrupt");
        armed.set(false);
        long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
        assertEquals(ParkResult.TIMED_OUT, st.park(w, KEY, KEY_HASH, "late", true, deadline));
        assertEquals(budget, w.parkSpin().budget, "a spin cut short leaves the budget");
        assertEquals(0, st.linkedWaiters());
    }
}
