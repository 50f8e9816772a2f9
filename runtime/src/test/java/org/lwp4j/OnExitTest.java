package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proc.onExit: a future of a process's exit, WNOWAIT semantics, usable from any thread. */
@Timeout(120)
class OnExitTest {
    private static WaitResult get(CompletableFuture<WaitResult> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void theFutureCompletesWithTheExitAndTheChildIsStillThereToReap() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int child = Proc.fork(() -> {
                LwpTestSupport.awaitLatch(gate, "gate");
                Proc.exit(7);
            });
            CompletableFuture<WaitResult> f = Proc.onExit(child);
            assertFalse(f.isDone(), "not before the exit");
            gate.countDown();
            WaitResult r = get(f);
            assertEquals(child, r.pid(), r.toString());
            assertEquals(7, r.exitStatus(), r.toString());
            assertEquals(r, Proc.waitpid(child, Wait.WNOWAIT), "the same report as WNOWAIT");
            ProcTestSupport.reapExited(child, 7);
        }
    }

    @Test
    void aPlainThreadCanWaitOnTheFuture() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int child = Proc.fork(ProcTestSupport.waitFor(gate));
            CompletableFuture<WaitResult> f = Proc.onExit(child);
            AtomicReference<Object> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    seen.set(get(f));
                } catch (Exception e) {
                    seen.set(e);
                }
            }, "plain");
            t.start();
            gate.countDown();
            t.join(60_000);
            assertFalse(t.isAlive(), "the plain thread was not released");
            assertTrue(seen.get() instanceof WaitResult && ((WaitResult) seen.get()).exited(), "" + seen.get());
            ProcTestSupport.reapExited(child, 0);
        }
    }

    @Test
    void aZombieAlreadyGivesACompletedFutureAndAKilledChildItsSignal() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(ProcTestSupport::parkForever);
            Signals.kill(child, Sig.SIGKILL);
            WaitResult r = get(Proc.onExit(child));
            assertTrue(r.signaled(), r.toString());
            assertEquals(Sig.SIGKILL, r.termSig());
            WaitResult again = get(Proc.onExit(child));
            assertEquals(r, again, "the zombie answers the same report again");
            assertEquals(child, Proc.waitpid(child, 0).pid());
        }
    }

    @Test
    void aCallbackThatBlocksHoldsUpNeitherTheExitNorTheReap() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            int child = Proc.fork(() -> Proc.exit(2));
            CompletableFuture<WaitResult> f = Proc.onExit(child);
            f.thenRun(() -> {
                inCallback.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(inCallback.await(60, TimeUnit.SECONDS), "the callback ran");
            ProcTestSupport.reapExited(child, 2); // the exit finished, the zombie is reapable
            release.countDown();
        }
    }

    @Test
    void badPidsAnswerTheirErrors() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            expectErrno(Errno.EINVAL, () -> Proc.onExit(0));
            expectErrno(Errno.EINVAL, () -> Proc.onExit(-3));
            expectErrno(Errno.EINVAL, () -> Proc.onExit(1));
            expectErrno(Errno.ESRCH, () -> Proc.onExit(4711));
            int child = Proc.fork(() -> { });
            ProcTestSupport.reapExited(child, 0);
            expectErrno(Errno.ESRCH, () -> Proc.onExit(child), "reaped already");
        }
    }
}
