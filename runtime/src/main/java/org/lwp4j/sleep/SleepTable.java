package org.lwp4j.sleep;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.lwp4j.ParkResult;

/**
 * The hashed sleep table: NetBSD's {@code lwp_park_tab} with the cost model changed.
 */
public final class SleepTable {
    /*
     * Implementation overview.
     *
     * Keys. A sleep is on a key (the process) and a hint (the user's wait channel); NetBSD hashes
     * p ^ hint into its sleep table (lwp_park_wchan). We hash keyHash * 31 + hint.hashCode() and
     * spread it with Fibonacci (multiplicative) mixing into a power-of-two array of buckets, sized
     * 3-4 x the number of LWPs and grown with it (never shrunk). Hints compare with equals().
     *
     * Buckets. Each bucket is a small queued mutex and an intrusive LIFO list (SOBJ_SLEEPQ_LIFO); the
     * waiter is its own node, so sleeping allocates nothing and a dead sleeper leaves nothing
     * behind: a waiter unlinks itself when its sleep ends, or the waker unlinks it. Memory is
     * the table plus the live waiters.
     *
     * Targeted wakes never touch a bucket. NetBSD's lwp_unpark scans the bucket for the target
     * (O(n) in the sleepers on that bucket); here the waker works on the target's own park word
     * (see Waiter) and calls LockSupport.unpark on its thread only if the target declared itself
     * BLOCKED. No lost wake-up: the sleeper publishes SLEEPING, then BLOCKED, each with a CAS
     * that fails once a WOKEN bit is in, and re-checks the word after every return from
     * LockSupport.park; a waker that sees BLOCKED unparks, and LockSupport keeps that permit if
     * the sleeper has not reached park yet.
     *
     * Parking-lot waits (wait/wake/requeue) need a key-wide wake, so validate runs under the
     * bucket lock and, if it holds, the waiter publishes SLEEPING and links itself before that
     * lock is released; wake() takes the same lock. A waker that changes the condition and then
     * calls wake() either made validate fail or finds the waiter linked: the check and the
     * sleep are atomic with respect to wake and requeue. LWP park() links only when it is about
     * to block (after the spin), so a park that is satisfied while spinning never takes a lock.
     *
     * Kernel waits (cvWait) are linked the same way under the caller's lock, and carry KWAIT
     * in the park word: a cv_broadcast ends them, a targeted unpark does not (it stays pending
     * for the next park, NetBSD's LW_UNPARKED), so no permit is swallowed by a kernel wait.
     *
     * Resizing locks every bucket of the old table and every bucket of the new one, moves the
     * waiters, then publishes the new array. Whoever locks a bucket found through the array
     * re-checks that the array is still current after locking (WebKit's ParkingLot does the
     * same). A waiter leaving its bucket reads w.bucket without a lock (acquire), locks it and
     * re-checks that it did not move; moves (resize, requeue) never let w.bucket pass through
     * null, and the final unlink stores null with release after clearing the links, so a
     * waiter that reads null is unlinked for good and may at once link itself again.
     *
     * User code. A hint's hashCode runs once per sleep or wake, before any lock is taken, and
     * the waiter keeps the result (Waiter.hash): a resize, which holds every bucket lock, never
     * calls it, and a hashCode that throws leaves the waiter as it was (not SLEEPING, not
     * linked). An LWP park that finds a pending permit takes it before hashing and answers
     * ALREADY without calling hashCode at all. A hint's equals and a lot's validate run under
     * one bucket lock, released by a finally whatever they throw (issue 10).
     *
     * Deadlines. Absolute, compared by difference (deadline - now), as System.nanoTime()
     * wants. FOREVER (Long.MAX_VALUE) is untimed; its mirror images Long.MIN_VALUE and
     * Long.MIN_VALUE + 1 (= -FOREVER) count as passed, whatever the clock says (by difference
     * they would lie 292 years ahead of a positive clock). See hasPassed.
     *
     * Spinning. Before blocking, a sleeper spins briefly on its own park word when the LWPs that
     * are not blocked do not outnumber the processors; otherwise it blocks at once, so that
     * oversubscribed machines do not burn CPU on sleepers that cannot be woken soon. The spin is
     * bounded in time, not in iterations (a PAUSE costs 10 to 140 cycles depending on the CPU),
     * and its length adapts per waiter (spin()): it grows while spins end in a wake and decays to
     * zero while they do not, which also covers load we cannot count (other processes, other
     * supervisors). The longest spin is sized to outlast one wake-up of a blocked thread (tens of
     * microseconds on a VM): two partners that both block can only get back to spinning if one
     * of them spins long enough to see the other one wake and answer. -Dlwp4j.spinNanos=N sets
     * the longest spin (0 disables spinning).
     *
     * Yielding. A park that does not spin (oversubscribed, or spinning off) yields its CPU once
     * before it blocks. The one who woke it, or whom it just woke, is often runnable on this
     * very CPU (the scheduler places a woken thread near its waker): it runs now, and if it
     * answers, the answer is a CAS on our park word instead of a futex wake of a blocked thread.
     * Where nothing else is runnable the yield returns at once, so it costs one system call per
     * sleep. With 8 ping-pong players on 2 cores this cuts the round trip to a third of
     * LockSupport's. -Dlwp4j.yields=N sets the number of yields (0 disables them).
     *
     * Kernel waits (cvWait: _lwp_wait, wait, exit's and suspend's waits) spin by yielding, with
     * the same adaptive policy kept apart (Waiter.kwaitSpin(), a SpinBudget), up to KWAIT_SPIN_NANOS, whatever
     * the load: what they wait for is another LWP's work, which a PAUSE spin would keep off this
     * CPU if the scheduler put it here (a new LWP usually starts on its creator's CPU or
     * the other one, depending on load), and which a yield lets run. Where the event comes
     * within the budget, it comes as a CAS: no futex wake for the waker to pay (about 12 us on a
     * VM, an inter-processor interrupt) and no wake-up latency for the waiter (15 to 30 us).
     * Create + exit + _lwp_wait of an LWP is the case it is made for. -Dlwp4j.kwaitSpinNanos=N
     * sets the longest (0 leaves kernel waits with the single yield of parks).
     */

