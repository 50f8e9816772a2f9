package org.lwp4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.lwp4j.LwpExit;
import org.lwp4j.ParkResult;
import org.lwp4j.kern.Handles;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.Waiter;

/**
 * A count-down latch in one int, on the JVM-wide parking lot (the methods of
 * {@link java.util.concurrent.CountDownLatch}): waiters wait until the count reaches zero, which
 * it then keeps. Usable from any thread, between LWPs of different processes and supervisors
 * alike; waits are safe points on an LWP (an exit or SIGKILL ends them with {@link LwpExit});
 * {@link org.lwp4j.Lwp#wakeup} acts as an interrupt.
 *
 * <p>Memory effects: actions before a {@link #countDown()} happen-before a return from
 * {@link #await()} that the count's reaching zero allowed.
 */
public final class Latch {
    /*
     * The word: bit 0 PARKED (waiters may sleep on the lot under this object), bits 1..31 the
     * count. await sets PARKED and sleeps, validated under the bucket lock against "PARKED and
     * count > 0"; the countDown that reaches zero clears PARKED in the same CAS and, if it was
     * set, wakes every sleeper. No spin: a latch is usually awaited for long.
     */
    private static final int PARKED = 1, SHIFT = 1;
    private static final int MAX = (1 << 30) - 1;

    private volatile int state;

    /**
     * A latch that opens after {@code count} count-downs.
     *
     * @param count the count; 0 makes an open latch
     * @throws IllegalArgumentException if negative or above 2^30 - 1
     */
    public Latch(int count) {
        if (count < 0 || count > MAX) {
            throw new IllegalArgumentException("Latch(" + count + "): outside [0, 2^30 - 1]");
        }
        this.state = count << SHIFT;
    }

    /** Count down; the count-down to zero wakes every waiter; at zero, nothing happens. */
    public void countDown() {
        for (;;) {
            int s = state;
            if ((s >>> SHIFT) == 0) {
                return;
            }
            int n = s - (1 << SHIFT);
            if ((n >>> SHIFT) == 0) {
                n = 0;
            }
            if (STATE.compareAndSet(this, s, n)) {
                if (n == 0 && (s & PARKED) != 0) {
                    GlobalLot.syncWake(this, Integer.MAX_VALUE);
                }
                return;
            }
        }
    }

    /**
     * The count now.
     *
     * @return the count
     */
    public long getCount() {
        return state >>> SHIFT;
    }

    /**
     * Wait until the count is zero.
     *
     * @throws InterruptedException if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    public void await() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("Latch.await");
        }
        if ((state >>> SHIFT) != 0 && await(false, 0L) == Mutex.INTERRUPTED) {
            throw new InterruptedException("Latch.await");
        }
    }

    /**
     * Wait until the count is zero, at most {@code time}.
     *
     * @param time how long at most
     * @param unit its unit
     * @return true if the count reached zero, false if the time passed first
     * @throws InterruptedException if interrupted (or woken by {@link org.lwp4j.Lwp#wakeup})
     * @throws NullPointerException if unit is null
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        long deadline = Deadlines.after(time, unit);
        if (Thread.interrupted()) {
            throw new InterruptedException("Latch.await");
        }
        if ((state >>> SHIFT) == 0) {
            return true;
        }
        int r = await(true, deadline);
        if (r == Mutex.INTERRUPTED) {
            throw new InterruptedException("Latch.await");
        }
        return r == Mutex.ACQUIRED;
    }

    private int await(boolean timed, long deadline) {
        Waiter w = null;
        for (;;) {
            int s = state;
            if ((s >>> SHIFT) == 0) {
                return Mutex.ACQUIRED;
            }
            if ((s & PARKED) == 0 && !STATE.compareAndSet(this, s, s | PARKED)) {
                continue;
            }
            if (w == null) {
                w = GlobalLot.waiter();
            }
            ParkResult r = GlobalLot.syncWait(w, this, this::closedAndParked, timed, deadline, true, 0L);
            if (r == ParkResult.TIMED_OUT) {
                return (state >>> SHIFT) == 0 ? Mutex.ACQUIRED : Mutex.TIMED_OUT;
            }
            if (r == ParkResult.INTERRUPTED) {
                return Mutex.INTERRUPTED;
            }
        }
    }

    private boolean closedAndParked() {
        int s = state;
        return (s & PARKED) != 0 && (s >>> SHIFT) != 0;
    }

    /**
     * A description for thread dumps and {@code ps}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "Latch@" + Integer.toHexString(System.identityHashCode(this)) + "[count = " + getCount() + "]";
    }

    // VarHandle mechanics
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);
}
