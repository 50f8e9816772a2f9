package org.lwp4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.kern.Handles;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.SleepTable;

/**
 * A mutual-exclusion {@link Lock} in one int, on the JVM-wide parking lot: fast when
 * uncontended, barging with a brief spin under micro-contention, asleep (no CPU) on a long
 * hold, and eventually fair: a waiter that has slept 1 ms or more is handed the lock directly.
 * Usable from any thread, between LWPs of different processes and supervisors alike.
 *
 * <p>Not reentrant: {@link #lock()} by the holder fails with {@link LwpException} EDEADLK
 * (POSIX {@code PTHREAD_MUTEX_ERRORCHECK}), as do the other acquiring methods. {@link #unlock()}
 * by a thread that does not hold it throws {@link IllegalMonitorStateException}.
 *
 * <p>On an LWP every wait here is a safe point: a signal's handler runs and a stop takes effect
 * while the caller waits (the wait then goes on), and when its process exits or it is killed the
 * wait ends with {@link LwpExit}, from {@link #lock()} too, so a plain {@code lock()} never keeps
 * an exit waiting. {@link org.lwp4j.Lwp#wakeup} of a waiting LWP acts as an interrupt on the
 * interruptible forms ({@link InterruptedException}, NetBSD's EINTR) and is a spurious wake for
 * {@link #lock()}.
 *
 * <p>Memory effects: as for {@link Lock}; an {@link #unlock()} happens-before every later
 * successful acquisition.
 *
 * <p>Owner identity is the low 30 bits of the thread id ({@link Thread#getId()}): two threads
 * whose ids are equal modulo 2^30 are taken for one another by the EDEADLK and unlock checks.
 */
public final class Mutex implements Lock {
    /*
     * Implementation overview (WebKit WTF::Lock / LockAlgorithm.h, Rust parking_lot RawMutex).
     *
     * The state word: bit 0 LOCKED, bit 1 PARKED (there may be sleepers on the lot under this
     * object), bits 2..31 the owner's id while LOCKED, 0 otherwise. lock() is one CAS 0 ->
     * LOCKED|owner; unlock() one CAS back to 0. Either fails only when PARKED is set (or on
     * misuse), and goes to its slow path.
     *
     * lockSlow (acquire): Repeatedly:
     *   - the lock is free: CAS LOCKED in, keeping PARKED (barging: the waker's sleeper may lose
     *     the race, which keeps throughput under micro-contention; fairness comes below);
     *   - nobody is parked and spins are left: spin (3 short PAUSE bursts, then yields);
     *   - set PARKED (CAS), then sleep on the lot under this object if the word still says
     *     LOCKED|PARKED: the validation runs under the lot's bucket lock, which unlockSlow's
     *     wake takes too, so a release between our check and our sleep is never lost;
     *   - woken with the HANDOFF token: the unlocker made us the owner; done;
     *   - woken without it, or spuriously: try again (a woken waiter always retries before it
     *     may give up, so no wake is wasted on one that leaves with the lock free);
     *   - timed out or interrupted (as asked): give up.
     * The spin, PARKED and sleep steps are Acquisition.await, which RwLock and Semaphore share.
     *
     * unlockSlow: under the bucket lock (the lot's wakeOne callback), wake the longest sleeper;
     * if it has slept at least FAIR_NANOS, hand it the lock (the word becomes LOCKED|its id,
     * PARKED kept if others remain), else free the lock (PARKED kept if others remain) and let
     * it race for it. Only the holder writes the word while LOCKED|PARKED (lockers that see
     * PARKED go to sleep without a CAS), so the callback's plain store is safe. A sleeper that
     * times out leaves PARKED behind at worst: the next unlock takes the slow path for nothing.
     *
     * Exit: an LWP's sleep ends on its safe-point kick (exit, SIGKILL), GlobalLot.syncWait acts
     * on it and LwpExit unwinds; the word is untouched, since the exiting waiter never held it.
     */
    static final int LOCKED = 1, PARKED = 2, OWNER_SHIFT = 2;
    static final int OWNER_MASK = (1 << 30) - 1;
    /** The token a woken waiter finds when the lock was handed to it. */
    static final int HANDOFF = 1;
    /** A sleeper that has waited this long is handed the lock (eventual fairness). */
    static final long FAIR_NANOS = 1_000_000;
    static final int ACQUIRED = 0, TIMED_OUT = 1, INTERRUPTED = 2;

