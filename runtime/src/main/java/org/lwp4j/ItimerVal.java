package org.lwp4j;

/**
 * An interval timer's setting ({@code struct itimerval}), in nanoseconds: what
 * {@link Signals#setitimer} and {@link Signals#getitimer} take and answer, and the timers'
 * names ({@code which}).
 *
 * @param valueNanos    time until the next expiry; 0: disarmed
 * @param intervalNanos period after each expiry; 0: one shot
 */
public record ItimerVal(long valueNanos, long intervalNanos) {
    /** A disarmed timer. */
    public static final ItimerVal DISARMED = new ItimerVal(0, 0);

    /** {@link Signals#setitimer} which: real time, delivering SIGALRM (the only timer offered). */
    public static final int ITIMER_REAL = 0;
    /** {@link Signals#setitimer} which: BSD's virtual-time timer; not offered (EINVAL). */
    public static final int ITIMER_VIRTUAL = 1;
    /** {@link Signals#setitimer} which: BSD's profiling timer; not offered (EINVAL). */
    public static final int ITIMER_PROF = 2;
}
