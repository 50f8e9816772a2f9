package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitLatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An LWP body that throws: its process is terminated with SIGABRT, the Throwable goes to the
 * thread's uncaught-exception handler, becomes the cause of the other LWPs' LwpExit, and is
 * recorded by JFR (also when nobody waits for the process).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class FaultReportTest {
    /** A supervisor whose LWP threads report to {@code h}. */
    /**
     * A supervisor whose LWP threads carry handler h, set by the thread starter. The LWP cache is
     * off: a cached thread runs the next LWP without the starter, and gets the default handler
     * back (a reused thread looks new), so only with every create starting a thread does each
     * LWP carry h.
     */
    private static Supervisor withHandler(SupervisorExtension.Supervisors sups, Thread.UncaughtExceptionHandler h) {
        return sups.start(Supervisor.builder().lwpCache(0).threadStarter(t -> {
            t.setUncaughtExceptionHandler(h);
            t.start();
        }));
    }

    @Test
    void theThreadsUncaughtExceptionHandlerGetsTheFault(SupervisorExtension.Supervisors sups) {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        Supervisor sup = withHandler(sups, (t, e) -> {
            thread.set(t.getName());
            seen.set(e);
            reported.countDown();
        });
        IllegalStateException boom = new IllegalStateException("boom");
        try (var me = sup.attachNewProcess()) {
            int c = Proc.fork(() -> {
                Lwp.setName(0, "faulty");
                throw boom;
            });
            WaitResult r = Proc.waitpid(c, 0);
            assertTrue(r.signaled() && r.termSig() == Sig.SIGABRT, "SIGABRT kept: " + r);
            assertSame(boom, r.fault());
            awaitLatch(reported, "the uncaught-exception handler called");
            assertSame(boom, seen.get());
            assertTrue(thread.get().contains(c + "/1") && thread.get().contains("faulty"), thread.get());
        }
    }

    /**
     * Fork a child whose first LWP starts another that parks (recording in {@code unwound} the
     * LwpExit it unwinds with), waits until that one sleeps, then runs {@code then}.
     */
    private static int forkWithASleepingLwp(AtomicReference<LwpExit> unwound, Runnable then) {
        return Proc.fork(() -> {
            CountDownLatch asleep = new CountDownLatch(1);
            int other = Lwp.create(() -> {
                try {
                    asleep.countDown();
                    ProcTestSupport.parkForever();
                } catch (LwpExit e) {
                    unwound.set(e);
                    throw e;
                }
            });
            awaitLatch(asleep, "the other LWP started");
            LwpTestSupport.await(() -> Lwp.ctl(other).state() == Lwp.State.SLEEPING, "lwp " + other + " asleep");
            then.run();
        });
    }

    @Test
    void theOtherLwpsUnwindWithTheFaultAsCause(Supervisor.Attachment a) {
        AtomicReference<LwpExit> unwound = new AtomicReference<>();
        RuntimeException boom = new RuntimeException("body failed");
        int c = forkWithASleepingLwp(unwound, () -> {
            throw boom;
        });
        WaitResult r = Proc.waitpid(c, 0);
        assertTrue(r.signaled() && r.termSig() == Sig.SIGABRT, r.toString());
        LwpExit e = unwound.get();
        assertNotNull(e, "the other LWP unwound with LwpExit");
        assertSame(boom, e.getCause(), "its cause is the fault: " + e);
        assertTrue(e.getMessage().contains("RuntimeException"), e.getMessage());
    }

    @Test
    void anLwpExitWithoutAFaultHasNoCause(Supervisor.Attachment a) {
        AtomicReference<LwpExit> unwound = new AtomicReference<>();
        int c = forkWithASleepingLwp(unwound, () -> Proc.exit(3));
        ProcTestSupport.reapExited(c, 3);
        assertNotNull(unwound.get(), "the other LWP unwound");
        assertNull(unwound.get().getCause(), unwound.get().toString());
    }

    @Test
    void aNowaitChildsFaultIsRecordedByJfr(Supervisor s, Supervisor.Attachment a) throws Exception {
        Path file = Files.createTempFile("lwp4j-fault", ".jfr");
        int c;
        try (Recording rec = new Recording()) {
            rec.enable("org.lwp4j.Fault");
            rec.start();
            c = Proc.fork(FaultReportTest::failNoisily, ProcFlags.NOWAIT);
            await(() -> s.kernel().findProc(c) == null, () -> "the NOWAIT child " + c + " reaped by init\n" + s.ps());
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.deleteIfExists(file);
        RecordedEvent e = events.stream().filter(x -> x.getEventType().getName().equals("org.lwp4j.Fault")
                && x.getInt("pid") == c).findFirst().orElseThrow(() -> new AssertionError("no Fault event: " + events));
        assertEquals(s.id(), e.getInt("supervisor"));
        assertEquals(1, e.getInt("lid"));
        assertEquals(UnsupportedOperationException.class.getName(), e.getString("exception"));
        assertEquals("nobody waits for me", e.getString("message"));
        assertTrue(e.getString("throwableTrace").contains("failNoisily"), e.getString("throwableTrace"));
        assertTrue(e.getThread().getJavaName().contains(c + "/1"), e.getThread().getJavaName());
    }

    private static void failNoisily() {
        throw new UnsupportedOperationException("nobody waits for me");
    }

    @Test
    void aHandlerThatBlocksOrThrowsHoldsUpNeitherTheExitNorTheWait(SupervisorExtension.Supervisors sups) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Supervisor sup = withHandler(sups, (t, e) -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    release.await(30, TimeUnit.SECONDS); // bounded: the test releases it
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new IllegalStateException("the handler fails too");
        });
        try (var me = sup.attachNewProcess()) {
            int c = Proc.fork(() -> {
                throw new RuntimeException("first");
            });
            WaitResult r = Proc.waitpid(c, 0);
            assertTrue(r.signaled() && r.termSig() == Sig.SIGABRT, "reported while the handler blocks: " + r);
            await(() -> calls.get() == 1, "the handler entered");
            int d = Proc.fork(() -> {
                throw new RuntimeException("second");
            });
            WaitResult r2 = Proc.waitpid(d, 0);
            assertTrue(r2.signaled() && r2.termSig() == Sig.SIGABRT, r2.toString());
            await(() -> calls.get() == 2, "the second handler call, which throws");
        } finally {
            release.countDown();
        }
    }
}
