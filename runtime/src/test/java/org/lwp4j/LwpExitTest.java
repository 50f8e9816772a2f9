package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code _lwp_exit}: unwinding the body; the last LWP to exit ends its process; an uncaught
 * exception ends the process.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpExitTest {

    @Test
    void exitUnwindsTheBodyAndLeavesAZombieToCollect(Supervisor.Attachment me) {
        AtomicBoolean before = new AtomicBoolean();
        AtomicBoolean after = new AtomicBoolean();
        AtomicBoolean finallyRan = new AtomicBoolean();
        int t = Lwp.create(() -> {
            try {
                before.set(true);
                Lwp.exit();
                after.set(true);
            } finally {
                finallyRan.set(true);
            }
        });
        assertEquals(t, Lwp.waitFor(t));
        assertTrue(before.get());
        assertFalse(after.get(), "code after _lwp_exit ran");
        assertTrue(finallyRan.get(), "exit unwinds: finally blocks run");
    }

    @Test
    void exitFromDeepInsideNestedCallsEndsOnlyTheCaller(Supervisor.Attachment me) {
        AtomicInteger unwound = new AtomicInteger();
        AtomicBoolean returned = new AtomicBoolean();
        int t = Lwp.create(() -> {
            recurse(20, unwound);
            returned.set(true);
        });
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(20, unwound.get(), "every frame unwound");
        assertFalse(returned.get());
        assertEquals(Lwp.State.RUNNING, Lwp.ctl().state(), "the caller goes on");
    }

    private static void recurse(int depth, AtomicInteger unwound) {
        try {
            if (depth == 1) {
                Lwp.exit();
            } else {
                recurse(depth - 1, unwound);
            }
        } finally {
            unwound.incrementAndGet();
        }
    }

    @Test
    void theLastLwpToExitEndsItsProcess(Supervisor sup) {
        CountDownLatch last = new CountDownLatch(1);
        AtomicBoolean after = new AtomicBoolean();
        try (var me = sup.attachNewProcess()) {
            Lwp.create(() -> {
                awaitLatch(last, "last");
                Lwp.exit();
                after.set(true);
            });
            assertEquals(2, sup.processCount());
        }
        // The attached thread has left; the created LWP is the last live one.
        assertEquals(2, sup.processCount(), "the process lives while an LWP lives");
        last.countDown();
        await(() -> sup.processCount() == 1, () -> "the process ended, processes=" + sup.processCount());
        await(() -> sup.lwpCount() == 0, () -> "no LWP records left, lwps=" + sup.lwpCount());
        await(() -> sup.liveThreads().size() == 1 + sup.cachedThreads(), () -> "only the reaper is left: " + sup.liveThreads());
        assertFalse(after.get());
    }

    @Test
    void exitOfAnAttachedThreadEndsItsLwpAndTheThreadGoesOn(Supervisor sup) {
        try (var me = sup.attachNewProcess()) {
            assertEquals(2, sup.processCount());
            LwpExit x = assertThrows(LwpExit.class, Lwp::exit);
            assertTrue(x.getMessage().contains("_lwp_exit"), x.getMessage());
            // The thread is no longer an LWP, and it was the last of its process.
            assertThrows(IllegalStateException.class, Lwp::self);
            assertEquals(1, sup.processCount(), "the process ended with its last LWP");
            assertEquals(0, sup.lwpCount());
        }
        // It may enter again.
        try (var again = sup.attachNewProcess()) {
            assertEquals(1, Lwp.self());
        }
    }

    @Test
    void anUncaughtExceptionInAnLwpEndsItsProcess() {
        // Repeated: the other LWP may be woken by the caller's leaving just as the process
        // starts to exit; it must then be unwound, not told EDEADLK.
        for (int round = 0; round < 20; round++) {
            uncaughtExceptionRound();
        }
    }

    private static void uncaughtExceptionRound() {
        try (Supervisor sup = Supervisor.start()) {
            CountDownLatch fault = new CountDownLatch(1);
            AtomicReference<Throwable> bystanderEnd = new AtomicReference<>();
            AtomicBoolean bystanderReturned = new AtomicBoolean();
            int f;
            try (var me = sup.attachNewProcess()) {
                f = Lwp.create(() -> {
                    awaitLatch(fault, "fault");
                    throw new IllegalStateException("boom (expected by the test)");
                });
                int target = f;
                int bystander = Lwp.create(() -> {
                    try {
                        Lwp.waitFor(target);
                        bystanderReturned.set(true);
                    } catch (Throwable t) {
                        bystanderEnd.set(t);
                        throw t;
                    }
                });
                awaitInLwpWait(Lwp.ctl(bystander));
                assertEquals(2, sup.processCount());
            }
            fault.countDown();
            await(() -> sup.processCount() == 1, () -> "the faulting process ended, processes=" + sup.processCount());
            await(() -> bystanderEnd.get() != null, "the other LWP was unwound");
            assertTrue(bystanderEnd.get() instanceof LwpExit, String.valueOf(bystanderEnd.get()));
            assertFalse(bystanderReturned.get());
            await(() -> sup.lwpCount() == 0, () -> "no LWP records left, lwps=" + sup.lwpCount());
            await(() -> sup.liveThreads().size() == 1 + sup.cachedThreads(), () -> "only the reaper is left: " + sup.liveThreads());
        }
    }
}
