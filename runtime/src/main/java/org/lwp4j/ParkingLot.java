package org.lwp4j;

import java.util.function.BooleanSupplier;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.kern.SleepCalls;

/**
 * A keyed parking lot on the sleep table, for building synchronizers: sleep on a hint only if a
 * condition still holds, wake some or all sleepers of a hint, move sleepers from one hint to
 * another. Hints are compared with {@code equals} and, by default, keyed per process (like
 * park: an LWP never wakes a sleeper of another process); those private-key methods must be
 * called from an LWP and are safe points. The {@code *Shared} methods (below) take any thread.
 *
 * <p>No lost wake-up: {@code validate} runs under the lock of the hint's sleep queue, and if it
 * answers true the caller is linked in that queue before the lock is released; {@link #wake}
 * and {@link #requeue} take the same lock. A waker that makes the condition false and then
 * calls {@link #wake} therefore either made {@code validate} answer false or finds the sleeper.
 * {@code validate} must be short, must not block, and must not call back into lwp4j.
 *
 * <p>Memory effects: actions of a thread before a {@code wake} or {@code requeue} that wakes a
 * sleeper happen-before that sleeper's return with UNPARKED; what {@code validate} read is what
 * the last writer before the queue lock published, as for any lock.
 *
 * <p>Waiters queue newest first (LIFO, NetBSD's {@code SOBJ_SLEEPQ_LIFO}): a wake of n wakes the
 * n most recent sleepers. A pending unpark or wakeup mark of the caller (see {@link Lwp#park})
 * makes a wait return ALREADY, and {@link Lwp#unpark} of a waiter wakes it (UNPARKED): callers
 * re-check their condition after every return, as with any park.
 *
 * <p>Process-shared keys (a futex without {@code FUTEX_PRIVATE_FLAG}): the {@code *Shared}
 * methods key a sleep by the hint object alone, so that an LWP of one process wakes an LWP of
 * another on the same object, across supervisors too, and plain threads (not LWPs) may call
 * them. They sleep in one JVM-wide table, apart from every supervisor's own: a shared key never
 * meets a private one, even on an equal hint. On an LWP they are safe points like the private
 * forms (its exit or SIGKILL ends the wait); a plain thread's wait ends only by wake, requeue,
 * deadline and, for {@link #waitShared}, {@link Thread#interrupt()}. Private keys stay the
 * default.
 */
public final class ParkingLot {
    private ParkingLot() {
    }

    /**
     * Sleep on {@code hint} if {@code validate} answers true.
     *
     * @param hint     the queue (may be null); also the blocker a thread dump shows
     * @param validate run once, under the queue lock; false means do not sleep
     * @param deadline absolute {@link System#nanoTime()} deadline or {@link Lwp#FOREVER};
     *                 {@code Long.MIN_VALUE} and {@code Long.MIN_VALUE + 1} have passed
     * @return TIMED_OUT at once if the deadline has passed (validate is not run); INVALID if
     *         validate answered false (no sleep); ALREADY if an unpark or wakeup was pending
     *         (consumed, no sleep); UNPARKED by wake, requeue-wake or unpark; TIMED_OUT;
     *         INTERRUPTED by a wakeup, a signal or {@link Thread#interrupt()} (whose interrupt
     *         status it consumes)
     * @throws NullPointerException if validate is null
     */
    public static ParkResult wait(Object hint, BooleanSupplier validate, long deadline) {
        return SleepCalls.lotWait(hint, validate, deadline != Lwp.FOREVER, deadline, true);
    }

    /**
     * As {@link #wait}, but a sleep that wakeups, signals, safe-point requests and interrupts do
     * not end ({@link Lwp#wakeup} answers EBUSY; an interrupt stays set for the caller to see).
     * Only wake, requeue-wake, unpark, the deadline, or the end of the caller's process (exit,
     * SIGKILL, supervisor close: the wait then ends and the LWP exits at once) end it.
     *
     * @param hint     the queue (may be null); also the blocker a thread dump shows
     * @param validate run once, under the queue lock; false means do not sleep
     * @param deadline absolute {@link System#nanoTime()} deadline or {@link Lwp#FOREVER}
     * @return TIMED_OUT at once if the deadline has passed; INVALID if validate answered false;
     *         ALREADY if an unpark was pending; UNPARKED by wake, requeue-wake or unpark;
     *         TIMED_OUT (never INTERRUPTED: the end of its process unwinds it with LwpExit)
     * @throws NullPointerException if validate is null
     */
    public static ParkResult waitUninterruptibly(Object hint, BooleanSupplier validate, long deadline) {
        return SleepCalls.lotWait(hint, validate, deadline != Lwp.FOREVER, deadline, false);
    }

