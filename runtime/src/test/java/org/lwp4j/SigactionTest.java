package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.Disposition;
import org.lwp4j.SupervisorExtension.Started;
import org.lwp4j.kern.KProc;

/** sigaction (per process), sigprocmask (per LWP), sigpending, and dispositions across fork. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SigactionTest {
    @Started
    private Supervisor sup;

    private KProc self() {
        return sup.kernel().findProc(Proc.getpid());
    }

    @Test
    void sigactionReturnsTheOldDispositionAndTheQueryFormReadsIt(Supervisor.Attachment a) {
        for (int sig = 1; sig < NSIG; sig++) {
            assertEquals(Disposition.DEFAULT, sigaction(sig), "initial disposition of " + sig);
        }
        Disposition h = Disposition.handler(info -> { }).withMask(sigmask(SIGUSR2)).withFlags(SA_NODEFER);
        assertSame(Disposition.DEFAULT, sigaction(SIGUSR1, h));
        assertSame(h, sigaction(SIGUSR1));
        assertSame(h, sigaction(SIGUSR1, Disposition.IGNORE));
        assertSame(Disposition.IGNORE, sigaction(SIGUSR1, Disposition.DEFAULT));
        assertSame(Disposition.DEFAULT, sigaction(SIGUSR1));
        assertEquals(Disposition.DEFAULT, sigaction(SIGKILL, Disposition.DEFAULT), "SIG_DFL is allowed");
        assertEquals(Disposition.DEFAULT, sigaction(SIGSTOP));
    }

    @Test
    void sigactionErrors(Supervisor.Attachment a) {
        Disposition h = Disposition.handler(info -> { });
        for (int sig : new int[] {0, -1, NSIG, 100, Integer.MIN_VALUE}) {
            expectErrno(Errno.EINVAL, () -> sigaction(sig, Disposition.IGNORE));
            expectErrno(Errno.EINVAL, () -> sigaction(sig));
        }
        for (int sig : new int[] {SIGKILL, SIGSTOP}) {
            expectErrno(Errno.EINVAL, () -> sigaction(sig, Disposition.IGNORE));
            expectErrno(Errno.EINVAL, () -> sigaction(sig, h));
            assertEquals(Disposition.DEFAULT, sigaction(sig), "a refused sigaction changed nothing");
        }
        expectErrno(Errno.EINVAL, () -> sigaction(SIGUSR1, h.withFlags(0x1000)));
        assertEquals(Disposition.DEFAULT, sigaction(SIGUSR1));
        NullPointerException e = assertThrows(NullPointerException.class, () -> sigaction(SIGUSR1, null));
        assertEquals("d", e.getMessage());
        assertThrows(NullPointerException.class, () -> Disposition.handler(null));
    }

    @Test
    void theDispositionConstructorTakesAHandlerWithHandlerOnlyAndComparesItByIdentity() {
        Disposition.Handler h = info -> { };
        Disposition d = new Disposition(Disposition.Kind.HANDLER, h, 1L << (SIGUSR2 - 1), SA_NODEFER);
        assertEquals(Disposition.handler(h).withMask(1L << (SIGUSR2 - 1)).withFlags(SA_NODEFER), d);
        assertEquals(d.hashCode(), Disposition.handler(h).withMask(d.mask()).withFlags(d.flags()).hashCode());
        assertNotEquals(Disposition.handler(info -> { }), Disposition.handler(h), "another handler object");
        assertEquals(Disposition.IGNORE, new Disposition(Disposition.Kind.IGNORE, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Disposition(Disposition.Kind.HANDLER, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Disposition(Disposition.Kind.DEFAULT, h, 0, 0));
        assertThrows(NullPointerException.class, () -> new Disposition(null, null, 0, 0));
        assertThrows(NullPointerException.class, () -> Disposition.handler(null));
    }

    @Test
    void ignoringAPendingSignalDiscardsIt(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        sigprocmask(SIG_BLOCK, sigset(SIGUSR1, SIGCHLD));
        kill(Proc.getpid(), SIGUSR1);
        lwpKill(Lwp.self(), SIGUSR1);
        sigaction(SIGCHLD, Disposition.handler(info -> { }));
        kill(Proc.getpid(), SIGCHLD);
        assertEquals(sigset(SIGUSR1, SIGCHLD), sigpending());
        sigaction(SIGUSR1, Disposition.IGNORE);
        assertEquals(sigmask(SIGCHLD), sigpending(), "SIG_IGN discards, masked or not");
        sigaction(SIGCHLD, Disposition.DEFAULT);
        assertEquals(0, sigpending(), "SIG_DFL of a default-ignored signal discards it");
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        sigprocmask(SIG_SETMASK, 0);
        assertEquals(0, runs.get());
    }

    @Test
    void noCldWaitFollowsSigchld(Supervisor.Attachment a) {
        KProc p = self();
        assertFalse(p.sig.noCldWait);
        sigaction(SIGCHLD, Disposition.IGNORE);
        assertTrue(p.sig.noCldWait);
        sigaction(SIGCHLD, Disposition.DEFAULT);
        assertFalse(p.sig.noCldWait);
        sigaction(SIGCHLD, Disposition.DEFAULT.withFlags(SA_NOCLDWAIT));
        assertTrue(p.sig.noCldWait);
        sigaction(SIGCHLD, Disposition.handler(info -> { }));
        assertFalse(p.sig.noCldWait);
        sigaction(SIGCHLD, Disposition.handler(info -> { }).withFlags(SA_NOCLDWAIT));
        assertTrue(p.sig.noCldWait);
        sigaction(SIGUSR1, Disposition.IGNORE);
        assertTrue(p.sig.noCldWait, "other signals do not touch it");
        sigaction(SIGCHLD, Disposition.DEFAULT);
        assertFalse(p.sig.noCldWait);
    }

    @Test
    void sigprocmaskIsPerLwpAndCannotMaskKillOrStop(Supervisor.Attachment a) {
        assertEquals(0, sigprocmask(SIG_BLOCK, sigset(SIGUSR1, SIGKILL, SIGSTOP, SIGTERM)));
        assertEquals(sigset(SIGUSR1, SIGTERM), sigprocmask(SIG_UNBLOCK, sigmask(SIGTERM)));
        assertEquals(sigmask(SIGUSR1), sigprocmask(SIG_SETMASK, -1L));
        long all = sigprocmask(SIG_BLOCK, 0);
        assertFalse(sigismember(all, SIGKILL));
        assertFalse(sigismember(all, SIGSTOP));
        for (int sig = 1; sig < NSIG; sig++) {
            assertEquals(sig != SIGKILL && sig != SIGSTOP, sigismember(all, sig), "signal " + sig);
        }
        assertEquals(0, all & (1L << 63), "no bit for signal 64");
        expectErrno(Errno.EINVAL, () -> sigprocmask(0, 0));
        expectErrno(Errno.EINVAL, () -> sigprocmask(4, -1L));
        assertEquals(all, sigprocmask(SIG_SETMASK, sigmask(SIGHUP)), "a refused call changed nothing");

        AtomicLong inherited = new AtomicLong(), after = new AtomicLong();
        int t = Lwp.create(() -> {
            inherited.set(sigprocmask(SIG_SETMASK, sigmask(SIGINT)));
            after.set(sigprocmask(SIG_BLOCK, 0));
        });
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(sigmask(SIGHUP), inherited.get(), "a new LWP starts with its creator's mask");
        assertEquals(sigmask(SIGINT), after.get());
        assertEquals(sigmask(SIGHUP), sigprocmask(SIG_SETMASK, 0), "the creator's mask is its own");
    }

    @Test
    void sigpendingShowsMaskedPendingSignalsOfTheLwpAndTheProcess(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.handler(info -> { }));
        sigaction(SIGUSR2, Disposition.handler(info -> { }));
        sigprocmask(SIG_BLOCK, sigset(SIGUSR1, SIGUSR2));
        int t = Lwp.create(() -> Lwp.park("x"));
        sigprocmask(SIG_SETMASK, sigmask(SIGUSR1));
        assertEquals(0, sigpending());
        lwpKill(Lwp.self(), SIGUSR1); // on this LWP
        kill(Proc.getpid(), SIGUSR1); // on the process (t masks it too)
        assertEquals(sigmask(SIGUSR1), sigpending());
        AtomicLong seen = new AtomicLong(-1);
        Lwp.unpark(t, "x");
        assertEquals(t, Lwp.waitFor(t));
        int u = Lwp.create(() -> seen.set(sigpending()));
        assertEquals(u, Lwp.waitFor(u));
        assertEquals(sigmask(SIGUSR1), seen.get(), "the process-pending one is seen by every LWP masking it");
    }

    @Test
    void aForkedChildCopiesDispositionsAndMask(Supervisor.Attachment a) {
        Disposition h = Disposition.handler(info -> { });
        sigaction(SIGUSR1, h);
        sigaction(SIGUSR2, Disposition.IGNORE);
        sigprocmask(SIG_SETMASK, sigmask(SIGHUP));
        AtomicReference<String> seen = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            String s = (sigaction(SIGUSR1) == h) + " " + sigaction(SIGUSR2).kind() + " "
                    + Long.toHexString(sigprocmask(SIG_BLOCK, 0)) + " " + Long.toHexString(sigpending());
            sigaction(SIGUSR2, Disposition.DEFAULT); // the child's own copy
            seen.set(s);
        });
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.exited(), r.toString());
        assertEquals("true IGNORE " + Long.toHexString(sigmask(SIGHUP)) + " 0", seen.get());
        assertEquals(Disposition.IGNORE, sigaction(SIGUSR2), "the child changed its copy only");
    }

    @Test
    void sigshareSharesDispositionsBothWays(Supervisor.Attachment a) {
        AtomicReference<Disposition> parentSetLater = new AtomicReference<>();
        java.util.concurrent.CountDownLatch set = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<Disposition> seenByChild = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            sigaction(SIGCHLD, Disposition.IGNORE);
            LwpTestSupport.awaitLatch(set, "parent's sigaction");
            seenByChild.set(sigaction(SIGUSR1));
        }, ProcFlags.SIGSHARE);
        LwpTestSupport.await(() -> sigaction(SIGCHLD).kind() == Disposition.Kind.IGNORE,
                "the child's sigaction seen by the parent");
        assertTrue(self().sig.noCldWait, "noCldWait of every sharer follows");
        Disposition h = Disposition.handler(info -> { });
        parentSetLater.set(h);
        sigaction(SIGUSR1, h);
        set.countDown();
        // SIGCHLD is ignored here now: the child is not left as a zombie for us.
        WaitResult r = waitOrEchild(pid);
        assertSame(h, seenByChild.get());
        assertTrue(r == null || r.exited(), String.valueOf(r));
    }

    /** waitpid, or null when the child went to the reaper (ECHILD). */
    private static WaitResult waitOrEchild(int pid) {
        try {
            return Proc.waitpid(pid, 0);
        } catch (LwpException e) {
            assertEquals(Errno.ECHILD, e.errno(), e.getMessage());
            return null;
        }
    }
}