    private volatile int state;

    /** A new, unlocked mutex. */
    public Mutex() {
    }

    /** The caller's owner id. */
    static int self() {
        return (int) Thread.currentThread().getId() & OWNER_MASK;
    }

    private static int idOf(Thread t) {
        return (int) t.getId() & OWNER_MASK;
    }

    private static int owner(int s) {
        return s >>> OWNER_SHIFT;
    }

    /**
     * Acquire the lock, waiting as long as it takes; not ended by {@link Thread#interrupt()}
     * (the interrupt status is kept).
     *
     * @throws LwpException EDEADLK if the caller holds it already
     * @throws LwpExit      on an LWP whose process exits or that is killed while it waits
     */
    @Override
    public void lock() {
        int me = self();
        if (!STATE.compareAndSet(this, 0, me << OWNER_SHIFT | LOCKED)) {
            acquire(me, false, false, 0L, "Mutex.lock");
        }
    }

    /**
     * Acquire the lock unless interrupted.
     *
     * @throws InterruptedException if the thread is interrupted (or, on an LWP, woken with
     *                              {@link org.lwp4j.Lwp#wakeup}) before or while waiting; the
     *                              interrupt status is cleared
     * @throws LwpException         EDEADLK if the caller holds it already
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("Mutex.lockInterruptibly");
        }
        int me = self();
        if (!STATE.compareAndSet(this, 0, me << OWNER_SHIFT | LOCKED)
                && acquire(me, true, false, 0L, "Mutex.lockInterruptibly") == INTERRUPTED) {
            throw new InterruptedException("Mutex.lockInterruptibly");
        }
    }

    /**
     * Acquire the lock if it is free now (barging: sleepers do not stop it).
     *
     * @return true if acquired
     * @throws LwpException EDEADLK if the caller holds it already
     */
    @Override
    public boolean tryLock() {
        int me = self();
        for (;;) {
            int s = state;
            if ((s & LOCKED) != 0) {
                if (owner(s) == me) {
                    throw deadlock("Mutex.tryLock");
                }
                return false;
            }
            if (STATE.compareAndSet(this, s, s | LOCKED | me << OWNER_SHIFT)) {
                return true;
            }
        }
    }

    /**
     * Acquire the lock, waiting at most {@code time}.
     *
     * @param time how long to wait at most; zero or less: do not wait
     * @param unit the unit of {@code time}
     * @return true if acquired, false if the time passed first
     * @throws InterruptedException if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws LwpException         EDEADLK if the caller holds it already
     * @throws NullPointerException if unit is null
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadlines.after(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException("Mutex.tryLock");
        }
        int me = self();
        if (STATE.compareAndSet(this, 0, me << OWNER_SHIFT | LOCKED)) {
            return true;
        }
        int r = acquire(me, true, true, deadline, "Mutex.tryLock");
        if (r == INTERRUPTED) {
            throw new InterruptedException("Mutex.tryLock");
        }
        return r == ACQUIRED;
    }

    /**
     * Release the lock: wake the longest waiter, or hand it the lock if it has waited 1 ms.
     *
     * @throws IllegalMonitorStateException if the caller does not hold it
     */
    @Override
    public void unlock() {
        int me = self();
        if (!STATE.compareAndSet(this, me << OWNER_SHIFT | LOCKED, 0)) {
            unlockSlow(me);
        }
    }

