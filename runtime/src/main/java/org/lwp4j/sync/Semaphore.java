package org.lwp4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.kern.Handles;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.SleepTable;

/**
 * A counting semaphore in one int, on the JVM-wide parking lot (POSIX {@code sem_t}, with the
 * methods of {@link java.util.concurrent.Semaphore}): permits are taken and given back in any
 * number, by any thread; acquisitions barge (non-fair, as j.u.c.'s default). Usable between LWPs
 * of different processes and supervisors alike; waits are safe points on an LWP (an exit or
 * SIGKILL ends them with {@link LwpExit}); {@link org.lwp4j.Lwp#wakeup} acts as an interrupt on
 * the interruptible forms.
 *
 * <p>Permits range from -2^29 to 2^29 - 1. A release that would pass the top fails with
 * {@link LwpException} EINVAL and changes nothing; a negative count of permits in any method
 * is an {@link IllegalArgumentException}, as in j.u.c.
 *
 * <p>Memory effects: actions before a release happen-before an acquisition that takes its
 * permits.
 */
public final class Semaphore {
    /*
     * Implementation overview. The word: bit 0 PARKED (acquirers may sleep on the lot under
     * this object), bit 1 BIG (one of them may want more than one permit), bits 2..31 the
     * signed permit count. acquire(n) CASes n permits away when at least n are there; else it
     * spins briefly while nobody sleeps, sets PARKED (and BIG for n > 1) and sleeps, validated
     * under the bucket lock against "those bits set and fewer than n permits".
     *
     * Releases. While no sleeper wants more than one permit, release(n) wakes the n
     * longest sleepers one by one (the lot's wakeOne; the callback clears PARKED with the last
     * sleeper), so a contended Semaphore(1) wakes one thread per release, not a herd. When BIG
     * is set, the release clears PARKED and BIG in the CAS that adds the permits and wakes every
     * sleeper: they want different counts, and waking one could pick one that the new permits
     * do not satisfy. A sleeper woken one by one (token PASS) that finds permits but too few for
     * it passes the wake on the same way (wakes everyone) before it sleeps again; those woken
     * so (token 0) do not pass on, so two big waiters cannot wake each other forever. A woken
     * sleeper always retries before it may give up; if it fails, someone else took the permits
     * and will release them, or there are none.
     */
    private static final int PARKED = 1, BIG = 2, SHIFT = 2;
    private static final int MAX = (1 << 29) - 1, MIN = -(1 << 29);
    /** The token of a sleeper woken one by one by a release. */
    private static final int PASS = 1;

    private volatile int state;

    /**
     * A semaphore with {@code permits} permits.
     *
     * @param permits the initial count; may be negative (releases must come first)
     * @throws IllegalArgumentException if outside [-2^29, 2^29 - 1]
     */
    public Semaphore(int permits) {
        if (permits < MIN || permits > MAX) {
            throw new IllegalArgumentException("Semaphore(" + permits + "): outside [-2^29, 2^29 - 1]");
        }
        this.state = permits << SHIFT;
    }

    private static int permits(int s) {
        return s >> SHIFT;
    }

    private static int check(int n, String call) {
        if (n < 0) {
            throw new IllegalArgumentException(call + "(" + n + "): negative permits");
        }
        return n;
    }

    /**
     * Take one permit, waiting until one is there; not ended by {@link Thread#interrupt()}.
     *
     * @throws InterruptedException if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Take {@code n} permits at once, waiting until they are there.
     *
     * @param n how many
     * @throws InterruptedException     if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws IllegalArgumentException if n is negative
     * @throws LwpExit                  on an LWP whose process exits or that is killed while it waits
     */
    public void acquire(int n) throws InterruptedException {
        check(n, "Semaphore.acquire");
        if (Thread.interrupted()) {
            throw new InterruptedException("Semaphore.acquire");
        }
        if (!tryTake(n) && acquire(n, true, false, 0L) == Mutex.INTERRUPTED) {
            throw new InterruptedException("Semaphore.acquire");
        }
    }

    /**
     * Take one permit, waiting until one is there, whatever interrupts come (the interrupt
     * status is kept).
     *
     * @throws LwpExit on an LWP whose process exits or that is killed while it waits
     */
    public void acquireUninterruptibly() {
        acquireUninterruptibly(1);
    }

    /**
     * Take {@code n} permits, waiting until they are there, whatever interrupts come.
     *
     * @param n how many
     * @throws IllegalArgumentException if n is negative
     * @throws LwpExit                  on an LWP whose process exits or that is killed while it waits
     */
    public void acquireUninterruptibly(int n) {
        check(n, "Semaphore.acquireUninterruptibly");
        if (!tryTake(n)) {
            acquire(n, false, false, 0L);
        }
    }

    /**
     * Take one permit if one is there now.
     *
     * @return true if taken
     */
    public boolean tryAcquire() {
        return tryTake(1);
    }

    /**
     * Take {@code n} permits if they are there now.
     *
     * @param n how many
     * @return true if taken
     * @throws IllegalArgumentException if n is negative
     */
    public boolean tryAcquire(int n) {
        return tryTake(check(n, "Semaphore.tryAcquire"));
    }

