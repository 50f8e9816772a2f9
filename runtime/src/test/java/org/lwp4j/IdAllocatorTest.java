package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every id allocator ends (issue 10): EAGAIN when no pid or lid is free, whatever holds the ids
 * (processes, process groups outliving their leader); and a call that fails gives its id back.
 */
@Timeout(120)
class IdAllocatorTest {
    /** Body of a child that stays until killed. */
    private static void stay() {
        for (;;) {
            Lwp.park("stay");
        }
    }

    /** Fork a child that exits at once, assert it got pid {@code want} ({@code why}), and reap it. */
    private static void assertNextForkGets(int want, String why) {
        int next = Proc.fork(() -> { });
        assertEquals(want, next, why);
        Proc.waitpid(next, 0);
    }

    /**
     * Fork on a new LWP of the caller's process and answer the pid or the LwpException's errno
     * (negated); fails, instead of hanging, if the fork has not answered within 20 s.
     */
    private static int forkBounded() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Lwp.create(() -> {
            try {
                f.complete(Proc.fork(IdAllocatorTest::stay));
            } catch (LwpException e) {
                f.complete(-e.errno().ordinal() - 1);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        }, Lwp.DETACHED);
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("fork did not answer within 20 s: its pid allocator does not end");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int eagain() {
        return -Errno.EAGAIN.ordinal() - 1;
    }

    @Test
    void forkAnswersEagainWhenEveryPidIsHeldByAProcess() {
        try (Supervisor sup = Supervisor.builder().maxPid(5).start(); var me = sup.attachNewProcess()) {
            assertEquals(2, me.pid());
            for (int pid = 3; pid <= 5; pid++) {
                assertEquals(pid, forkBounded());
            }
            assertEquals(eagain(), forkBounded(), "pids 2 to 5 are all in use");
            assertEquals(eagain(), forkBounded(), "and again");
        }
    }

    @Test
    void forkAnswersEagainWhenAGroupThatOutlivesItsLeaderHoldsTheLastPid() {
        try (Supervisor sup = Supervisor.builder().maxPid(5).maxProc(5).start(); var me = sup.attachNewProcess()) {
            int leader = Proc.fork(IdAllocatorTest::stay);
            assertEquals(3, leader);
            Proc.setpgid(leader, leader);
            int member = Proc.fork(IdAllocatorTest::stay);
            Proc.setpgid(member, leader);
            Signals.kill(leader, Sig.SIGKILL);
            assertTrue(Proc.waitpid(leader, 0).signaled());
            assertEquals(leader, Proc.getpgid(member), "group 3 outlives its leader");
            assertEquals(5, forkBounded());
            assertEquals(eagain(), forkBounded(), "2, 4, 5 are processes, 3 a group");
            Signals.kill(member, Sig.SIGKILL);
            Proc.waitpid(member, 0);
            assertEquals(3, forkBounded(), "group 3 is gone with its last member");
        }
    }

    @Test
    void aForkRefusedForWantOfAThreadGivesItsPidBack() {
        AtomicBoolean refuse = new AtomicBoolean();
        try (Supervisor sup = Supervisor.builder().lwpCache(0).threadStarter(t -> { // starter on every fork
            if (refuse.get()) {
                throw new OutOfMemoryError("unable to create native thread");
            }
            t.start();
        }).start(); var me = sup.attachNewProcess()) {
            int p = Proc.fork(() -> { });
            assertTrue(Proc.waitpid(p, 0).exited());
            refuse.set(true);
            for (int i = 0; i < 6; i++) {
                expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { }), "refusal " + i);
            }
            refuse.set(false);
            assertNextForkGets(p + 1, "the six refused forks used up no pid");
        }
    }

    @Test
    void aForkWhoseAtForkHookThrowsGivesItsPidBack() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int p = Proc.fork(() -> { });
            Proc.waitpid(p, 0);
            RuntimeException boom = new RuntimeException("hook");
            ForkHook hook = (parent, child, flags) -> {
                throw boom;
            };
            Proc.atFork(hook);
            for (int i = 0; i < 3; i++) {
                try {
                    Proc.fork(() -> { });
                    fail("the hook's exception reaches the caller");
                } catch (RuntimeException e) {
                    assertEquals(boom, e);
                }
            }
            Proc.removeAtFork(hook);
            assertNextForkGets(p + 1, "the failed forks used up no pid");
        }
    }

    @Test
    void createAnswersEagainWhenEveryLidIsInUse() {
        try (Supervisor sup = Supervisor.builder().maxLid(4).start(); var me = sup.attachNewProcess()) {
            IntSupplier create = () -> Lwp.create(IdAllocatorTest::stay);
            assertEquals(2, create.getAsInt());
            assertEquals(3, create.getAsInt());
            assertEquals(4, create.getAsInt());
            expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> { }), "lids 1 to 4 are in use");
        }
    }
}