    /**
     * Wake up to {@code n} sleepers of {@code hint}, newest first.
     *
     * @param hint the queue
     * @param n    the most sleepers to wake (0 wakes none)
     * @return how many were woken
     * @throws LwpException EINVAL if n is negative
     */
    public static int wake(Object hint, int n) {
        return SleepCalls.lotWake(hint, n);
    }

    /**
     * Wake every sleeper of {@code hint}.
     *
     * @param hint the queue
     * @return how many were woken
     */
    public static int wakeAll(Object hint) {
        return SleepCalls.lotWake(hint, Integer.MAX_VALUE);
    }

    /**
     * The answer of {@link #requeue}: how many sleepers were woken and how many moved.
     *
     * @param woken sleepers of {@code from} woken
     * @param moved sleepers moved from {@code from} to {@code to}
     */
    public record Requeued(int woken, int moved) {
    }

    /**
     * Wake up to {@code nWake} sleepers of {@code from}, then move up to {@code nMove} more to
     * {@code to} (where a later wake of {@code to} finds them), as futex FUTEX_REQUEUE.
     *
     * @param from  the queue to wake and move from
     * @param to    the queue the moved sleepers join
     * @param nWake the most sleepers of {@code from} to wake
     * @param nMove the most further sleepers of {@code from} to move to {@code to}
     * @return how many were woken and how many moved
     * @throws LwpException EINVAL if a count is negative
     */
    public static Requeued requeue(Object from, Object to, int nWake, int nMove) {
        return requeued(SleepCalls.lotRequeue(from, to, nWake, nMove));
    }

    /**
     * As {@link #wait}, on a process-shared key: sleeps on {@code hint} as keyed by the object
     * alone, from any thread.
     *
     * @param hint     the shared queue (may be null); also the blocker a thread dump shows
     * @param validate run once, under the queue lock; false means do not sleep
     * @param deadline absolute {@link System#nanoTime()} deadline or {@link Lwp#FOREVER}
     * @return as {@link #wait}: TIMED_OUT, INVALID, ALREADY (an LWP's pending unpark or wakeup),
     *         UNPARKED or INTERRUPTED
     * @throws NullPointerException if validate is null
     */
    public static ParkResult waitShared(Object hint, BooleanSupplier validate, long deadline) {
        return GlobalLot.sharedWait(hint, validate, deadline != Lwp.FOREVER, deadline, true);
    }

    /**
     * As {@link #waitUninterruptibly}, on a process-shared key, from any thread.
     *
     * @param hint     the shared queue (may be null)
     * @param validate run once, under the queue lock; false means do not sleep
     * @param deadline absolute {@link System#nanoTime()} deadline or {@link Lwp#FOREVER}
     * @return TIMED_OUT, INVALID, ALREADY or UNPARKED
     * @throws NullPointerException if validate is null
     */
    public static ParkResult waitSharedUninterruptibly(Object hint, BooleanSupplier validate, long deadline) {
        return GlobalLot.sharedWait(hint, validate, deadline != Lwp.FOREVER, deadline, false);
    }

    /**
     * Wake up to {@code n} sleepers of the process-shared key {@code hint}, newest first, whatever
     * their process or supervisor; from any thread.
     *
     * @param hint the shared queue (may be null)
     * @param n    how many to wake at most
     * @return how many were woken
     * @throws LwpException EINVAL if n is negative
     */
    public static int wakeShared(Object hint, int n) {
        return GlobalLot.sharedWake(hint, n);
    }

    /**
     * Wake every sleeper of the process-shared key {@code hint}; from any thread.
     *
     * @param hint the shared queue (may be null)
     * @return how many were woken
     */
    public static int wakeAllShared(Object hint) {
        return GlobalLot.sharedWake(hint, Integer.MAX_VALUE);
    }

    /**
     * As {@link #requeue}, between process-shared keys; from any thread.
     *
     * @param from  the shared queue to take sleepers from
     * @param to    the shared queue to move them to
     * @param nWake how many to wake at most
     * @param nMove how many more to move at most
     * @return how many were woken and moved
     * @throws LwpException EINVAL if a count is negative
     */
    public static Requeued requeueShared(Object from, Object to, int nWake, int nMove) {
        return requeued(GlobalLot.sharedRequeue(from, to, nWake, nMove));
    }

    /** Unpack the lower layers' answer: woken in the high half, moved in the low. */
    private static Requeued requeued(long r) {
        return new Requeued((int) (r >>> 32), (int) r);
    }
}
