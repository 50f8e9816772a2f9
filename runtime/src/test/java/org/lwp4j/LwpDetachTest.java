package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitExited;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code _lwp_detach} and the DETACHED creation flag: reaping by the system, EINVAL, ESRCH. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpDetachTest {

    @Test
    void detachingTwiceAnswersEinval(Supervisor sup, Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"));
        Lwp.detach(t);
        LwpException e = expectErrno(Errno.EINVAL, () -> Lwp.detach(t));
        assertTrue(e.getMessage().contains("_lwp_detach(" + t + ")"), e.getMessage());
        int d = Lwp.create(() -> awaitLatch(hold, "d"), Lwp.DETACHED);
        expectErrno(Errno.EINVAL, () -> Lwp.detach(d));
        hold.countDown();
        await(() -> sup.lwpCount() == 1, () -> "the detached LWPs were reaped, lwps=" + sup.lwpCount());
    }

    @Test
    void detachOfUnknownOrCollectedLwpAnswersEsrch(Supervisor.Attachment me) {
        expectErrno(Errno.ESRCH, () -> Lwp.detach(999));
        expectErrno(Errno.ESRCH, () -> Lwp.detach(0));
        int t = Lwp.create(() -> { });
        assertEquals(t, Lwp.waitFor(t));
        expectErrno(Errno.ESRCH, () -> Lwp.detach(t));
    }

    @Test
    void detachOfAZombieFreesItAtOnce(Supervisor sup, Supervisor.Attachment me) {
        LwpCtl c = LwpTestSupport.createZombie();
        int z = c.lid();
        assertEquals(Lwp.State.ZOMBIE, c.state(), "a joinable LWP stays a zombie until collected");
        int before = sup.lwpCount();
        assertEquals(2, before);
        Lwp.detach(z);
        assertEquals(before - 1, sup.lwpCount(), "the zombie is freed by detach itself");
        assertEquals(Lwp.State.DEAD, c.state());
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(z));
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
    }

    @Test
    void aDetachedLwpIsReapedWhenItExits(Supervisor sup, Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"));
        LwpCtl c = Lwp.ctl(t);
        Lwp.detach(t);
        assertEquals(2, sup.lwpCount());
        hold.countDown();
        await(() -> sup.lwpCount() == 1, () -> "reaped by the system, lwps=" + sup.lwpCount());
        assertEquals(Lwp.State.DEAD, c.state());
        await(() -> sup.liveThreads().size() == 1 + sup.cachedThreads(), () -> "its thread joined or back in the LWP cache: " + sup.liveThreads());
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(t));
    }

    @Test
    void twoHundredDetachedLwpsAreReapedByTheSystem(Supervisor sup, Supervisor.Attachment me) {
        int base = sup.lwpCount();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            Lwp.create(ran::incrementAndGet, Lwp.DETACHED);
        }
        await(() -> ran.get() == 200, () -> "all 200 ran, ran=" + ran.get());
        await(() -> sup.lwpCount() == base, () -> "the table drains, lwps=" + sup.lwpCount());
        await(() -> sup.liveThreads().size() == 1 + sup.cachedThreads(),
                () -> "every LWP thread joined, live=" + sup.liveThreads().size());
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
    }

    @Test
    void detachingTheTargetOfAWaiterMakesTheWaiterAnswerEinval(Supervisor sup, Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"));
        LwpTestSupport.WaitOutcome waiter = new LwpTestSupport.WaitOutcome();
        int w = Lwp.create(waiter.waitFor(t));
        LwpCtl wc = Lwp.ctl(w);
        awaitInLwpWait(wc);
        Lwp.detach(t);
        awaitExited(wc);
        assertEquals(0, waiter.lid.get());
        assertEquals(Errno.EINVAL, waiter.errno(), String.valueOf(waiter.error.get()));
        assertEquals(w, Lwp.waitFor(w));
        hold.countDown();
        await(() -> sup.lwpCount() == 1, () -> "the detached target was reaped, lwps=" + sup.lwpCount());
    }
}
