package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SmokeTest {
    @Test
    void createWaitParkUnparkClose() {
        Supervisor s = Supervisor.start();
        try (var a = s.attachNewProcess()) {
            AtomicInteger seen = new AtomicInteger();
            int lid = Lwp.create(() -> seen.set(Lwp.self()));
            assertEquals(lid, Lwp.waitFor(lid));
            assertEquals(lid, seen.get());
            int me = Lwp.self();
            int t = Lwp.create(() -> {
                assertEquals(ParkResult.UNPARKED, Lwp.park("h"));
                Lwp.unpark(me, "h");
            });
            while (Lwp.ctl(t).state() != Lwp.State.SLEEPING) {
                Thread.onSpinWait();
            }
            Lwp.unpark(t, "h");
            ParkResult r = Lwp.park("back");
            assertTrue(r == ParkResult.UNPARKED || r == ParkResult.ALREADY, r.toString());
            assertEquals(t, Lwp.waitFor(0));
            LwpException e = assertThrows(LwpException.class, () -> Lwp.waitFor(0));
            assertEquals(Errno.ESRCH, e.errno());
        }
        s.close();
        assertEquals(0, s.processCount());
        assertEquals(0, s.lwpCount());
        assertTrue(s.liveThreads().isEmpty(), s.liveThreads().toString());
    }
}
