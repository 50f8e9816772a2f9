package org.lwp4j.kern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.Supervisor;

/**
 * The CPU time an LWP leaves in its record at exit, and the premise of not reading its user time
 * below one clock tick ({@link Kernel#USER_TIME_UNREAD_BELOW}): on Linux the JDK's user time of
 * a thread is a whole number of 10 ms ticks, and 0 for a thread with less CPU time than that.
 */
@Timeout(60)
class CpuTimeTest {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final long TICK = 10_000_000L;

    private static void assumeLinuxCpuTime() {
        assumeTrue(CpuTime.USER_TIME_UNREAD_BELOW > 0, "user time not in /proc ticks here: always read");
        assumeTrue(MX.isCurrentThreadCpuTimeSupported() && MX.isThreadCpuTimeEnabled());
    }

    /** Burns user-mode CPU until the thread has used at least this much CPU time. */
    private static long burnUntil(long cpuNanos) {
        long x = 0;
        while (MX.getCurrentThreadCpuTime() < cpuNanos) {
            for (int i = 0; i < 10_000; i++) {
                x += i * 31 % 7;
            }
        }
        return x;
    }

    @Test
    void aFreshThreadUnderOneTickReadsNoUserTimeAndUserTimeComesInTicks() throws Exception {
        assumeLinuxCpuTime();
        long[] seen = new long[4]; // short: cpu, user; long: cpu, user
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> {
                long cpu = MX.getCurrentThreadCpuTime();
                long user = MX.getCurrentThreadUserTime();
                synchronized (seen) {
                    seen[0] = Math.max(seen[0], cpu);
                    seen[1] = Math.max(seen[1], user);
                }
            });
            t.start();
            t.join(20_000);
        }
        assertTrue(seen[0] < CpuTime.USER_TIME_UNREAD_BELOW,
                "20 empty threads each used under 9 ms of CPU, the most was " + seen[0] + " ns");
        assertEquals(0, seen[1], "a thread with under one tick of CPU time read a user time");

        Thread t = new Thread(() -> {
            burnUntil(3 * TICK);
            seen[2] = MX.getCurrentThreadCpuTime();
            seen[3] = MX.getCurrentThreadUserTime();
        });
        t.start();
        t.join(20_000);
        assertTrue(seen[3] > 0, "30 ms of user-mode CPU read no user time: " + seen[2] + " ns CPU");
        assertEquals(0, seen[3] % TICK, "the user time is not in 10 ms ticks: " + seen[3] + " ns");
    }

    @Test
    void aShortLwpKeepsItsCpuTimeAndNoUserTime() throws Exception {
        assumeLinuxCpuTime();
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            exitedLwp(() -> { }); // the first LWP's exit may load classes
            KLwp l = exitedLwp(() -> { });
            assertTrue(l.cpuNanos() > 0, "no CPU time kept: " + l.cpuNanos());
            assertTrue(l.cpuNanos() < CpuTime.USER_TIME_UNREAD_BELOW, "an empty LWP used " + l.cpuNanos() + " ns");
            assertEquals(0, l.userNanos());
        }
    }

    @Test
    void aLongLwpHasItsUserTimeRead() throws Exception {
        assumeLinuxCpuTime();
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            KLwp l = exitedLwp(() -> burnUntil(3 * TICK));
            assertTrue(l.cpuNanos() >= 3 * TICK, "burned 30 ms, kept " + l.cpuNanos() + " ns");
            assertTrue(l.userNanos() > 0 && l.userNanos() <= l.cpuNanos() + TICK,
                    "user " + l.userNanos() + " ns of " + l.cpuNanos() + " ns CPU");
            assertEquals(0, l.userNanos() % TICK, "user time as the JDK reads it, in ticks");
        }
    }

    /** Creates an LWP running body, waits for it and its thread, and returns its record. */
    private static KLwp exitedLwp(Runnable body) throws InterruptedException {
        AtomicReference<KLwp> record = new AtomicReference<>();
        int lid = Lwp.create(() -> {
            record.set(SafePoints.current());
            body.run();
        });
        assertEquals(lid, Lwp.waitFor(lid));
        KLwp l = record.get();
        assertNotNull(l);
        Thread th = l.thread; // null: the thread went back to the LWP cache
        if (th != null) {
            th.join(20_000); // not needed for the record (kept before the exit wakes waiters)
            assertTrue(!th.isAlive(), "the LWP's thread did not end within 20 s");
        }
        return l;
    }
}