    private static final int NCPU = Runtime.getRuntime().availableProcessors();
    /** The longest spin, in nanoseconds; also the length of a probe (see spin()). */
    static final int SPIN_NANOS = Integer.getInteger("lwp4j.spinNanos", NCPU > 1 ? 50_000 : 0);
    /** Yields before blocking when the sleeper does not spin (see the overview). */
    private static final int YIELDS = Integer.getInteger("lwp4j.yields", 1);
    /** The longest yielding spin of a kernel wait, in nanoseconds (see the overview). */
    public static final int KWAIT_SPIN_NANOS = Integer.getInteger("lwp4j.kwaitSpinNanos", 100_000);
    private static final int MAX_BUCKETS = 1 << 22;
    private static final Object NO_HINT = new Object() {
        @Override
        public String toString() {
            return "lwp_park(no hint)";
        }
    };

    private volatile Bucket[] table;
    private final Object resizeLock = new Object();
    private final BlockedCount blocked = new BlockedCount();
    private final LongSupplier clock;
    private final LongSupplier spinClock;
    /** Number of live LWPs, set by the kernel; drives sizing and the spin decision. */
    private volatile int population;

    public SleepTable(LongSupplier clock) {
        this(clock, System::nanoTime);
    }

    /**
     * @param spinClock times the spin; always a real clock (a supervisor's clock may be a test's
     *                  frozen one, and a spin must end), replaced only by tests of the spin
     */
    SleepTable(LongSupplier clock, LongSupplier spinClock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spinClock = Objects.requireNonNull(spinClock, "spinClock");
        this.table = newTable(64);
    }

    private static Bucket[] newTable(int n) {
        Bucket[] t = new Bucket[n];
        for (int i = 0; i < n; i++) {
            t[i] = new Bucket();
        }
        return t;
    }

    static int spread(int h, int length) {
        return (h * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(length));
    }

    static int hash(int keyHash, Object hint) {
        return keyHash * 31 + (hint == null ? 0 : hint.hashCode());
    }

    /**
     * Whether an absolute deadline has passed at {@code now}: Long.MIN_VALUE and
     * Long.MIN_VALUE + 1 always have (see the overview), others when {@code deadline - now <= 0}.
     */
    public static boolean hasPassed(long deadline, long now) {
        return deadline <= Long.MIN_VALUE + 1 || deadline - now <= 0;
    }

    /** Number of buckets now. */
    public int bucketCount() {
        return table.length;
    }

    /** Number of waiters linked in the table now (locks each bucket in turn). */
    public int linkedWaiters() {
        int n = 0;
        for (Bucket b : table) {
            b.lock();
            n += b.count;
            b.unlock();
        }
        return n;
    }

