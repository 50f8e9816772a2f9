package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WNOHANG never sleeps (issue 10): not even for a killed child whose last LWP still unwinds
 * (a long finally) or swallows LwpExit. Such a zombie is not ready for WNOHANG; a blocking wait
 * reaps it once the LWP has gone.
 */
@Timeout(120)
class WaitNoHangTest {
    /** Lets the child's LWP go after a while if the test is stuck, and says whether it had to. */
    private static final class Rescue {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean rescued = new AtomicBoolean();

        Rescue() {
            Thread t = new Thread(() -> {
                try {
                    if (!release.await(20, TimeUnit.SECONDS)) {
                        rescued.set(true);
                        release.countDown();
                    }
                } catch (InterruptedException e) {
                    release.countDown();
                }
            }, "rescue");
            t.setDaemon(true);
            t.start();
        }

        /** Uninterruptibly: the kill interrupts the child's thread, and it must stay here. */
        void await() {
            LwpTestSupport.awaitUninterruptibly(release);
        }
    }

    private static void check(Runnable body, AtomicBoolean unwinding, Rescue rescue) {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(body);
            await(() -> sup.sleepStats().linkedWaiters() > 0 || unwinding.get(), "the child sleeps");
            Signals.kill(child, Sig.SIGKILL);
            await(unwinding::get, "the child's LWP unwinds");
            WaitResult none = Proc.waitpid(child, Wait.WNOHANG);
            WaitResult anyNone = Proc.waitpid(-1, Wait.WNOHANG);
            assertFalse(rescue.rescued.get(), "WNOHANG slept until the child's LWP was let go");
            assertTrue(none.isNone(), "not ready yet: " + none);
            assertTrue(anyNone.isNone(), "not ready yet (any child): " + anyNone);
            rescue.release.countDown();
            WaitResult r = Proc.waitpid(child, 0);
            assertEquals(child, r.pid());
            assertTrue(r.signaled(), "killed: " + r);
        }
    }

    @Test
    void wnohangDoesNotWaitForAKilledChildsLwpRunningAFinally() {
        AtomicBoolean unwinding = new AtomicBoolean();
        Rescue rescue = new Rescue();
        check(() -> {
            try {
                ProcTestSupport.parkForever();
            } finally {
                unwinding.set(true);
                rescue.await();
            }
        }, unwinding, rescue);
    }

    @Test
    void wnohangDoesNotWaitForAKilledChildsLwpThatSwallowsLwpExit() {
        AtomicBoolean unwinding = new AtomicBoolean();
        Rescue rescue = new Rescue();
        check(() -> {
            try {
                ProcTestSupport.parkForever();
            } catch (LwpExit swallowed) {
                unwinding.set(true);
                rescue.await(); // then returns as if nothing had happened
            }
        }, unwinding, rescue);
    }
}
