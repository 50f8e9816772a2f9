package org.lwp4j;

/**
 * An interval timer's setting ({@code struct itimerval}), in nanoseconds: what
 * {@link Signals#setitimer} and {@link Signals#getitimer} take and answer.
 *
 * @param valueNanos    time until the next expiry; 0: disarmed
 * @param intervalNanos period after each expiry; 0: one shot
 */
public record ItimerVal(long valueNanos, long intervalNanos) {
    /** A disarmed timer. */
    public static final ItimerVal DISARMED = new ItimerVal(0, 0);
}
