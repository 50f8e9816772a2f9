package org.lwp4j.kern;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The CPU time an exiting LWP leaves in its record (DragonFly's p_ru), and the /proc shortcut. */
final class CpuTime {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /**
     * Below this much CPU time a thread's user time is not read (see {@link #capture}):
     * one Linux clock tick (USER_HZ = 100) less a millisecond for the time between the reads.
     * 0 where the JDK's user time does not come in ticks (see {@link #userTimeInTicks}).
     */
    static final long USER_TIME_UNREAD_BELOW = userTimeInTicks() ? 9_000_000L : 0L;

    private CpuTime() {
    }

    /**
     * Does this JDK count a thread's user time in whole 10 ms clock ticks, as it does on Linux
     * by reading /proc? Decided once, on the thread that loads this class: a JDK that reads a
     * precise clock instead gives a thread that has run Java code a user time above 0 that is
     * no multiple of 10 ms; ticks give a multiple (0 included).
     */
    private static boolean userTimeInTicks() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            if (!MX.isCurrentThreadCpuTimeSupported() || !MX.isThreadCpuTimeEnabled()) {
                return false;
            }
            long user = MX.getCurrentThreadUserTime();
            return user >= 0 && user % 10_000_000L == 0;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The calling LWP's CPU time and user time, kept in its record. On Linux the JDK reads the
     * user time from /proc/self/task/TID/stat, which counts it in clock ticks of 10 ms (USER_HZ)
     * rounded down: a thread with less CPU time than one tick always reads 0. Opening that file
     * costs more than the rest of an LWP's exit (about 13 us for a thread that never opened it,
     * measured on the CI machine; start + exit of a thread is about 120 us), and most LWPs that
     * come and go are short. So under {@link #USER_TIME_UNREAD_BELOW} of CPU time the user time
     * is taken as the 0 the read would give; above it, it is read. CpuTimeTest checks the premise.
     *
     * A thread of the LWP cache runs one LWP after another, and the JVM counts its time from
     * its start: each LWP gets what the thread used since the last LWP's exit (LwpThread
     * cpuSeen/userSeen), so it neither inherits its predecessors' time nor, short as it is,
     * pays the /proc read because they were long. The user time read for a long LWP is clamped
     * to its CPU time: short predecessors' unread user time is not passed on. An attached
     * thread is counted from its start, as before.
     */
    static void capture(KLwp l) {
        try {
            if (MX.isCurrentThreadCpuTimeSupported()) {
                // -1 when CPU time measurement is switched off: count nothing
                long cpu = Math.max(0, MX.getCurrentThreadCpuTime());
                Thread me = Thread.currentThread();
                LwpThread t = me instanceof LwpThread ? (LwpThread) me : null;
                long own = t == null ? cpu : Math.max(0, cpu - t.cpuSeen);
                l.cpuNanos = own;
                if (own < USER_TIME_UNREAD_BELOW) {
                    l.userNanos = 0;
                } else {
                    long user = Math.max(0, MX.getCurrentThreadUserTime());
                    l.userNanos = t == null ? user : Math.min(own, Math.max(0, user - t.userSeen));
                    if (t != null) {
                        t.userSeen = user;
                    }
                }
                if (t != null) {
                    t.cpuSeen = cpu;
                }
            }
        } catch (UnsupportedOperationException e) {
            // leave 0
        }
    }

    /** Can the JVM tell another thread's CPU time? */
    static boolean supported() {
        return MX.isThreadCpuTimeSupported();
    }

    /**
     * CPU time of the live LWP that thread t runs, so far (any thread): what t used since it
     * took that LWP up, for a thread of the LWP cache (see {@link #capture}).
     *
     * @return nanoseconds, or -1 if the JVM cannot tell
     */
    static long live(Thread t) {
        long n = MX.getThreadCpuTime(t.getId());
        if (n < 0) {
            return -1;
        }
        return t instanceof LwpThread ? Math.max(0, n - ((LwpThread) t).cpuSeen) : n;
    }
}
