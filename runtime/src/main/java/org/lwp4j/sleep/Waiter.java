package org.lwp4j.sleep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A thread that can sleep in the {@link SleepTable}: the LWP record extends this, so the sleeper
 * is its own queue node and a sleep allocates nothing.
 */
public abstract class Waiter {
    /*
     * The park word packs the whole sleep state machine into one int. Only the owner sets
     * SLEEPING and clears bits; others only OR bits in with CAS. A sleep ends with exactly one
     * outcome, decided by the one CAS that either sets a WOKEN_* bit (a waker) or clears SLEEPING
     * (the sleeper giving up on time-out, interrupt or safe-point request).
     *
     *   SLEEPING     in park or wait: spinning or blocked, owner only sets it
     *   BLOCKED      the owner is (about to be) inside LockSupport.park: a waker must unpark it
     *   NOINTR       the sleep is uninterruptible (wakeup answers EBUSY, kicks are ignored)
     *   WOKEN_UNPARK outcome UNPARKED chosen by a waker
     *   WOKEN_INTR   outcome INTERRUPTED chosen by a waker (wakeup, safe-point kick)
     *   PEND_UNPARK  NetBSD LW_UNPARKED: the next sleep returns ALREADY at once
     *   PEND_CANCEL  NetBSD LW_CANCELLED: idem, left by a wakeup that found no sleeper
     */
    public static final int SLEEPING = 1;
    public static final int BLOCKED = 1 << 1;
    public static final int NOINTR = 1 << 2;
    public static final int WOKEN_UNPARK = 1 << 3;
    public static final int WOKEN_INTR = 1 << 4;
    public static final int PEND_UNPARK = 1 << 5;
    public static final int PEND_CANCEL = 1 << 6;
    static final int WOKEN = WOKEN_UNPARK | WOKEN_INTR;
    static final int PENDING = PEND_UNPARK | PEND_CANCEL;
    static final int SLEEP_BITS = SLEEPING | BLOCKED | NOINTR | WOKEN;

    /** The park word; see the packing above. */
    volatile int pw;
    /** Number of sleeps begun (NetBSD's counter, adapted); written by the owner only. */
    volatile int parkCount;
    /** The hint slept on, published before SLEEPING; null when not asleep. */
    volatile Object wchan;

    // Queue links and key: guarded by the lock of the bucket the waiter is linked in.
    Object key;
    int keyHash;
    Object hint;
    Waiter prev, next;
    Bucket bucket;
    /** What kind of sleep links this waiter: LWP park, parking-lot wait, kernel wait. */
    int kind;
    static final int KIND_PARK = 0, KIND_LOT = 1, KIND_KERNEL = 2;

    /** The platform thread this waiter runs on. */
    protected abstract Thread sleeperThread();

    /**
     * True when a safe-point request (suspend, stop, signal, exit) is pending on this waiter: an
     * interruptible sleep then ends INTERRUPTED so the caller can act on it.
     */
    protected abstract boolean safePointPending();

    /** The current park word, for diagnostics (ctl, ps). */
    public final int parkWord() {
        return pw;
    }

    public final int parkCount() {
        return parkCount;
    }

    /** The hint this waiter sleeps on, or null. */
    public final Object waitChannel() {
        return wchan;
    }

    /** True while asleep (spinning or blocked) and not yet woken. */
    public final boolean isSleeping() {
        return (pw & (SLEEPING | WOKEN)) == SLEEPING;
    }

    final boolean casPw(int expect, int update) {
        return PW.compareAndSet(this, expect, update);
    }

    /**
     * Unpark: wake this waiter if it sleeps (whatever its hint, interruptible or not), else leave
     * one pending permit. O(1): works on the waiter's own word only.
     *
     * @return true if a sleeper was woken
     */
    public final boolean unpark() {
        for (;;) {
            int s = pw;
            if ((s & (SLEEPING | WOKEN)) == SLEEPING) {
                if (casPw(s, s | WOKEN_UNPARK)) {
                    if ((s & BLOCKED) != 0) {
                        java.util.concurrent.locks.LockSupport.unpark(sleeperThread());
                    }
                    return true;
                }
            } else if ((s & PEND_UNPARK) != 0 || casPw(s, s | PEND_UNPARK)) {
                return false;
            }
        }
    }

    /** Answers of {@link #wakeup()}. */
    public static final int WAKEUP_DONE = 0, WAKEUP_NOT_SLEEPING = 1, WAKEUP_UNINTERRUPTIBLE = 2;

    /**
     * NetBSD {@code _lwp_wakeup}: if sleeping interruptibly, end the sleep INTERRUPTED; otherwise
     * leave the cancel and unpark marks pending so the next sleep returns ALREADY.
     */
    public final int wakeup() {
        for (;;) {
            int s = pw;
            if ((s & (SLEEPING | WOKEN | NOINTR)) == SLEEPING) {
                if (casPw(s, s | WOKEN_INTR)) {
                    if ((s & BLOCKED) != 0) {
                        java.util.concurrent.locks.LockSupport.unpark(sleeperThread());
                    }
                    return WAKEUP_DONE;
                }
            } else if (casPw(s, s | PENDING)) {
                return (s & (SLEEPING | WOKEN | NOINTR)) == (SLEEPING | NOINTR)
                        ? WAKEUP_UNINTERRUPTIBLE : WAKEUP_NOT_SLEEPING;
            }
        }
    }

    /** Leave the cancel and unpark marks pending without waking anything (target not asleep). */
    public final void wakeupMarksOnly() {
        for (;;) {
            int s = pw;
            if ((s & PENDING) == PENDING || casPw(s, s | PENDING)) {
                return;
            }
        }
    }

    /**
     * Kick after posting a safe-point request: end an interruptible sleep INTERRUPTED, leave
     * no mark otherwise (the request itself is seen at the next safe point).
     */
    public final void kick() {
        for (;;) {
            int s = pw;
            if ((s & (SLEEPING | WOKEN | NOINTR)) != SLEEPING) {
                return;
            }
            if (casPw(s, s | WOKEN_INTR)) {
                if ((s & BLOCKED) != 0) {
                    java.util.concurrent.locks.LockSupport.unpark(sleeperThread());
                }
                return;
            }
        }
    }

    private static final VarHandle PW;

    static {
        try {
            PW = MethodHandles.lookup().findVarHandle(Waiter.class, "pw", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
