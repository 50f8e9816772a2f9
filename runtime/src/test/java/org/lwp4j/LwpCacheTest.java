package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitLatch;

import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LWP cache (issue 13): exited LWPs' platform threads run the next LWPs, look new to them,
 * are bounded, can be turned off, leave after their idle time, show in liveThreads and are
 * joined by close.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpCacheTest {

    /** Run body in a new LWP, collect it, and answer what it returned. */
    private static <T> T inLwp(Supplier<T> body) {
        AtomicReference<T> out = new AtomicReference<>();
        int lid = Lwp.create(() -> out.set(body.get()));
        assertEquals(lid, Lwp.waitFor(lid));
        return out.get();
    }

    private static Thread lwpThread(Runnable before) {
        return inLwp(() -> {
            before.run();
            return Thread.currentThread();
        });
    }

    /**
     * A cached thread's JVM CPU count runs on from LWP to LWP; each LWP is given only its own
     * share. Before, an LWP on a thread that had run a long one reported the long one's time
     * (in its wait rusage and in ps), and every exit on it paid the /proc user-time read.
     */
    @Test
    void anLwpOnACachedThreadCountsOnlyItsOwnCpuTime(Supervisor sup, Supervisor.Attachment me) {
        assumeCpuTime();
        AtomicReference<Thread> burner = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            burner.set(Thread.currentThread());
            WaitTest.burnCpu(80);
        });
        WaitResult long1 = Proc.waitpid(pid, 0);
        assertTrue(long1.rusage().cpuNanos() >= 70_000_000L, "the burner's own time: " + long1);
        AtomicReference<Thread> next = new AtomicReference<>();
        CountDownLatch seen = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        int pid2 = Proc.fork(() -> {
            next.set(Thread.currentThread());
            seen.countDown();
            awaitLatch(go, "released");
        });
        awaitLatch(seen, "second child running");
        assertSame(burner.get(), next.get(), "the second child runs on the burner's cached thread");
        long live = sup.ps().rows().stream().filter(r -> r.pid() == pid2).mapToLong(Ps.Row::cpuNanos).max().orElse(-2);
        assertTrue(live >= 0 && live < 40_000_000L, "ps shows the second LWP's own CPU time, not the burner's: " + live);
        go.countDown();
        WaitResult short1 = Proc.waitpid(pid2, 0);
        assertTrue(short1.rusage().cpuNanos() < 40_000_000L, "the short child's rusage is its own: " + short1);
        assertTrue(short1.rusage().userNanos() <= short1.rusage().cpuNanos(), short1.toString());
    }

    private static void assumeCpuTime() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.lang.management.ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported(),
                "no thread CPU time on this JVM");
    }

    @Test
    void aCreateAfterAWaitRunsOnTheThreadTheLastLwpLeft(Supervisor sup, Supervisor.Attachment me) {
        Thread first = lwpThread(() -> { });
        assertEquals(1, sup.cachedThreads(), "the thread went back to the cache");
        Thread second = lwpThread(() -> { });
        assertSame(first, second, "the second LWP got the cached thread");
        assertEquals(1, sup.cachedThreads());
    }

    @Test
    void aForkedProcessRunsOnACachedThreadAndLeavesItInTheCache(Supervisor sup, Supervisor.Attachment me) {
        Thread first = lwpThread(() -> { });
        AtomicReference<Thread> ran = new AtomicReference<>();
        int pid = Proc.fork(() -> ran.set(Thread.currentThread()));
        assertEquals(pid, Proc.waitpid(pid, 0).pid());
        assertSame(first, ran.get(), "the child's first LWP got the cached thread");
        await(() -> sup.cachedThreads() == 1, () -> "the child's thread is back: " + sup.cachedThreads());
        assertSame(first, lwpThread(() -> { }), "and runs the next LWP");
    }

    @Test
    void aReusedThreadHasTheNameANewOneWouldHave(Supervisor.Attachment me) {
        lwpThread(() -> {
            Lwp.setName(0, "first");
            Thread.currentThread().setName("renamed by its body");
        });
        String[] seen = inLwp(() -> new String[] {Thread.currentThread().getName(), Lwp.getName(0),
                "/" + Lwp.self()});
        assertTrue(seen[0].startsWith("lwp ") && seen[0].endsWith(seen[2]), seen[0]);
        assertEquals("", seen[1], "no LWP name carried over");
    }

    @Test
    void aReusedThreadHasItsCreatorsPriorityAndIsADaemon(Supervisor.Attachment me) {
        Thread self = Thread.currentThread();
        int before = self.getPriority();
        try {
            lwpThread(() -> Thread.currentThread().setPriority(Thread.MIN_PRIORITY));
            self.setPriority(Thread.NORM_PRIORITY + 1);
            Thread t = lwpThread(() -> { });
            int[] seen = inLwp(() -> new int[] {Thread.currentThread().getPriority(),
                    Thread.currentThread().isDaemon() ? 1 : 0});
            assertEquals(Thread.NORM_PRIORITY + 1, seen[0], "the creator's priority, not the last body's");
            assertEquals(1, seen[1], "an LWP thread is a daemon");
            assertNotNull(t);
        } finally {
            self.setPriority(before);
        }
    }

    @Test
    void aReusedThreadHasItsCreatorsContextClassLoader(Supervisor.Attachment me) throws Exception {
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        try (URLClassLoader bodys = new URLClassLoader(new URL[0]);
             URLClassLoader creators = new URLClassLoader(new URL[0])) {
            Thread first = lwpThread(() -> Thread.currentThread().setContextClassLoader(bodys));
            self.setContextClassLoader(creators);
            AtomicReference<Thread> on = new AtomicReference<>();
            ClassLoader seen = inLwp(() -> {
                on.set(Thread.currentThread());
                return Thread.currentThread().getContextClassLoader();
            });
            assertSame(first, on.get(), "the thread was reused");
            assertSame(creators, seen);
        } finally {
            self.setContextClassLoader(before);
        }
    }

    @Test
    void aReusedThreadHasNoUncaughtExceptionHandler(Supervisor.Attachment me) {
        Thread first = lwpThread(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { }));
        Object[] seen = inLwp(() -> new Object[] {Thread.currentThread(),
                Thread.currentThread().getUncaughtExceptionHandler(), Thread.currentThread().getThreadGroup()});
        assertSame(first, seen[0], "the thread was reused");
        assertSame(seen[2], seen[1], "no handler of its own: its thread group answers");
    }

    @Test
    void aReusedThreadStartsWithAClearInterruptStatus(Supervisor.Attachment me) {
        Thread first = lwpThread(() -> Thread.currentThread().interrupt());
        first.interrupt(); // a stale reference, while the thread is idle in the cache
        Object[] seen = inLwp(() -> new Object[] {Thread.currentThread(), Thread.currentThread().isInterrupted()});
        assertSame(first, seen[0], "the thread was reused");
        assertEquals(false, seen[1], "the interrupt status is clear");
    }

    @Test
    void aReusedThreadCarriesNoLwpStateOver(Supervisor.Attachment me) {
        Thread first = lwpThread(() -> {
            Lwp.setPrivate("private of the first");
            Lwp.unpark(Lwp.self(), "h"); // a pending unpark, never consumed
        });
        Object[] seen = inLwp(() -> new Object[] {Thread.currentThread(), Lwp.getPrivate(),
                Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), "h"),
                Lwp.ctl().state()});
        assertSame(first, seen[0], "the thread was reused");
        assertNull(seen[1], "no private reference");
        assertEquals(ParkResult.TIMED_OUT, seen[2], "no pending unpark");
        assertEquals(Lwp.State.RUNNING, seen[3]);
    }

    @Test
    void theCacheKeepsNoMoreThreadsThanItsBound(SupervisorExtension.Supervisors sups) {
        Supervisor s = sups.start(Supervisor.builder().lwpCache(2));
        try (Supervisor.Attachment a = s.attachNewProcess()) {
            CountDownLatch hold = new CountDownLatch(1);
            for (int i = 0; i < 5; i++) {
                Lwp.create(() -> awaitLatch(hold, "held"));
            }
            hold.countDown();
            for (int i = 0; i < 5; i++) {
                Lwp.waitFor(0);
            }
            assertEquals(2, s.cachedThreads());
            await(() -> s.liveThreads().size() == 3, () -> "2 cached threads and the reaper: " + s.liveThreads());
        }
    }

    @Test
    void aCacheOfZeroStartsAThreadForEveryLwp(SupervisorExtension.Supervisors sups) {
        AtomicInteger started = new AtomicInteger();
        Supervisor s = sups.start(Supervisor.builder().lwpCache(0).threadStarter(t -> {
            started.incrementAndGet();
            t.start();
        }));
        try (Supervisor.Attachment a = s.attachNewProcess()) {
            Thread first = lwpThread(() -> { });
            Thread second = lwpThread(() -> { });
            assertNotSame(first, second);
            assertEquals(2, started.get(), "the starter started both");
            assertEquals(0, s.cachedThreads());
            await(() -> !first.isAlive() && !second.isAlive() && s.liveThreads().size() == 1,
                    () -> "the threads ended and were joined: " + s.liveThreads());
        }
    }

    @Test
    void theThreadStarterStartsNewThreadsOnly(SupervisorExtension.Supervisors sups) {
        AtomicInteger started = new AtomicInteger();
        Supervisor s = sups.start(Supervisor.builder().threadStarter(t -> {
            started.incrementAndGet();
            t.start();
        }));
        try (Supervisor.Attachment a = s.attachNewProcess()) {
            Thread first = lwpThread(() -> { });
            assertSame(first, lwpThread(() -> { }));
            assertEquals(1, started.get(), "the cached thread was not started again");
        }
    }

    @Test
    void aCachedThreadLeavesAfterItsIdleTime(SupervisorExtension.Supervisors sups) {
        Supervisor s = sups.start(Supervisor.builder().lwpCacheIdle(Duration.ofMillis(50)));
        try (Supervisor.Attachment a = s.attachNewProcess()) {
            Thread t = lwpThread(() -> { });
            await(() -> !t.isAlive() && s.cachedThreads() == 0 && s.liveThreads().size() == 1,
                    () -> "the idle thread ended and was joined: cached=" + s.cachedThreads() + " " + s.liveThreads());
            Thread next = lwpThread(() -> { });
            assertNotSame(t, next, "a new thread for the next LWP");
        }
    }

    @Test
    void cachedThreadsShowInLiveThreadsAndCloseJoinsThem() {
        Supervisor s = Supervisor.start(); // closed here, not by the extension
        try {
            closeJoinsCachedThreads(s);
        } finally {
            s.close();
        }
    }

    private static void closeJoinsCachedThreads(Supervisor s) {
        List<Thread> cached = new ArrayList<>();
        try (Supervisor.Attachment a = s.attachNewProcess()) {
            CountDownLatch hold = new CountDownLatch(1);
            AtomicReference<Thread> t1 = new AtomicReference<>(), t2 = new AtomicReference<>();
            int l1 = Lwp.create(() -> {
                t1.set(Thread.currentThread());
                awaitLatch(hold, "held");
            });
            int l2 = Lwp.create(() -> {
                t2.set(Thread.currentThread());
                awaitLatch(hold, "held");
            });
            hold.countDown();
            Lwp.waitFor(l1);
            Lwp.waitFor(l2);
            cached.add(t1.get());
            cached.add(t2.get());
        }
        assertEquals(2, s.cachedThreads());
        assertTrue(s.liveThreads().containsAll(cached), () -> "cached threads are live threads: " + s.liveThreads());
        for (Thread t : cached) {
            assertTrue(t.getName().startsWith("lwp4j-idle-"), t.getName());
        }
        await(() -> s.lwpCount() == 0, () -> "an idle thread is no LWP: " + s.ps());
        s.close();
        for (Thread t : cached) {
            assertFalse(t.isAlive(), "close joined " + t);
        }
        assertTrue(s.liveThreads().isEmpty(), () -> "threads left: " + s.liveThreads());
    }

    @Test
    void badCacheSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Supervisor.builder().lwpCache(-1));
        assertThrows(IllegalArgumentException.class, () -> Supervisor.builder().lwpCacheIdle(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> Supervisor.builder().lwpCacheIdle(null));
    }
}
