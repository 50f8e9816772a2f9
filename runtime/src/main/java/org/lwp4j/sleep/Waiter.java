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
     * (the sleeper giving up on time-out, interrupt or safe-point request). A sleep a waker
     * ended keeps its bits until the owner's next sleep clears them with its first CAS
     * (SleepTable.finish): so "asleep" is SLEEPING without WOKEN, never SLEEPING alone, for
     * every reader (isSleeping, sleepsInterruptibly and the tests below).
     *
     *   SLEEPING     in park or wait: spinning or blocked, owner only sets it
     *   BLOCKED      the owner is (about to be) inside LockSupport.park: a waker must unpark it
     *   NOINTR       the sleep is uninterruptible (wakeup answers EBUSY, kicks are ignored)
     *   WOKEN_UNPARK outcome UNPARKED chosen by a waker
     *   WOKEN_INTR   outcome INTERRUPTED chosen by a waker (wakeup, safe-point kick)
     *   PEND_UNPARK  NetBSD LW_UNPARKED: the next sleep returns ALREADY at once
     *   PEND_CANCEL  NetBSD LW_CANCELLED: idem, left by a wakeup that found no sleeper
     *   KWAIT        the sleep is a kernel condition wait (cv_wait), not a park: a targeted
     *                unpark leaves PEND_UNPARK instead of ending it, as NetBSD's lwp_unpark does
     *                for an LWP whose l_syncobj is not lwp_park_sobj. Without this bit the kernel
     *                wait would swallow the permit and the LWP's next park would sleep: a lost
     *                unpark (e.g. an unpark sent to a suspended LWP).
     */
    public static final int SLEEPING = 1, BLOCKED = 1 << 1, NOINTR = 1 << 2, WOKEN_UNPARK = 1 << 3,
            WOKEN_INTR = 1 << 4, PEND_UNPARK = 1 << 5, PEND_CANCEL = 1 << 6, KWAIT = 1 << 7;
    static final int WOKEN = WOKEN_UNPARK | WOKEN_INTR, PENDING = PEND_UNPARK | PEND_CANCEL,
            SLEEP_BITS = SLEEPING | BLOCKED | NOINTR | KWAIT | WOKEN;

    /** The park word; see the packing above. */
    volatile int pw;
    /**
     * The spin policies of parks and parking-lot waits, and of kernel waits (which spin by
     * yielding); see SpinBudget. Owner only, each made at the owner's first sleep of its kind:
     * an LWP that never sleeps (a short task) allocates neither, 48 bytes of its create + exit.
     */
    private SpinBudget parkSpin, kwaitSpin;

    /** The park spin budget (owner only; made on first use). */
    final SpinBudget parkSpin() {
        SpinBudget b = parkSpin;
        if (b == null) {
            parkSpin = b = new SpinBudget(SleepTable.SPIN_NANOS);
        }
        return b;
    }

    /** The kernel-wait spin budget (owner only; made on first use). */
    final SpinBudget kwaitSpin() {
        SpinBudget b = kwaitSpin;
        if (b == null) {
            kwaitSpin = b = new SpinBudget(SleepTable.KWAIT_SPIN_NANOS);
        }
        return b;
    }

    /**
     * Number of sleeps begun (NetBSD's counter, adapted); written by the owner only, with a
     * release store (countPark): readers want a recent count, not a fence in every sleep.
     */
    volatile int parkCount;
    /**
     * The hint slept on, published (release) before SLEEPING and cleared after the waiter has
     * left its bucket; null when not asleep.
     */
    volatile Object wchan;

    // Queue links and key: guarded by the lock of the bucket the waiter is linked in.
    Object key;
    int keyHash;
    Object hint;
    /**
     * hash(keyHash, hint), computed by the owner before it takes any lock: the hint's hashCode
     * is user code, and a resize that called it under every bucket lock would leave the table
     * locked if it threw. Written by the owner before linking, read under the bucket lock.
     */
    int hash;
    Waiter prev, next;
    /**
     * The bucket this waiter is linked in, or null. Written under that bucket's lock; it never
     * passes through null while a waiter moves (resize, requeue), and the write of null that
     * unlinks it is a release store after the link writes, so that the owner may read it
     * (acquire) without the lock: null then means unlinked for good, by someone who no longer
     * touches the links. See SleepTable.dequeue.
     */
    Bucket bucket;
    /**
     * Synchronizer waits (SleepTable.syncWait): when the waiter was linked (the table's clock),
     * for the waker's eventual-fairness decision, and the token a wakeOne left for it. Both are
     * written under the bucket lock; the owner reads the token after its sleep ended UNPARKED
     * (the waker writes it before the unlink's release store, see Bucket.unlink).
     */
    long lotSince;
    int lotToken;
    /** What kind of sleep links this waiter: LWP park, parking-lot wait, kernel wait. */
    int kind;
    static final int KIND_PARK = 0, KIND_LOT = 1, KIND_KERNEL = 2;

    /** Set the key, hint, kind and hash of the sleep about to begin (owner only, before linking). */
    final void prepare(Object key, int keyHash, Object hint, int kind, int hash) {
        this.key = key;
        this.keyHash = keyHash;
        this.hint = hint;
        this.kind = kind;
        this.hash = hash;
    }

    /** One more sleep begun (owner only). */
    final void countPark() {
        PARK_COUNT.setRelease(this, parkCount + 1);
    }

    /** The platform thread this waiter runs on. */
    protected abstract Thread sleeperThread();

    /**
     * True when a safe-point request (suspend, stop, signal, exit) is pending on this waiter: an
     * interruptible sleep then ends INTERRUPTED so the caller can act on it.
     */
    protected abstract boolean safePointPending();

    /**
     * True when the owner must end (process exit, SIGKILL): an uninterruptible parking-lot wait
     * ends too, so that exit and close can end every lwp4j sleep. Kernel waits are not ended by
     * it (their callers wait for kernel work that ends by itself). False unless overridden.
     */
    protected boolean exitPending() {
        return false;
    }

    /** The current park word, for diagnostics (ctl, ps). */
    public final int parkWord() {
        return pw;
    }

    /** True while asleep (spinning or blocked) and not yet woken. */
    public final boolean isSleeping() {
        return (pw & (SLEEPING | WOKEN)) == SLEEPING;
    }

    /** True while asleep interruptibly (a wakeup or a kick would end the sleep) and not yet woken. */
    public final boolean sleepsInterruptibly() {
        return (pw & (SLEEPING | WOKEN | NOINTR)) == SLEEPING;
    }

    /** The hint this waiter sleeps on, or null. */
    public final Object waitChannel() {
        return wchan;
    }

    /** How many sleeps this waiter has begun (see parkCount's field). */
    public final int parkCount() {
        return parkCount;
    }

    /**
     * The token the {@link SleepTable#wakeOne} that ended this waiter's last
     * {@link SleepTable#syncWait} left for it; 0 after any other end. Owner only, after the sleep.
     */
    public final int lotToken() {
        return lotToken;
    }

    /**
     * When this waiter's last {@link SleepTable#syncWait} counts its wait from (the table's
     * clock): what its caller passed, or when it was linked. Owner only, after the sleep.
     */
    public final long lotSince() {
        return lotSince;
    }

    final boolean casPw(int expect, int update) {
        return PW.compareAndSet(this, expect, update);
    }

    final Bucket bucketAcquire() {
        return (Bucket) BUCKET.getAcquire(this);
    }

    final void setBucketRelease(Bucket b) {
        BUCKET.setRelease(this, b);
    }

    final void setWchanRelease(Object hint) {
        WCHAN.setRelease(this, hint);
    }

    /**
     * Unpark: wake this waiter if it sleeps in a park or a parking-lot wait (whatever its hint,
     * interruptible or not), else leave one pending permit; a kernel wait is not ended, it keeps
     * the permit for the next park. O(1): works on the waiter's own word only.
     *
     * @return true if a sleeper was woken
     */
    public final boolean unpark() {
        return endOrPend(SLEEPING | WOKEN | KWAIT, WOKEN_UNPARK, PEND_UNPARK) == ENDED;
    }

    /** Answers of {@link #wakeup()}. */
    public static final int WAKEUP_DONE = 0, WAKEUP_NOT_SLEEPING = 1, WAKEUP_UNINTERRUPTIBLE = 2;

    /**
     * NetBSD {@code _lwp_wakeup}: if sleeping interruptibly, end the sleep INTERRUPTED; otherwise
     * leave the cancel and unpark marks pending so the next sleep returns ALREADY.
     */
    public final int wakeup() {
        int s = endOrPend(SLEEPING | WOKEN | NOINTR, WOKEN_INTR, PENDING);
        if (s == ENDED) {
            return WAKEUP_DONE;
        }
        return (s & (SLEEPING | WOKEN | NOINTR)) == (SLEEPING | NOINTR) ? WAKEUP_UNINTERRUPTIBLE : WAKEUP_NOT_SLEEPING;
    }

    /** What {@link #endOrPend} answers when it ended the sleep (no park word is negative). */
    private static final int ENDED = -1;

    /**
     * The rule of unpark and wakeup, each with its masks. Repeatedly: if the word shows a sleep
     * this waker may end ({@code (word & asleep) == SLEEPING}), end it with outcome bit
     * {@code woken} ({@link #endSleep}) and answer ENDED; else make sure the marks {@code pend}
     * are in the word (a CAS unless they all are already) and answer the word as it was.
     */
    private int endOrPend(int asleep, int woken, int pend) {
        for (;;) {
            int s = pw;
            if ((s & asleep) == SLEEPING) {
                if (endSleep(s, woken)) {
                    return ENDED;
                }
            } else if ((s & pend) == pend || casPw(s, s | pend)) {
                return s;
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
            if (endSleep(s, WOKEN_INTR)) {
                return;
            }
        }
    }

    /**
     * Kick after posting an exit request: as {@link #kick()}, and also end an uninterruptible
     * parking-lot wait INTERRUPTED (its caller then acts on the exit at its safe point). A kernel
     * wait that ends by mistake (the word read belongs to a later sleep) is a spurious return,
     * which every kernel wait re-checks.
     */
    public final void kickExit() {
        for (;;) {
            int s = pw;
            if ((s & (SLEEPING | WOKEN)) != SLEEPING || ((s & NOINTR) != 0 && kind != KIND_LOT)) {
                return;
            }
            if (endSleep(s, WOKEN_INTR)) {
                return;
            }
        }
    }

    /**
     * A waker's end of the sleep whose word it read as {@code s}: one CAS sets the outcome bit
     * {@code woken} (false if the word moved meanwhile), then the owner is unparked if it had
     * blocked in LockSupport.park.
     */
    private boolean endSleep(int s, int woken) {
        if (!casPw(s, s | woken)) {
            return false;
        }
        if ((s & BLOCKED) != 0) {
            java.util.concurrent.locks.LockSupport.unpark(sleeperThread());
        }
        return true;
    }

    private static final VarHandle PW;
    private static final VarHandle BUCKET;
    private static final VarHandle WCHAN;
    private static final VarHandle PARK_COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PW = l.findVarHandle(Waiter.class, "pw", int.class);
            BUCKET = l.findVarHandle(Waiter.class, "bucket", Bucket.class);
            WCHAN = l.findVarHandle(Waiter.class, "wchan", Object.class);
            PARK_COUNT = l.findVarHandle(Waiter.class, "parkCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
