package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitExited;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code _lwp_ctl}: the control block (lid, state, park count, wait channel), ESRCH. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpCtlTest {

    @Test
    void theCallersOwnControlBlock(Supervisor.Attachment me) {
        LwpCtl c = Lwp.ctl();
        assertEquals(Lwp.self(), c.lid());
        assertEquals(Lwp.State.RUNNING, c.state());
        assertNull(c.waitChannel());
        assertEquals(0, c.parkCount());
        assertEquals(Lwp.self(), Lwp.ctl(0).lid(), "0 names the caller");
        assertEquals(Lwp.self(), Lwp.ctl(Lwp.self()).lid());
        assertTrue(c.toString().contains("lid=" + Lwp.self()), c.toString());
    }

    @Test
    void unknownAndExitedLwpsAnswerEsrchButAHeldBlockFollowsTheLwpToTheEnd(Supervisor.Attachment me) {
        LwpException e = expectErrno(Errno.ESRCH, () -> Lwp.ctl(999));
        assertTrue(e.getMessage().contains("_lwp_ctl(999)"), e.getMessage());
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"));
        LwpCtl c = Lwp.ctl(t);
        assertEquals(t, c.lid());
        hold.countDown();
        awaitExited(c);
        assertEquals(Lwp.State.ZOMBIE, c.state());
        expectErrno(Errno.ESRCH, () -> Lwp.ctl(t));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Lwp.State.DEAD, c.state());
    }

    @Test
    void aSuspendedLwpShowsSuspended(Supervisor.Attachment me) {
        int t = Lwp.create(() -> { }, Lwp.SUSPENDED);
        LwpCtl c = Lwp.ctl(t);
        assertEquals(Lwp.State.SUSPENDED, c.state());
        Lwp.resume(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Lwp.State.DEAD, c.state());
    }

    @Test
    void anLwpInAKernelWaitShowsSleepingOnItsChannelAndCountsTheSleep(Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int x = Lwp.create(() -> awaitLatch(hold, "x"));
        int w = Lwp.create(() -> Lwp.waitFor(x));
        LwpCtl c = Lwp.ctl(w);
        awaitInLwpWait(c);
        assertEquals(Lwp.State.SLEEPING, c.state());
        assertEquals("lwpwait", String.valueOf(c.waitChannel()));
        assertTrue(c.parkCount() >= 1, "sleeps begun: " + c.parkCount());
        hold.countDown();
        awaitExited(c);
        assertNull(c.waitChannel(), "no channel once awake");
        assertEquals(w, Lwp.waitFor(w));
    }

    @Test
    void aParkedLwpShowsItsHintAndTheParkCountGoesUp(Supervisor.Attachment me) {
        String hint = "the-hint";
        AtomicReference<ParkResult> result = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        int t = Lwp.create(() -> {
            awaitLatch(go, "go");
            ParkResult r;
            do {
                r = Lwp.park(hint);
            } while (r == ParkResult.INTERRUPTED);
            result.set(r);
        });
        LwpCtl c = Lwp.ctl(t);
        int before = c.parkCount();
        go.countDown();
        await(() -> LwpTestSupport.sleepsOn(c, hint), () -> "parked on the hint, is " + c);
        assertEquals(hint, c.waitChannel());
        assertTrue(c.parkCount() > before, "the park was counted: " + c.parkCount());
        Lwp.unpark(t, hint);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, result.get());
    }

    @Test
    void aControlBlockIsReadableFromAnyThread(Supervisor.Attachment me) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"), Lwp.SUSPENDED);
        LwpCtl c = Lwp.ctl(t);
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread plain = new Thread(() -> {
            try {
                seen.set(c.lid() + " " + c.state());
            } catch (Throwable e) {
                seen.set(e);
            }
        }, "not-an-lwp");
        plain.start();
        plain.join(TimeUnit.MILLISECONDS.toMillis(LwpTestSupport.WAIT_MILLIS));
        assertEquals(t + " SUSPENDED", seen.get());
        Lwp.resume(t);
        hold.countDown();
        assertEquals(t, Lwp.waitFor(t));
    }
}
