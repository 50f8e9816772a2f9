package org.lwp4j.kern;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.ParkResult;

/**
 * Relative timeouts of the kernel's timed calls (the {@code Duration} forms of the facades):
 * the conversion to a deadline of the kernel clock, and {@code nanosleep}.
 */
public final class Timeouts {
    /** Channel of nanosleep: nobody broadcasts it, only the deadline, a signal or a wakeup end it. */
    static final Object CH_NANOSLEEP = Channel.NANOSLEEP;

    private Timeouts() {
    }

    /**
     * A duration in nanoseconds, saturated: {@code Long.MAX_VALUE} (for good) beyond about 292
     * years, {@code Long.MIN_VALUE} below minus that.
     *
     * @param d the duration
     * @return its nanoseconds, saturated
     * @throws NullPointerException if d is null
     */
    public static long nanos(Duration d) {
        if (d == null) {
            throw new NullPointerException("timeout");
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * The absolute deadline, on {@code k}'s clock, {@code timeoutNanos} from now; a past one
     * for 0 or less (the timed sleep then ends at once).
     *
     * @param k            the kernel
     * @param timeoutNanos relative; {@code Long.MAX_VALUE} means no deadline (the answer is
     *                     then unused)
     * @return the deadline
     */
    public static long deadline(Kernel k, long timeoutNanos) {
        long now = k.cfg.clock().getAsLong();
        if (timeoutNanos <= 0) {
            return now; // passed: the sleep's first look at the clock ends it
        }
        long d = now + timeoutNanos;
        return d - now < 0 ? now + Long.MAX_VALUE / 2 : d; // overflow: far enough
    }

    /**
     * {@code nanosleep}: sleep, interruptibly, for {@code nanos}. A signal or other safe-point
     * request is acted on and ends the sleep early, as do {@code _lwp_wakeup} and
     * Thread.interrupt (whose status it consumes). Pending unparks are not consumed.
     *
     * @param nanos how long; 0 or less returns at once (after the safe point)
     * @return the nanoseconds not slept: 0 when the whole time passed
     * @throws IllegalStateException if the caller is not an LWP
     */
    public static long nanosleep(long nanos) {
        KLwp me = SafePoints.curlwp("sleep(" + nanos + " ns)");
        if (nanos <= 0) {
            return 0;
        }
        Kernel k = me.kernel;
        long deadline = deadline(k, nanos);
        ReentrantLock lock = new ReentrantLock(); // the interlock: private, nobody wakes us
        lock.lock();
        try {
            for (;;) {
                ParkResult r = me.proc.cvWaitInterruptiblyUntil(me, CH_NANOSLEEP, lock, deadline);
                long left = deadline - k.cfg.clock().getAsLong();
                if (r == ParkResult.TIMED_OUT || left <= 0) {
                    return 0;
                }
                if (r == ParkResult.INTERRUPTED) {
                    if (me.ast != 0) {
                        lock.unlock();
                        try {
                            k.safePoints.userret(me);
                        } finally {
                            lock.lock();
                        }
                    }
                    return Math.max(1, deadline - k.cfg.clock().getAsLong());
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
