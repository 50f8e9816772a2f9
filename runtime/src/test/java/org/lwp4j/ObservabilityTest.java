package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ps view, thread names and blockers, and the JFR events. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ObservabilityTest {
    private static final String HINT = "the-hint";

    private static void awaitSleeping(int lid) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Lwp.ctl(lid).state() != Lwp.State.SLEEPING) {
            assertTrue(System.nanoTime() < end, "LWP " + lid + " never went to sleep: " + Lwp.ctl(lid));
            Thread.onSpinWait();
        }
    }

    @Test
    void psShowsProcessesLwpsStatesAndWaitChannels(Supervisor s, Supervisor.Attachment a) {
        AtomicReference<Thread> th = new AtomicReference<>();
        int lid = Lwp.create(() -> {
            th.set(Thread.currentThread());
            Lwp.setName(0, "sleeper");
            while (Lwp.park(HINT) != ParkResult.UNPARKED) {
                // wait for the real unpark
            }
        });
        awaitSleeping(lid);
        Ps ps = s.ps();
        Ps.Row row = ps.rows().stream().filter(r -> r.pid() == a.pid() && r.lid() == lid).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + a.pid() + "/" + lid + " in\n" + ps));
        assertEquals(1, row.ppid());
        assertEquals(Lwp.State.SLEEPING, row.lwpState());
        assertEquals(HINT, row.wchan());
        assertEquals('R', row.procState());
        assertTrue(ps.rows().stream().anyMatch(r -> r.pid() == 1), "init is listed:\n" + ps);
        String table = ps.toString();
        assertTrue(table.contains("WCHAN") && table.contains(HINT) && table.contains("sleeper"), table);
        // Thread dump view: the thread's name carries pid/lid/name, its blocker is the hint.
        Thread t = th.get();
        assertTrue(t.getName().contains(a.pid() + "/" + lid) && t.getName().contains("sleeper"), t.getName());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LockSupport.getBlocker(t) == null && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertEquals(HINT, LockSupport.getBlocker(t));
        Lwp.unpark(lid, HINT);
        assertEquals(lid, Lwp.waitFor(lid));
    }

    @Test
    void jfrRecordsLifeCycleAndLongParks(Supervisor.Attachment a) throws Exception {
        Path file = Files.createTempFile("lwp4j", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("org.lwp4j.LwpCreate");
            rec.enable("org.lwp4j.LwpExit");
            rec.enable("org.lwp4j.Park").withThreshold(Duration.ZERO);
            rec.start();
            CountDownLatch parked = new CountDownLatch(1);
            int lid = Lwp.create(() -> {
                parked.countDown();
                Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), "jfr-hint");
            });
            assertTrue(parked.await(10, TimeUnit.SECONDS));
            assertEquals(lid, Lwp.waitFor(lid));
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.deleteIfExists(file);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.LwpCreate")),
                "LwpCreate recorded");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.LwpExit")),
                "LwpExit recorded");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.Park")
                && "jfr-hint".equals(e.getString("hint")) && "TIMED_OUT".equals(e.getString("outcome"))),
                "Park recorded with its hint and outcome");
    }
}