    /**
     * Check the queues (for tests, at quiescence): each bucket's list is well formed, its
     * length is its count, every waiter in it points back at it, hashes to it, and is linked
     * once. Answers null when all holds, else what is wrong.
     */
    public String audit() {
        Bucket[] t = table;
        Set<Waiter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < t.length; i++) {
            Bucket b = t[i];
            b.lock();
            try {
                int n = 0;
                Waiter prev = null;
                for (Waiter w = b.head; w != null; prev = w, w = w.next) {
                    if (!seen.add(w) || ++n > b.count) {
                        return "bucket " + i + ": list longer than its count " + b.count + " or cyclic";
                    }
                    if (w.prev != prev || w.bucket != b) {
                        return "bucket " + i + ": waiter " + n + " has broken back links";
                    }
                    if (spread(w.hash, t.length) != i) {
                        return "bucket " + i + ": waiter " + n + " hashes elsewhere";
                    }
                }
                if (n != b.count) {
                    return "bucket " + i + ": " + n + " waiters linked, count says " + b.count;
                }
            } finally {
                b.unlock();
            }
        }
        return null;
    }

    /** Number of sleepers inside LockSupport.park now. */
    public int blockedCount() {
        return blocked.get();
    }

    /** Tell the table how many LWPs live; it grows to keep 3-4 buckets per LWP. */
    public void setPopulation(int lwps) {
        population = lwps;
        if ((long) lwps * 3 > table.length && table.length < MAX_BUCKETS) {
            grow(lwps);
        }
    }

    private void grow(int lwps) {
        synchronized (resizeLock) {
            Bucket[] old = table;
            if ((long) lwps * 3 <= old.length || old.length >= MAX_BUCKETS) {
                return;
            }
            int n = Math.min(MAX_BUCKETS, Integer.highestOneBit(Math.max(1, lwps * 4 - 1)) << 1);
            Bucket[] fresh = newTable(n);
            for (Bucket b : old) {
                b.lock();
            }
            for (Bucket b : fresh) {
                b.lock();
            }
            for (Bucket b : old) {
                // Move oldest first so that each new list keeps newest-first order.
                Waiter tail = b.head;
                while (tail != null && tail.next != null) {
                    tail = tail.next;
                }
                for (Waiter w = tail; w != null; ) {
                    Waiter prev = w.prev;
                    b.moveTo(w, fresh[spread(w.hash, n)]);
                    w = prev;
                }
            }
            table = fresh;
            for (Bucket b : fresh) {
                b.unlock();
            }
            for (Bucket b : old) {
                b.unlock();
            }
        }
    }

    private Bucket lockBucket(int h) {
        for (;;) {
            Bucket[] t = table;
            Bucket b = t[spread(h, t.length)];
            b.lock();
            if (t == table) {
                return b;
            }
            b.unlock();
        }
    }

    /** Unlink w if it is still linked (called by w's owner only). */
    private static void dequeue(Waiter w) {
        for (;;) {
            Bucket b = w.bucketAcquire();
            if (b == null) {
                return;
            }
            b.lock();
            if (w.bucket == b) {
                b.unlink(w);
                b.unlock();
                return;
            }
            b.unlock();
        }
    }

    private void enqueue(Waiter w) {
        Bucket b = lockBucket(w.hash);
        b.link(w);
        b.unlock();
    }

    /**
     * LWP park on (key, hint): NetBSD {@code lwp_park}. The caller has done the hand-off and the
     * safe-point check.
     *
     * <p>A park on the same key and hint as the waiter's last park reuses that park's hash
     * instead of calling the hint's hashCode again. A park's hash only picks the bucket it links
     * in when it blocks (no wake looks for parks there: unparks go by lid), so a stale hash (a
     * hint whose hashCode changed) costs nothing but a bucket that differs. The call is user
     * code whose cost the table does not control: in the hand-off benchmark, where the hint is
     * an object whose identity hash is asked for, skipping it took 0.05 to 0.1 us off a round
     * trip of about 0.55 (issue 13).
     *
     * @param timed    whether {@code deadline} applies
     * @param deadline absolute, in the clock's nanoseconds
     */
    public ParkResult park(Waiter w, Object key, int keyHash, Object hint, boolean timed, long deadline) {
        if (timed && hasPassed(deadline, clock.getAsLong())) {
            return ParkResult.TIMED_OUT;
        }
        if (takePending(w)) {
            return ParkResult.ALREADY; // a pending permit: one CAS, no hint hashing, no wchan
        }
        int h = w.kind == Waiter.KIND_PARK && w.hint == hint && w.key == key
                ? w.hash // the hint of this LWP's last park: its hash is known (see above)
                : hash(keyHash, hint); // user code: before anything changes
        w.prepare(key, keyHash, hint, Waiter.KIND_PARK, h);
        w.setWchanRelease(channelOf(hint));
        if (!beginSleep(w, false)) { // a permit that came since takePending
            w.setWchanRelease(null);
            return ParkResult.ALREADY;
        }
        return sleep(w, true, timed, deadline, true);
    }

    /**
     * LWP park until {@code ready} answers true (Lwp.await): a park whose spin reads the caller's
     * own condition instead of the park word. The caller has done the hand-off and the safe-point
     * check.
     *
     * <p>Why: a sleeper that spins on its park word makes every hand-off move two cache lines
     * between the cores, the caller's data and the word. Spinning on the data, and touching the
     * word only to block, leaves one: while the waiter spins it writes nothing, and an unpark
     * that finds a permit already pending writes nothing either (Waiter.endOrPend), so the word
     * stays in the waker's cache. The price is a stale permit: an unpark that came while the
     * waiter spun stays pending until the waiter next blocks, and is taken then (step 6 below).
     *
     * <p>No lost wake-up, with the waker's contract of park: make ready true, then unpark. The
     * unpark either finds the waiter SLEEPING (and ends that sleep, after which ready is asked
     * again) or leaves a permit, or finds one left; and a waiter only sleeps after a CAS that
     * takes any pending permit first (beginSleep), then asks ready again.
     *
     * <p>Repeatedly:
     * <ol>
     * <li>ready answers true: UNPARKED;</li>
     * <li>a wakeup left its mark while the waiter was not asleep (PEND_CANCEL): take the marks,
     *     INTERRUPTED;</li>
     * <li>a safe-point request or an interrupt is pending: INTERRUPTED (the interrupt status
     *     consumed);</li>
     * <li>first round only: spin on ready (spinReady), while the LWPs not blocked do not
     *     outnumber the processors, as long as the park budget says; look again;</li>
     * <li>the deadline has passed: TIMED_OUT;</li>
     * <li>take a pending permit if there is one and look again, else sleep once as park does,
     *     without its spin: INTERRUPTED ends the call; after UNPARKED or TIMED_OUT look again.</li>
     * </ol>
     * ready is user code: it runs on the caller, under no lock, with nothing of the sleep begun.
     * If it throws, the exception propagates and a permit this call took is left pending again.
     *
     * @return UNPARKED (ready answered true), TIMED_OUT or INTERRUPTED; never ALREADY
     */
    public ParkResult await(Waiter w, Object key, int keyHash, Object hint, BooleanSupplier ready,
                            boolean timed, long deadline) {
        Thread me = Thread.currentThread();
        boolean spin = SPIN_NANOS > 0;
        boolean took = false; // the last round took a permit (given back if ready throws)
        boolean hashed = false;
        boolean unspun = false; // a zero budget kept the spin from running, and nothing slept since
        for (;;) {
            if (askReady(w, ready, took)) {
                if (unspun) {
                    w.parkSpin().answeredUnspun(SPIN_NANOS);
                }
                return ParkResult.UNPARKED;
            }
            took = false;
            if ((w.pw & Waiter.PEND_CANCEL) != 0 && (takeMarks(w) & Waiter.PEND_CANCEL) != 0) {
                return ParkResult.INTERRUPTED;
            }
            if (w.safePointPending() || me.isInterrupted()) {
                Thread.interrupted();
                return ParkResult.INTERRUPTED;
            }
            if (spin) { // no clock read before the spin: it looks at the deadline after 8 pauses
                spin = false;
                if (!timed || deadline > Long.MIN_VALUE + 1) {
                    int spun = spinReady(w, ready, timed, deadline, me);
                    if (spun == READY) {
                        return ParkResult.UNPARKED;
                    }
                    unspun = spun == UNSPUN;
                }
                continue;
            }
            if (timed && hasPassed(deadline, clock.getAsLong())) {
                return ParkResult.TIMED_OUT;
            }
            if (!hashed) {
                w.prepare(key, keyHash, hint, Waiter.KIND_PARK, hash(keyHash, hint)); // user code first
                hashed = true;
            }
            w.setWchanRelease(channelOf(hint));
            int marks = beginSleepOrTake(w, false);
            if (marks == 0) {
                unspun = false; // what a sleep's yield lets answer says nothing of a spin
                ParkResult r = sleep(w, true, timed, deadline, true, false);
                if (r == ParkResult.INTERRUPTED) {
                    return r;
                }
                took = r == ParkResult.UNPARKED;
                continue;
            }
            w.setWchanRelease(null);
            if ((marks & Waiter.PEND_CANCEL) != 0) {
                return ParkResult.INTERRUPTED;
            }
            took = true; // a permit: stale (left while the waiter spun) or fresh; look again
        }
    }

    /** spinReady's answers. */
    private static final int NOT_READY = 0, READY = 1, UNSPUN = 2;

    /** ready, for await: if it throws after this call took a permit, the permit is pending again. */
    private static boolean askReady(Waiter w, BooleanSupplier ready, boolean took) {
        if (!took) {
            return ready.getAsBoolean();
        }
        try {
            return ready.getAsBoolean();
        } catch (RuntimeException | Error e) {
            w.unpark(); // not asleep: this leaves PEND_UNPARK
            throw e;
        }
    }

    /**
     * await's spin on ready, as spin() on the word: ready, PAUSE, and every 8 pauses the checks
     * that cut it short (a wakeup's mark, a safe-point request, an interrupt, the deadline),
     * leaving the budget as it was, and the spin clock. No clock is read before the first 8
     * pauses: at 30 ns a read here, the two reads would delay seeing a partner that answers
     * within the first 100 ns, the common case of a hand-off between two cores. A spin that pays
     * off writes nothing at all: the budget's sleep count, which only times the probes of a zero
     * budget, is counted only then, and SpinBudget.done stores only what changes. It is counted
     * here once per await, oversubscribed or not, and the await's sleeps do not count again:
     * counted twice, a probe (every 2^n counts) could fall on odd counts only, and a budget lost
     * at start-up never came back (a hand-off stuck blocking for up to a second).
     *
     * @return READY once ready answered true; UNSPUN if a zero budget kept it from spinning
     *         (not a probe); else NOT_READY
     */
    private int spinReady(Waiter w, BooleanSupplier ready, boolean timed, long deadline, Thread me) {
        SpinBudget sb = w.parkSpin();
        if (sb.budget == 0) {
            sb.countSleep(); // the only count of this await: its sleep() does not count again
        }
        if (population - blocked.get() > NCPU) {
            return NOT_READY;
        }
        int budget = sb.next(SPIN_NANOS);
        if (budget == 0) {
            return UNSPUN;
        }
        LongSupplier sc = spinClock;
        long start = 0;
        for (int i = 1;; i++) {
            if (ready.getAsBoolean()) {
                sb.done(true, SPIN_NANOS);
                return READY;
            }
            Thread.onSpinWait();
            if ((i & 7) != 0) {
                continue;
            }
            if ((w.pw & Waiter.PEND_CANCEL) != 0 || w.safePointPending() || me.isInterrupted()
                    || (timed && clock.getAsLong() - deadline >= 0)) {
                return NOT_READY;
            }
            long now = sc.getAsLong();
            if (i == 8) {
                start = now;
            } else if (now - start > budget) {
                sb.done(false, SPIN_NANOS);
                return NOT_READY;
            }
        }
    }

    /**
     * Parking-lot wait: sleep on (key, hint) only if {@code validate} holds, checked under the
     * bucket lock so that no wake between the check and the sleep is lost.
     */
    public ParkResult lotWait(Waiter w, Object key, int keyHash, Object hint, BooleanSupplier validate,
                              boolean timed, long deadline, boolean interruptible) {
        if (timed && hasPassed(deadline, clock.getAsLong())) {
            return ParkResult.TIMED_OUT;
        }
        int h = hash(keyHash, hint); // user code: before anything changes
        w.prepare(key, keyHash, hint, Waiter.KIND_LOT, h);
        Bucket b = lockBucket(h);
        try {
            if (!validate.getAsBoolean()) {
                return ParkResult.INVALID;
            }
            w.setWchanRelease(channelOf(hint));
            if (!beginSleep(w, !interruptible)) {
                w.setWchanRelease(null);
                return ParkResult.ALREADY;
            }
            b.link(w);
        } finally {
            b.unlock();
        }
        return sleep(w, interruptible, timed, deadline, true);
    }

    /**
     * Synchronizer wait (org.lwp4j.sync): a parking-lot wait on (key, hint) that, like a kernel
     * wait, neither consumes nor is ended by the caller's pending unpark and wakeup marks (KWAIT:
     * a targeted unpark stays pending for the next park), so an LWP's park permit survives a
     * contended lock. Always interruptible by wakeups and safe-point kicks, so that an exit ends
     * it; {@code byInterrupt} says whether Thread.interrupt ends it too (else the interrupt
     * status is kept). Records since when it waits and clears its token for {@link #wakeOne}.
     *
     * @param since when the caller began waiting (the table's clock), for wakeOne's order and
     *              its callback's waited time: a caller that sleeps again after losing a race
     *              keeps its place; 0 means now
     * @return TIMED_OUT (at once if the deadline has passed), INVALID, UNPARKED or INTERRUPTED
     */
    public ParkResult syncWait(Waiter w, Object key, int keyHash, Object hint, BooleanSupplier validate,
                               boolean timed, long deadline, boolean byInterrupt, long since) {
        if (timed && deadline - clock.getAsLong() <= 0) {
            return ParkResult.TIMED_OUT;
        }
        int h = hash(keyHash, hint); // user code: before anything changes
        w.prepare(key, keyHash, hint, Waiter.KIND_LOT, h);
        w.lotSince = since != 0 ? since : clock.getAsLong(); // unlinked: the owner's alone
        Bucket b = lockBucket(h);
        try {
            if (!validate.getAsBoolean()) {
                return ParkResult.INVALID;
            }
            w.lotToken = 0;
            w.setWchanRelease(channelOf(hint));
            for (;;) {
                int s = w.pw;
                if (w.casPw(s, (s & ~Waiter.SLEEP_BITS) | Waiter.SLEEPING | Waiter.KWAIT)) {
                    break;
                }
            }
            b.link(w);
        } finally {
            b.unlock();
        }
        return sleep(w, true, timed, deadline, byInterrupt);
    }

    /** What {@link #wakeOne} asks of its caller, under the bucket lock. */
    public interface WakeOne {
        /**
         * Called once, with the bucket locked: {@code hint} is the hint woken on (so that one
         * callback object can serve every synchronizer), {@code woken} the thread just woken (null if no
         * sleeper was found), {@code waitedNanos} how long it slept, {@code more} whether other
         * sleepers remain on the hint. Must be short and must not call into the table.
         *
         * @return the token the woken thread reads ({@link Waiter#lotToken()}); ignored if none
         */
        int woken(Object hint, Thread woken, long waitedNanos, boolean more);
    }

    /**
     * Wake the longest-sleeping {@link #syncWait} waiter on (key, hint), FIFO whatever the list
     * order (WebKit's ParkingLot::unparkOne): the callback decides, under the bucket lock, what
     * the woken thread finds (e.g. a lock handed to it), and its answer is left as the waiter's
     * token before the waiter can see its wake.
     *
     * @return true if a sleeper was woken
     */
    public boolean wakeOne(Object key, int keyHash, Object hint, WakeOne cb) {
        Bucket b = lockBucket(hash(keyHash, hint));
        try {
            for (;;) {
                Waiter oldest = null;
                int n = 0;
                for (Waiter w = b.head; w != null; w = w.next) {
                    if (matches(w, Waiter.KIND_LOT, key, hint) && (w.pw & (Waiter.SLEEPING | Waiter.WOKEN)) == Waiter.SLEEPING) {
                        n++;
                        if (oldest == null || w.lotSince - oldest.lotSince <= 0) {
                            oldest = w;
                        }
                    }
                }
                if (oldest == null) {
                    cb.woken(hint, null, 0, false);
                    return false;
                }
                if (claimWithToken(oldest, b, hint, cb, n > 1)) {
                    return true;
                }
            }
        } finally {
            b.unlock();
        }
    }

    /** As claim, but the callback's token is left in the waiter before it is unlinked. */
    private boolean claimWithToken(Waiter w, Bucket b, Object hint, WakeOne cb, boolean more) {
        for (;;) {
            int s = w.pw;
            if ((s & (Waiter.SLEEPING | Waiter.WOKEN)) != Waiter.SLEEPING) {
                return false;
            }
            if (w.casPw(s, s | Waiter.WOKEN_UNPARK)) {
                w.lotToken = cb.woken(hint, w.sleeperThread(), clock.getAsLong() - w.lotSince, more);
                b.unlink(w);
                if ((s & Waiter.BLOCKED) != 0) {
                    LockSupport.unpark(w.sleeperThread());
                }
                return true;
            }
        }
    }

    /** Consume the pending marks if there are any; answers whether there were. */
    private static boolean takePending(Waiter w) {
        return takeMarks(w) != 0;
    }

    /** Consume the pending marks if there are any; answers the marks taken (0: none). */
    private static int takeMarks(Waiter w) {
        for (;;) {
            int s = w.pw;
            if ((s & Waiter.PENDING) == 0) {
                return 0;
            }
            if (w.casPw(s, s & ~(Waiter.PENDING | Waiter.SLEEP_BITS))) {
                return s & Waiter.PENDING;
            }
        }
    }

    /**
     * Set SLEEPING unless a pending mark is there (then consume it and answer false); either
     * way the bits a woken sleep left (see finish) go.
     */
    private static boolean beginSleep(Waiter w, boolean nointr) {
        return beginSleepOrTake(w, nointr) == 0;
    }

    /** As beginSleep, answering 0 if SLEEPING was set, else the pending marks it consumed. */
    private static int beginSleepOrTake(Waiter w, boolean nointr) {
        for (;;) {
            int s = w.pw;
            if ((s & Waiter.PENDING) != 0) {
                if (w.casPw(s, s & ~(Waiter.PENDING | Waiter.SLEEP_BITS))) {
                    return s & Waiter.PENDING;
                }
            } else if (w.casPw(s, (s & ~Waiter.SLEEP_BITS) | Waiter.SLEEPING | (nointr ? Waiter.NOINTR : 0))) {
                return 0;
            }
        }
    }

    private static Object channelOf(Object hint) {
        return hint == null ? NO_HINT : hint;
    }

    /**
     * Adaptive spin on the owner's park word, bounded in time, as the sleep's SpinBudget says
     * (its states and how it adapts are written down there). Where wakes come fast (a partner
     * on another core) the budget stays high; where they do not (a busy or oversubscribed
     * machine, including load from other processes we cannot count) it decays to nothing and
     * the sleeper blocks at once, with a probe now and then so that a budget lost in a quiet
     * spell comes back.
     *
     * A park spins with PAUSE and reads the spin clock (the real one) every 8 pauses; a kernel
     * wait ({@code yielding}) spins with Thread.yield and reads the clock after each. At those
     * same points a spin also ends on Thread.interrupt (interruptible sleeps) and at the
     * deadline (timed ones), leaving the budget as it was.
     */
    private void spin(Waiter w, SpinBudget sb, int most, boolean yielding, boolean interruptible, boolean timed,
                      long deadline, Thread me) {
        int budget = sb.next(most);
        if (budget == 0) {
            return;
        }
        LongSupplier sc = spinClock;
        long start = sc.getAsLong();
        for (int i = 1; (w.pw & Waiter.WOKEN) == 0; i++) {
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
                if ((i & 7) != 0) {
                    continue;
                }
            }
            if ((interruptible && me.isInterrupted()) || (timed && clock.getAsLong() - deadline >= 0)) {
                return; // cut short: the sleep goes on to its outcome; the budget stays
            }
            if (sc.getAsLong() - start > budget) {
                break;
            }
        }
        sb.done((w.pw & Waiter.WOKEN) != 0, most);
    }

    /**
     * The one sleep every kind of wait ends in (park, lot wait, kernel wait); the kind of the
     * sleep is {@code w.kind}: a park links itself only when it is about to block, a lot wait
     * and a kernel wait are linked already; a kernel wait spins by yielding.
     *
     * Repeatedly, until an outcome is decided by the CAS in finish:
     * <ol>
     * <li>an interruptible sleep with a safe-point request or an interrupt pending: INTERRUPTED;</li>
     * <li>not woken yet: spin (park: PAUSE, when the runnable LWPs do not outnumber the CPUs;
     *     kernel wait: yield), or yield once;</li>
     * <li>woken meanwhile: the waker's outcome;</li>
     * <li>else link (park) and block until woken, timed out or interrupted.</li>
     * </ol>
     *
     * @param byInterrupt whether Thread.interrupt ends an interruptible sleep; when false only
     *                    wakeups and safe-point kicks do, and an interrupt is kept for the caller
     *                    (synchronizer waits whose j.u.c. form is not interruptible)
     */
    private ParkResult sleep(Waiter w, boolean interruptible, boolean timed, long deadline, boolean byInterrupt) {
        return sleep(w, interruptible, timed, deadline, byInterrupt, true);
    }

    /** @param maySpin false for an await, which has spun on its condition already */
    private ParkResult sleep(Waiter w, boolean interruptible, boolean timed, long deadline, boolean byInterrupt,
                             boolean maySpin) {
        boolean kernel = w.kind == Waiter.KIND_KERNEL;
        boolean linked = w.kind != Waiter.KIND_PARK;
        w.countPark();
        if (maySpin) { // an await counts its sleeps for the probes itself, once (spinReady)
            (kernel ? w.kwaitSpin() : w.parkSpin()).countSleep();
        }
        Thread me = Thread.currentThread();
        boolean intr = interruptible && byInterrupt;
        if (interruptible ? (w.safePointPending() || (intr && me.isInterrupted())) : exitEnds(w)) {
            return finish(w, ParkResult.INTERRUPTED, me);
        }
        if ((w.pw & Waiter.WOKEN) == 0) {
            if (!kernel && maySpin && SPIN_NANOS > 0 && population - blocked.get() <= NCPU) {
                spin(w, w.parkSpin(), SPIN_NANOS, false, intr, timed, deadline, me);
            } else {
                if (kernel && KWAIT_SPIN_NANOS > 0) {
                    spin(w, w.kwaitSpin(), KWAIT_SPIN_NANOS, true, intr, timed, deadline, me);
                }
                for (int i = 0; i < YIELDS && (w.pw & Waiter.WOKEN) == 0; i++) {
                    Thread.yield(); // let a runnable partner on this CPU answer before we block
                }
            }
        }
        if ((w.pw & Waiter.WOKEN) != 0) {
            return finish(w, null, me);
        }
        if (!linked) {
            enqueue(w);
        }
        return block(w, interruptible, byInterrupt, timed, deadline, me);
    }

    private ParkResult block(Waiter w, boolean interruptible, boolean byInterrupt, boolean timed, long deadline,
                             Thread me) {
        for (;;) {
            int s = w.pw;
            if ((s & Waiter.WOKEN) != 0) {
                return finish(w, null, me);
            }
            if (w.casPw(s, s | Waiter.BLOCKED)) {
                break;
            }
        }
        Object blocker = w.wchan;
        boolean deferredInterrupt = false;
        blocked.increment();
        try {
            for (;;) {
                if ((!interruptible || !byInterrupt) && Thread.interrupted()) {
                    deferredInterrupt = true; // else LockSupport.park would return at once, forever
                }
                if (timed) {
                    long rem = deadline - clock.getAsLong();
                    if (rem <= 0) {
                        return finish(w, ParkResult.TIMED_OUT, me);
                    }
                    LockSupport.parkNanos(blocker, rem);
                } else {
                    LockSupport.park(blocker);
                }
                if ((w.pw & Waiter.WOKEN) != 0) {
                    return finish(w, null, me);
                }
                if (interruptible ? ((byInterrupt && me.isInterrupted()) || w.safePointPending()) : exitEnds(w)) {
                    return finish(w, ParkResult.INTERRUPTED, me);
                }
            }
        } finally {
            blocked.decrement();
            if (deferredInterrupt) {
                me.interrupt();
            }
        }
    }

    /** An uninterruptible parking-lot wait still ends when its owner must exit (Waiter.exitPending). */
    private static boolean exitEnds(Waiter w) {
        return w.kind == Waiter.KIND_LOT && w.exitPending();
    }

    /**
     * End the sleep with exactly one outcome: the waker's if a WOKEN bit is in, else
     * {@code mine}, and unlink. Mine is decided by the CAS that clears the sleep bits (not
     * pending marks that arrived meanwhile). The waker's is decided already, and its bits are
     * left in the word: SLEEPING with WOKEN means "not asleep" to every reader (Waiter), and the
     * next sleep's first CAS clears them (beginSleep, takePending, cvSleep, syncWait). Not
     * writing the word here saves the woken side a CAS on the line its waker has just written.
     */
    private static ParkResult finish(Waiter w, ParkResult mine, Thread me) {
        ParkResult r;
        for (;;) {
            int s = w.pw;
            if ((s & Waiter.WOKEN_UNPARK) != 0) {
                r = ParkResult.UNPARKED;
                break;
            }
            if ((s & Waiter.WOKEN_INTR) != 0) {
                r = ParkResult.INTERRUPTED;
                break;
            }
            if (w.casPw(s, s & ~Waiter.SLEEP_BITS)) {
                r = mine;
                break;
            }
        }
        if (r == ParkResult.INTERRUPTED && mine == ParkResult.INTERRUPTED) {
            Thread.interrupted(); // the interrupt, if it was one, is consumed by this outcome
        }
        dequeue(w);
        w.setWchanRelease(null); // after dequeue: a requeue holding the bucket lock may write it
        return r;
    }

    /**
     * Kernel condition wait (NetBSD {@code cv_wait}): the caller holds {@code lock} (once) and
     * has found its condition false. The waiter is linked on (key, channel) before {@code lock}
     * is released, so a waker that changes the condition under {@code lock} and then calls
     * {@link #cvBroadcast} cannot miss it. Uninterruptible: wakeup answers EBUSY, safe-point
     * kicks and Thread.interrupt are ignored (the interrupt status is kept). Does not consume
     * the pending unpark/cancel marks of park. Returns with {@code lock} held again; the caller
     * re-checks its condition (spurious returns are possible). This is the one place where a
     * callee releases a lock its caller holds, as Condition.await does.
     *
     * @param w       the calling waiter
     * @param key     the sleep key (the process)
     * @param keyHash the key's hash (its pid)
     * @param channel the channel slept on
     * @param lock    the interlock, held once by the caller
     */
    public void cvWait(Waiter w, Object key, int keyHash, Object channel, Lock lock) {
        cvSleep(w, key, keyHash, channel, lock, false, false, 0);
    }

    /**
     * {@code cv_wait_sig}: as {@link #cvWait}, but a safe-point request, a wakeup or
     * Thread.interrupt ends the sleep.
     *
     * @param w       the calling waiter
     * @param key     the sleep key (the process)
     * @param keyHash the key's hash (its pid)
     * @param channel the channel slept on
     * @param lock    the interlock, held once by the caller
     * @return UNPARKED after a broadcast (or spuriously), INTERRUPTED
     */
    public ParkResult cvWaitInterruptibly(Waiter w, Object key, int keyHash, Object channel, Lock lock) {
        return cvSleep(w, key, keyHash, channel, lock, true, false, 0);
    }

    /**
     * {@code cv_timedwait}: as {@link #cvWait} (uninterruptible), until {@code deadline} of this
     * table's clock at the latest.
     *
     * @param w        the calling waiter
     * @param key      the sleep key (the process)
     * @param keyHash  the key's hash (its pid)
     * @param channel  the channel slept on
     * @param lock     the interlock, held once by the caller
     * @param deadline absolute, in the clock's nanoseconds
     */
    public void cvWaitUntil(Waiter w, Object key, int keyHash, Object channel, Lock lock, long deadline) {
        cvSleep(w, key, keyHash, channel, lock, false, true, deadline);
    }

    /**
     * {@code cv_timedwait_sig}: as {@link #cvWaitInterruptibly}, until {@code deadline} of this
     * table's clock at the latest.
     *
     * @param w        the calling waiter
     * @param key      the sleep key (the process)
     * @param keyHash  the key's hash (its pid)
     * @param channel  the channel slept on
     * @param lock     the interlock, held once by the caller
     * @param deadline absolute, in the clock's nanoseconds
     * @return UNPARKED after a broadcast (or spuriously), TIMED_OUT, INTERRUPTED
     */
    public ParkResult cvWaitInterruptiblyUntil(Waiter w, Object key, int keyHash, Object channel, Lock lock,
                                               long deadline) {
        return cvSleep(w, key, keyHash, channel, lock, true, true, deadline);
    }

    /** The kernel wait the four above name; every combination, for the tests of this package. */
    ParkResult cvSleep(Waiter w, Object key, int keyHash, Object channel, Lock lock,
                       boolean interruptible, boolean timed, long deadline) {
        int h = hash(keyHash, channel);
        w.prepare(key, keyHash, channel, Waiter.KIND_KERNEL, h);
        Bucket b = lockBucket(h);
        w.setWchanRelease(channelOf(channel));
        int bits = Waiter.SLEEPING | Waiter.KWAIT | (interruptible ? 0 : Waiter.NOINTR);
        for (;;) {
            int s = w.pw;
            if (w.casPw(s, (s & ~Waiter.SLEEP_BITS) | bits)) {
                break;
            }
        }
        b.link(w);
        b.unlock();
        lock.unlock();
        try {
            return sleep(w, interruptible, timed, deadline, true);
        } finally {
            lock.lock();
        }
    }

    /** Wake every kernel waiter on (key, channel) ({@code cv_broadcast}). */
    public int cvBroadcast(Object key, int keyHash, Object channel) {
        return wake(Waiter.KIND_KERNEL, key, keyHash, channel, Integer.MAX_VALUE);
    }

    /** Wake up to {@code n} parking-lot waiters on (key, hint), newest first. */
    public int wake(Object key, int keyHash, Object hint, int n) {
        return wake(Waiter.KIND_LOT, key, keyHash, hint, n);
    }

    private int wake(int kind, Object key, int keyHash, Object hint, int n) {
        if (n <= 0) {
            return 0;
        }
        Bucket b = lockBucket(hash(keyHash, hint));
        int woken = 0;
        try {
            for (Waiter w = b.head; w != null && woken < n; ) {
                Waiter next = w.next;
                if (matches(w, kind, key, hint) && claim(w, b)) {
                    woken++;
                }
                w = next;
            }
        } finally {
            b.unlock();
        }
        return woken;
    }

    /**
     * Wake up to {@code nWake} lot waiters on {@code from} and move up to {@code nMove} more to
     * {@code to}. Answers woken in the high 32 bits, moved in the low.
     */
    public long requeue(Object key, int keyHash, Object from, Object to, int nWake, int nMove) {
        int hf = hash(keyHash, from), ht = hash(keyHash, to);
        Bucket bf, bt;
        for (;;) {
            Bucket[] t = table;
            int i = spread(hf, t.length), j = spread(ht, t.length);
            bf = t[i];
            bt = t[j];
            if (i == j) {
                bf.lock();
            } else if (i < j) {
                bf.lock();
                bt.lock();
            } else {
                bt.lock();
                bf.lock();
            }
            if (t == table) {
                break;
            }
            bf.unlock();
            if (bt != bf) {
                bt.unlock();
            }
        }
        int woken = 0, moved = 0;
        try {
            for (Waiter w = bf.head; w != null && (woken < nWake || moved < nMove); ) {
                Waiter next = w.next;
                if (matches(w, Waiter.KIND_LOT, key, from) && (w.pw & (Waiter.SLEEPING | Waiter.WOKEN)) == Waiter.SLEEPING) {
                    if (woken < nWake) {
                        if (claim(w, bf)) {
                            woken++;
                        }
                    } else {
                        w.hint = to;
                        w.setWchanRelease(channelOf(to));
                        bf.moveTo(w, bt);
                        moved++;
                    }
                }
                w = next;
            }
        } finally {
            bf.unlock();
            if (bt != bf) {
                bt.unlock();
            }
        }
        return ((long) woken << 32) | moved;
    }

    private static boolean matches(Waiter w, int kind, Object key, Object hint) {
        return w.kind == kind && w.key == key && Objects.equals(w.hint, hint);
    }

    /**
     * Wake a linked sleeper found under the lock of its bucket {@code b}: set WOKEN_UNPARK, unlink
     * it, and unpark its thread if it declared itself BLOCKED (it cannot block after seeing WOKEN).
     * Unparking under the lock keeps the waker from touching a waiter that has already gone on.
     */
    private static boolean claim(Waiter w, Bucket b) {
        for (;;) {
            int s = w.pw;
            if ((s & (Waiter.SLEEPING | Waiter.WOKEN)) != Waiter.SLEEPING) {
                return false;
            }
            if (w.casPw(s, s | Waiter.WOKEN_UNPARK)) {
                b.unlink(w);
                if ((s & Waiter.BLOCKED) != 0) {
                    LockSupport.unpark(w.sleeperThread());
                }
                return true;
            }
        }
    }
}