    /**
     * Take one permit, waiting at most {@code time}.
     *
     * @param time how long at most
     * @param unit its unit
     * @return true if taken, false if the time passed first
     * @throws InterruptedException if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws NullPointerException if unit is null
     */
    public boolean tryAcquire(long time, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, time, unit);
    }

    /**
     * Take {@code n} permits, waiting at most {@code time}.
     *
     * @param n    how many
     * @param time how long at most
     * @param unit its unit
     * @return true if taken, false if the time passed first
     * @throws InterruptedException     if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws IllegalArgumentException if n is negative
     * @throws NullPointerException     if unit is null
     */
    public boolean tryAcquire(int n, long time, TimeUnit unit) throws InterruptedException {
        check(n, "Semaphore.tryAcquire");
        long deadline = Deadlines.after(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException("Semaphore.tryAcquire");
        }
        if (tryTake(n)) {
            return true;
        }
        int r = acquire(n, true, true, deadline);
        if (r == Mutex.INTERRUPTED) {
            throw new InterruptedException("Semaphore.tryAcquire");
        }
        return r == Mutex.ACQUIRED;
    }

    /** Give one permit back (or for the first time). */
    public void release() {
        release(1);
    }

    /**
     * Give {@code n} permits.
     *
     * @param n how many
     * @throws IllegalArgumentException if n is negative
     * @throws LwpException             EINVAL if the count would pass 2^29 - 1 (nothing changes)
     */
    public void release(int n) {
        check(n, "Semaphore.release");
        int s;
        for (;;) {
            s = state;
            if ((long) permits(s) + n > MAX) {
                throw new LwpException(Errno.EINVAL, "Semaphore.release(" + n + "): " + permits(s)
                        + " permits, at most 2^29 - 1");
            }
            int next = s + (n << SHIFT);
            if ((s & BIG) != 0) {
                next &= ~(PARKED | BIG);
            }
            if (STATE.compareAndSet(this, s, next)) {
                break;
            }
        }
        if ((s & BIG) != 0) {
            GlobalLot.syncWake(this, Integer.MAX_VALUE);
        } else if ((s & PARKED) != 0) {
            for (int i = 0; i < n && GlobalLot.syncWakeOne(this, WOKEN_ONE); i++) {
                // one sleeper per permit, longest first
            }
        }
    }

    /** A sleeper woken one by one: PARKED goes with the last one; the sleeper may pass it on. */
    private static final SleepTable.WakeOne WOKEN_ONE = (hint, woken, waited, more) -> {
        if (!more) {
            Semaphore sem = (Semaphore) hint;
            for (;;) {
                int s = sem.state;
                if ((s & (PARKED | BIG)) != PARKED || Semaphore.STATE.compareAndSet(sem, s, s & ~PARKED)) {
                    break;
                }
            }
        }
        return PASS;
    };

    /** Wake every sleeper (a woken one that cannot use the permits it was woken for). */
    private void passOn() {
        for (;;) {
            int s = state;
            if ((s & PARKED) == 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s & ~(PARKED | BIG))) {
                GlobalLot.syncWake(this, Integer.MAX_VALUE);
                return;
            }
        }
    }

    /**
     * The permits available now (a snapshot; negative while releases are owed).
     *
     * @return the count
     */
    public int availablePermits() {
        return permits(state);
    }

    /**
     * Take every permit available now.
     *
     * @return how many were taken (0 if none or the count is negative)
     */
    public int drainPermits() {
        for (;;) {
            int s = state;
            int p = permits(s);
            if (p <= 0) {
                return 0;
            }
            if (STATE.compareAndSet(this, s, s & (PARKED | BIG))) {
                return p;
            }
        }
    }

    /**
     * A description for thread dumps and {@code ps}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "Semaphore@" + Integer.toHexString(System.identityHashCode(this)) + "[permits = "
                + availablePermits() + "]";
    }

    private boolean tryTake(int n) {
        for (;;) {
            int s = state;
            if (permits(s) < n) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s - (n << SHIFT))) {
                return true;
            }
        }
    }

    /** The primary acquisition: Repeatedly: take, spin, set PARKED, sleep; see the overview. */
    private int acquire(int n, boolean interruptible, boolean timed, long deadline) {
        Acquisition a = new Acquisition(interruptible, timed, deadline);
        int bits = n > 1 ? PARKED | BIG : PARKED;
        BooleanSupplier mustSleep = () -> {
            int v = state;
            return (v & bits) == bits && permits(v) < n;
        };
        boolean passed = false;
        for (;;) {
            int s = state;
            if (permits(s) >= n) {
                if (STATE.compareAndSet(this, s, s - (n << SHIFT))) {
                    return Mutex.ACQUIRED;
                }
                continue;
            }
            if (passed) {
                passed = false;
                if (permits(s) > 0) {
                    passOn(); // woken for permits that are too few for us: maybe not for others
                    continue;
                }
            }
            int r = a.await(STATE, this, s, PARKED, bits, this, mustSleep);
            if (r == Mutex.TIMED_OUT || r == Mutex.INTERRUPTED) {
                return r;
            }
            passed = r == Acquisition.WOKEN && a.token() == PASS;
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);
}
