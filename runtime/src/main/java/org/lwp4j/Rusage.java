package org.lwp4j;

/**
 * Resource usage as {@link Proc#wait} reports it: CPU time in nanoseconds, split into user and
 * system time as the JVM's {@link java.lang.management.ThreadMXBean} measures them for each LWP's
 * platform thread (captured when the LWP ends).
 *
 * @param userNanos   user-mode CPU time
 * @param systemNanos system (kernel) CPU time: total CPU time minus user time
 */
public record Rusage(long userNanos, long systemNanos) {
    /** No usage. */
    public static final Rusage ZERO = new Rusage(0, 0);

    /**
     * User plus system time.
     *
     * @return the total CPU time in nanoseconds
     */
    public long cpuNanos() {
        return userNanos + systemNanos;
    }

    /**
     * The sum of two usages ({@code ruadd}).
     *
     * @param o the usage to add
     * @return a new usage, field by field the sum of this one and {@code o}
     */
    public Rusage plus(Rusage o) {
        return new Rusage(userNanos + o.userNanos, systemNanos + o.systemNanos);
    }
}
