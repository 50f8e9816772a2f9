package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proc.terminate: SIGTERM, a grace period, SIGKILL; the child reaped. */
@Timeout(120)
class TerminateTest {
    private static final Duration GRACE = Duration.ofSeconds(60);

    @Test
    void aChildThatTakesTheDefaultActionEndsBySigterm() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(ProcTestSupport::parkForever);
            WaitResult r = Proc.terminate(child, GRACE);
            assertEquals(child, r.pid());
            assertTrue(r.signaled(), r.toString());
            assertEquals(Sig.SIGTERM, r.termSig(), r.toString());
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(child, Wait.WNOHANG), "reaped");
        }
    }

    @Test
    void aChildThatIgnoresSigtermIsKilledAfterTheGrace() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch ready = new CountDownLatch(1);
            int child = Proc.fork(() -> {
                Signals.sigaction(Sig.SIGTERM, Disposition.IGNORE);
                ready.countDown();
                ProcTestSupport.parkForever();
            });
            LwpTestSupport.awaitLatch(ready, "the child ignores SIGTERM");
            WaitResult r = Proc.terminate(child, Duration.ofMillis(20));
            assertTrue(r.signaled(), r.toString());
            assertEquals(Sig.SIGKILL, r.termSig(), r.toString());
        }
    }

    @Test
    void aChildWhoseHandlerExitsReportsItsExit() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch ready = new CountDownLatch(1);
            int child = Proc.fork(() -> {
                Signals.sigaction(Sig.SIGTERM, Disposition.handler(info -> Proc.exit(3)));
                ready.countDown();
                ProcTestSupport.parkForever();
            });
            LwpTestSupport.awaitLatch(ready, "the child has its handler");
            WaitResult r = Proc.terminate(child, GRACE);
            assertTrue(r.exited(), r.toString());
            assertEquals(3, r.exitStatus());
        }
    }

    @Test
    void aStoppedChildIsTerminatedToo() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(ProcTestSupport::parkForever);
            Signals.kill(child, Sig.SIGSTOP);
            ProcTestSupport.awaitReport(child, Wait.WSTOPPED);
            WaitResult r = Proc.terminate(child, GRACE);
            assertTrue(r.signaled(), r.toString());
            assertEquals(Sig.SIGTERM, r.termSig(), r.toString());
        }
    }

    @Test
    void aZombieChildIsReapedWithoutASignal() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(() -> Proc.exit(5));
            ProcTestSupport.awaitReport(child, Wait.WEXITED | Wait.WNOWAIT);
            WaitResult r = Proc.terminate(child, GRACE);
            assertTrue(r.exited(), r.toString());
            assertEquals(5, r.exitStatus());
        }
    }

    @Test
    void badInputAnswersItsErrorAndSendsNothing() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(ProcTestSupport::parkForever);
            expectErrno(Errno.EINVAL, () -> Proc.terminate(0, GRACE));
            expectErrno(Errno.EINVAL, () -> Proc.terminate(child, Duration.ofMillis(-1)));
            expectErrno(Errno.ECHILD, () -> Proc.terminate(4711, GRACE));
            expectErrno(Errno.ECHILD, () -> Proc.terminate(1, GRACE), "init is nobody's child");
            assertThrows(NullPointerException.class, () -> Proc.terminate(child, null));
            assertTrue(Proc.waitpid(child, Wait.WNOHANG).isNone(), "the child was not signalled");
            Signals.kill(child, Sig.SIGKILL);
            assertTrue(Proc.waitpid(child, 0).signaled());
        }
    }
}
