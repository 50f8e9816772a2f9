package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Disposition;

/**
 * What SIGCHLD carries and how long it stays pending: {@code si_status}, the siginfo of wait,
 * the withdrawal of a reaped child's report (FreeBSD proc_reap), and the reaper told of each
 * zombie it adopts (FreeBSD exit1).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SigChldTest {
    @Started
    private Supervisor sup;

    /** Poll {@code cond} from an LWP, parking (a safe point: handlers run) between polls; bounded. */
    static void awaitAtSafePoints(BooleanSupplier cond, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reached within " + WAIT_MILLIS + " ms: " + what.get());
            }
            Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1), "poll");
        }
    }

    private static List<SigInfo> catchSigchld() {
        return SigTestSupport.catchSignal(SIGCHLD);
    }

    @Test
    void sigchldOfAnExitedChildCarriesItsExitStatus(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        int c = Proc.fork(() -> Proc.exit(7));
        awaitAtSafePoints(() -> !got.isEmpty(), () -> "SIGCHLD of " + c + ": " + sup.ps());
        assertEquals(new SigInfo(SIGCHLD, CLD_EXITED, c, 0, 7, 0), got.get(0));
        reapExited(c, 7);
    }

    @Test
    void sigchldOfAKilledChildCarriesTheSignal(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        int c = Proc.fork(ProcTestSupport::parkForever);
        kill(c, SIGTERM);
        awaitAtSafePoints(() -> !got.isEmpty(), () -> "SIGCHLD of " + c + ": " + sup.ps());
        assertEquals(new SigInfo(SIGCHLD, CLD_KILLED, c, 0, SIGTERM, 0), got.get(0));
        WaitResult r = Proc.waitpid(c, 0);
        assertEquals(SIGTERM, r.siStatus());
        assertEquals(SIGCHLD, r.signo());
    }

    @Test
    void sigchldOfAStopAndAContinueCarriesTheStopSignalThenSigcont(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        int c = Proc.fork(ProcTestSupport::parkForever);
        kill(c, SIGTSTP);
        awaitAtSafePoints(() -> !got.isEmpty(), () -> "SIGCHLD of the stop: " + sup.ps());
        assertEquals(new SigInfo(SIGCHLD, CLD_STOPPED, c, 0, SIGTSTP, 0), got.get(0));
        WaitResult st = Proc.waitpid(c, Wait.WUNTRACED);
        assertEquals(SIGTSTP, st.siStatus());
        assertEquals(SIGCHLD, st.signo());
        kill(c, SIGCONT);
        awaitAtSafePoints(() -> got.size() >= 2, () -> "SIGCHLD of the continue: " + got);
        assertEquals(new SigInfo(SIGCHLD, CLD_CONTINUED, c, 0, SIGCONT, 0), got.get(1));
        WaitResult co = Proc.waitpid(c, Wait.WCONTINUED);
        assertEquals(SIGCONT, co.siStatus());
        kill(c, SIGKILL);
        assertEquals(SIGKILL, Proc.waitpid(c, 0).siStatus());
    }

    @Test
    void waitResultSiginfoOfAnExitAndOfNoneYet(Supervisor.Attachment a) {
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(ProcTestSupport.exitAfter(go, "exit", 300)); // the low 8 bits: 44
        WaitResult none = Proc.waitpid(c, Wait.WNOHANG);
        assertEquals(0, none.signo());
        assertEquals(0, none.siStatus());
        go.countDown();
        WaitResult r = Proc.waitpid(c, 0);
        assertEquals(SIGCHLD, r.signo());
        assertEquals(300 & 0xff, r.siStatus());
        assertEquals(Sig.CLD_EXITED, r.code());
    }

    @Test
    void aReapedChildsSigchldIsWithdrawnWhenNoOtherReportIsQueued(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        sigprocmask(SIG_BLOCK, sigmask(SIGCHLD));
        int c = Proc.fork(() -> Proc.exit(1));
        await(() -> sigismember(sigpending(), SIGCHLD), () -> "SIGCHLD pending: " + sup.ps());
        reapExited(c, 1);
        assertFalse(sigismember(sigpending(), SIGCHLD), "the reaped child's SIGCHLD was withdrawn");
        sigprocmask(SIG_UNBLOCK, sigmask(SIGCHLD));
        assertEquals(List.of(), got, "nothing is delivered for a child already reaped");
    }

    @Test
    void aReapedChildsSigchldLeavesTheOtherChildsReportPending(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        sigprocmask(SIG_BLOCK, sigmask(SIGCHLD));
        int c1 = forkZombie(1);
        int c2 = forkZombie(2);
        reapExited(c1, 1);
        assertTrue(sigismember(sigpending(), SIGCHLD), "c2's report is still queued");
        sigprocmask(SIG_UNBLOCK, sigmask(SIGCHLD));
        assertEquals(List.of(new SigInfo(SIGCHLD, CLD_EXITED, c2, 0, 2, 0)), got,
                "one SIGCHLD, for the child not yet reaped");
        reapExited(c2, 2);
    }

    @Test
    void eachExitedChildQueuesItsOwnSigchldReport(Supervisor.Attachment a) {
        List<SigInfo> got = catchSigchld();
        sigprocmask(SIG_BLOCK, sigmask(SIGCHLD));
        int c1 = forkZombie(1);
        int c2 = forkZombie(2);
        sigprocmask(SIG_UNBLOCK, sigmask(SIGCHLD));
        assertEquals(List.of(new SigInfo(SIGCHLD, CLD_EXITED, c1, 0, 1, 0),
                new SigInfo(SIGCHLD, CLD_EXITED, c2, 0, 2, 0)), got);
        reapExited(c1, 1);
        reapExited(c2, 2);
    }

    @Test
    void aReaperIsSentSigchldForEachZombieItAdopts(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        List<SigInfo> got = new CopyOnWriteArrayList<>();
        sigaction(SIGCHLD, Disposition.handler(i -> {
            if (Proc.getpid() == me) { // the child inherits the handler: count ours only
                got.add(i);
            }
        }));
        AtomicInteger g = new AtomicInteger();
        int c = ProcTestSupport.forkParentOfAZombie(g);
        awaitAtSafePoints(() -> got.size() >= 2, () -> "two SIGCHLDs: " + got + "\n" + sup.ps());
        assertTrue(got.contains(new SigInfo(SIGCHLD, CLD_EXITED, c, 0, 44, 0)), got.toString());
        assertTrue(got.contains(new SigInfo(SIGCHLD, CLD_EXITED, g.get(), 0, 33, 0)),
                "the adopted zombie's report: " + got);
        reapExited(c, 44);
        reapExited(g.get(), 33);
    }

    /** Fork a child that exits with {@code status} at once, and wait until it is an exited zombie. */
    private int forkZombie(int status) {
        int c = Proc.fork(() -> Proc.exit(status));
        awaitExitedZombie(c);
        return c;
    }

    /** Wait until pid is a zombie whose LWPs have all ended: its exit has posted SIGCHLD. */
    private void awaitExitedZombie(int pid) {
        SigTestSupport.awaitExited(sup, pid);
        await(() -> {
            org.lwp4j.kern.KProc p = sup.kernel().findProc(pid);
            return p == null || p.lwpList().stream().allMatch(t -> t.stat() == org.lwp4j.kern.KLwp.LSZOMB
                    || t.stat() == org.lwp4j.kern.KLwp.LSDEAD);
        }, () -> "the LWPs of " + pid + " ended: " + sup.ps());
    }
}
