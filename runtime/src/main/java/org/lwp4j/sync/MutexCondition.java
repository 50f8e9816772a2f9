package org.lwp4j.sync;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.lwp4j.LwpExit;
import org.lwp4j.ParkResult;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.Waiter;

/**
 * A {@link Condition} of a {@link Mutex} (see {@link Mutex#newCondition()}).
 */
final class MutexCondition implements Condition {
    /*
     * Implementation overview (a futex condition variable with requeue; parking_lot Condvar).
     *
     * seq counts signals in steps of 2; bit 0 (WAITERS) says that someone may be waiting. Every
     * write of seq is made by the mutex holder, so plain volatile writes suffice; sleepers read
     * it in their validation. await: set WAITERS, remember seq, release the mutex, and sleep on
     * the lot under this condition if seq is still what it was (validated under the bucket
     * lock, so a signal between the release and the sleep is never lost: it changed seq). The
     * mutex is reacquired before await returns, unless a wake from the mutex's queue handed it
     * over already.
     *
     * signal / signalAll: bump seq, then move one / every sleeper from this condition's queue
     * to the mutex's (futex FUTEX_CMP_REQUEUE, the way parking_lot's Condvar does), and mark the
     * mutex PARKED so that the holder's unlock wakes (or hands the lock to) the longest of
     * them: no herd wakes only to block on the mutex again. signalAll also clears WAITERS.
     *
     * A waiter that times out or is interrupted after a signal may have been the one that the
     * signal picked; it passes one signal on (a spurious wake for another waiter at worst), so
     * that no signal is lost to a waiter that leaves.
     *
     * Safe points of an LWP happen with the mutex released: a signal handler or a stop never
     * runs holding it. An exit (LwpExit) leaves with the mutex released; see Unwound.
     */
    private static final int WAITERS = 1, STEP = 2;
    private static final int SIGNALLED = 0;

    private final Mutex mutex;
    private volatile int seq;

    MutexCondition(Mutex mutex) {
        this.mutex = mutex;
    }

    @Override
    public void await() throws InterruptedException {
        awaitInterruptibly(false, 0L, "Condition.await");
    }

    @Override
    public void awaitUninterruptibly() {
        await(false, false, 0L);
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = Deadlines.afterNanos(nanosTimeout);
        awaitInterruptibly(true, deadline, "Condition.awaitNanos");
        return deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitInterruptibly(true, Deadlines.after(time, unit), "Condition.await") != Mutex.TIMED_OUT;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitInterruptibly(true, Deadlines.at(deadline), "Condition.awaitUntil") != Mutex.TIMED_OUT;
    }

    /**
     * The interruptible awaits: a pending interrupt throws before the mutex is released, an
     * interrupted sleep after it is taken again, both named after {@code call}.
     */
    private int awaitInterruptibly(boolean timed, long deadline, String call) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(call);
        }
        int r = await(true, timed, deadline);
        if (r == Mutex.INTERRUPTED) {
            throw new InterruptedException(call);
        }
        return r;
    }

    /** The one await; answers SIGNALLED (or spurious), TIMED_OUT or INTERRUPTED. */
    private int await(boolean interruptible, boolean timed, long deadline) {
        int me = Mutex.self();
        mutex.checkHeld(me, "Condition.await");
        Waiter w = GlobalLot.waiter();
        int seen = seq | WAITERS;
        seq = seen;
        mutex.release(me);
        ParkResult r;
        try {
            r = GlobalLot.syncWait(w, this, () -> seq == seen, timed, deadline, interruptible, 0L);
        } catch (LwpExit e) {
            Unwound.mark(mutex);
            throw e;
        }
        if (r != ParkResult.UNPARKED || w.lotToken() != Mutex.HANDOFF) {
            try {
                mutex.acquire(me, false, false, 0L, "Condition.await");
            } catch (LwpExit e) {
                Unwound.mark(mutex);
                throw e;
            }
        }
        int outcome = r == ParkResult.TIMED_OUT ? Mutex.TIMED_OUT
                : r == ParkResult.INTERRUPTED && interruptible ? Mutex.INTERRUPTED : SIGNALLED;
        if (outcome != SIGNALLED && seq != seen) {
            signal(); // we may have been the one a signal picked: pass it on
        }
        return outcome;
    }

    @Override
    public void signal() {
        mutex.checkHeld(Mutex.self(), "Condition.signal");
        int s = seq;
        if ((s & WAITERS) != 0) {
            seq = s + STEP;
            if (GlobalLot.syncRequeue(this, mutex, 1) > 0) {
                mutex.markParked();
            }
        }
    }

    @Override
    public void signalAll() {
        mutex.checkHeld(Mutex.self(), "Condition.signalAll");
        int s = seq;
        if ((s & WAITERS) != 0) {
            seq = (s + STEP) & ~WAITERS;
            if (GlobalLot.syncRequeue(this, mutex, Integer.MAX_VALUE) > 0) {
                mutex.markParked();
            }
        }
    }

    @Override
    public String toString() {
        return "Condition@" + Integer.toHexString(System.identityHashCode(this)) + " of " + mutex;
    }
}