    /**
     * A new condition bound to this mutex: await, awaitNanos, awaitUntil, awaitUninterruptibly,
     * signal and signalAll, from the holder only ({@link IllegalMonitorStateException}
     * otherwise). signal and signalAll move waiters onto this mutex's queue rather than waking
     * them (futex requeue): the unlock that follows wakes one at a time. Spurious wake-ups are
     * possible, as the {@link Condition} contract allows.
     *
     * @return the condition
     */
    @Override
    public Condition newCondition() {
        return new MutexCondition(this);
    }

    /**
     * Whether some thread holds the lock now (a snapshot, for monitoring).
     *
     * @return true if locked
     */
    public boolean isLocked() {
        return (state & LOCKED) != 0;
    }

    /**
     * Whether the calling thread holds the lock.
     *
     * @return true if the caller is the holder
     */
    public boolean isHeldByCurrentThread() {
        int s = state;
        return (s & LOCKED) != 0 && owner(s) == self();
    }

    /**
     * A description for thread dumps and {@code ps}: locked or not, and the holder's id.
     *
     * @return the description
     */
    @Override
    public String toString() {
        int s = state;
        return "Mutex@" + Integer.toHexString(System.identityHashCode(this))
                + ((s & LOCKED) != 0 ? "[locked by thread " + owner(s) + "]" : "[unlocked]");
    }

    // ------------------------------------------------------------------ slow paths

    static LwpException deadlock(String call) {
        return new LwpException(Errno.EDEADLK, call + ": already held by the calling thread");
    }

    /** The primary acquiring method; see "lockSlow" in the overview. */
    int acquire(int me, boolean interruptible, boolean timed, long deadline, String call) {
        Acquisition a = new Acquisition(interruptible, timed, deadline);
        BooleanSupplier mustSleep = this::lockedAndParked;
        for (;;) {
            int s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.compareAndSet(this, s, s | LOCKED | me << OWNER_SHIFT)) {
                    return ACQUIRED;
                }
                continue;
            }
            if (owner(s) == me) {
                throw deadlock(call);
            }
            int r = a.await(STATE, this, s, PARKED, PARKED, this, mustSleep);
            if (r == Acquisition.WOKEN && a.token() == HANDOFF) {
                return ACQUIRED;
            }
            if (r == TIMED_OUT || r == INTERRUPTED) {
                return r;
            }
        }
    }

    private boolean lockedAndParked() {
        return (state & (LOCKED | PARKED)) == (LOCKED | PARKED);
    }

    private void unlockSlow(int me) {
        int s = state;
        if ((s & LOCKED) == 0 || owner(s) != me) {
            if (Unwound.forgive(this)) {
                return;
            }
            throw new IllegalMonitorStateException("Mutex.unlock: " + this + " is not held by thread " + me);
        }
        if (s == (me << OWNER_SHIFT | LOCKED)) { // PARKED came and went: cannot happen, but be exact
            if (STATE.compareAndSet(this, s, 0)) {
                return;
            }
        }
        GlobalLot.syncWakeOne(this, UNLOCK);
    }

    /** The unlock's decision, under the bucket lock of this mutex's queue. */
    private static final SleepTable.WakeOne UNLOCK = (hint, woken, waited, more) -> {
        Mutex m = (Mutex) hint;
        int parked = more ? PARKED : 0;
        if (woken != null && waited >= FAIR_NANOS) {
            m.state = idOf(woken) << OWNER_SHIFT | LOCKED | parked;
            return HANDOFF;
        }
        m.state = parked;
        return 0;
    };

    /** The caller must hold the lock; for conditions. */
    void checkHeld(int me, String call) {
        int s = state;
        if ((s & LOCKED) == 0 || owner(s) != me) {
            throw new IllegalMonitorStateException(call + ": " + this + " is not held by thread " + me);
        }
    }

    /** Note that sleepers were moved onto this mutex (the holder calls it, for signal). */
    void markParked() {
        STATE.getAndBitwiseOr(this, PARKED);
    }

    /** Release for await: as unlock, by the known holder. */
    void release(int me) {
        if (!STATE.compareAndSet(this, me << OWNER_SHIFT | LOCKED, 0)) {
            unlockSlow(me);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);
}
