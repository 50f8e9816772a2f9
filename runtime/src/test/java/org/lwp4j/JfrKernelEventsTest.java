package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.kern.KLwp;

/**
 * JFR: every lwp4j event carries its supervisor's id, signals their names, kernel waits, stops
 * and suspensions are duration events, and an event's thread carries the LWP's name.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class JfrKernelEventsTest {
    @Test
    void kernelWaitsStopsAndSuspensionsAreRecordedWithTheSupervisorId(Supervisor s, Supervisor.Attachment a)
            throws Exception {
        Path file = Files.createTempFile("lwp4j-kern", ".jfr");
        int c;
        try (Recording rec = new Recording()) {
            rec.enable("org.lwp4j.KernelWait").withThreshold(Duration.ZERO);
            rec.enable("org.lwp4j.Stop");
            rec.enable("org.lwp4j.Signal");
            rec.enable("org.lwp4j.Fork");
            rec.start();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            int b = Lwp.create(() -> {
                while (!done.get()) {
                    Lwp.park("b");
                }
            });
            Lwp.suspend(b);
            Lwp.resume(b);
            c = Proc.fork(ProcTestSupport::parkForever);
            Signals.kill(c, Sig.SIGSTOP);
            await(() -> s.kernel().findProc(c).lwpList().stream().allMatch(l -> l.stat() == KLwp.LSSTOP),
                    () -> "child " + c + " stopped\n" + s.ps());
            Signals.kill(c, Sig.SIGCONT);
            Signals.kill(c, Sig.SIGKILL);
            Proc.waitpid(c, 0);
            done.set(true);
            Lwp.unpark(b, "b");
            assertEquals(b, Lwp.waitFor(b)); // a kernel wait of the attached thread
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("org.lwp4j.")).collect(Collectors.toList());
        Files.deleteIfExists(file);
        String all = events.toString();
        assertFalse(events.isEmpty());
        assertTrue(events.stream().allMatch(e -> e.getInt("supervisor") == s.id()), "supervisor id everywhere: " + all);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.Signal")
                && e.getInt("target") == c && "SIGSTOP".equals(e.getString("signame"))), "SIGSTOP by name: " + all);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.Stop")
                && e.getInt("pid") == c && "stop".equals(e.getString("kind"))
                && e.getThread().getJavaName().startsWith("lwp " + c + "/")), "the child's stop: " + all);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.Stop")
                && e.getInt("pid") == a.pid() && "suspend".equals(e.getString("kind"))), "the suspension: " + all);
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.lwp4j.KernelWait")
                && e.getInt("pid") == a.pid() && e.getInt("lid") == a.lid()
                && e.getThread().getJavaName().equals("lwp " + a.pid() + "/" + a.lid())),
                "a kernel wait of the attached (renamed) thread: " + all);
    }
}
