package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The LWP calls name LWPs of the caller's own process only: any other id answers ESRCH. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpProcessScopeTest {

    @Test
    void anLwpOfAnotherProcessAnswersEsrchToEveryCall(Supervisor sup, Supervisor.Attachment me) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        int other = Lwp.create(() -> {
            awaitLatch(hold, "other");
            ran.set(true);
        });
        int z = LwpTestSupport.createZombie().lid(); // collectable in this process only

        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Integer> otherPid = new AtomicReference<>();
        Thread stranger = new Thread(() -> {
            try (var a = sup.attachNewProcess()) {
                otherPid.set(a.pid());
                assertEquals(1, Lwp.self(), "lids are per process");
                for (int lid : new int[] {other, z}) {
                    expectErrno(Errno.ESRCH, () -> Lwp.suspend(lid));
                    expectErrno(Errno.ESRCH, () -> Lwp.resume(lid));
                    expectErrno(Errno.ESRCH, () -> Lwp.waitFor(lid));
                    expectErrno(Errno.ESRCH, () -> Lwp.detach(lid));
                    expectErrno(Errno.ESRCH, () -> Lwp.setName(lid, "x"));
                    expectErrno(Errno.ESRCH, () -> Lwp.getName(lid));
                    expectErrno(Errno.ESRCH, () -> Lwp.ctl(lid));
                }
                expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
                // lid 1 here is the stranger itself, not lid 1 of the other process
                Lwp.setName(1, "stranger");
                assertEquals("stranger", Lwp.getName(1));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "stranger");
        stranger.start();
        stranger.join(LwpTestSupport.WAIT_MILLIS);
        assertFalse(stranger.isAlive(), "the other thread finished");
        if (failure.get() != null) {
            throw new AssertionError("in the other process", failure.get());
        }
        assertNotEquals(me.pid(), otherPid.get());

        // Nothing the stranger tried touched this process.
        assertEquals(1, Lwp.self());
        assertEquals("", Lwp.getName(1));
        assertEquals("", Lwp.getName(other));
        assertEquals(Lwp.State.RUNNING, Lwp.ctl(other).state());
        assertFalse(ran.get());
        hold.countDown();
        assertEquals(other, Lwp.waitFor(other));
        assertEquals(z, Lwp.waitFor(z));
        assertNull(failure.get());
    }
}
