package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Disposition;

/** sigwait, sigwaitinfo, sigtimedwait and sigsuspend (FreeBSD kern_sigtimedwait / kern_sigsuspend). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SigWaitTest {
    private static final long LONG = TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    @Started
    private Supervisor sup;

    /** An LWP that masks {@code mask} and then runs {@code call}; its answer (or errno) lands in out. */
    private static int lwp(long mask, AtomicReference<Object> out, Supplier<Object> call) {
        return Lwp.create(() -> {
            sigprocmask(SIG_BLOCK, mask);
            try {
                out.set(call.get());
            } catch (LwpException e) {
                out.set(e.errno());
            }
        });
    }

    @Test
    void sigwaitTakesAPendingSignalWithoutRunningItsAction(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()));
        sigprocmask(SIG_BLOCK, sigset(SIGUSR1, SIGTERM));
        kill(a.pid(), SIGUSR1);
        kill(a.pid(), SIGTERM); // default terminate: taken, not acted on
        assertEquals(SIGTERM, sigwait(sigset(SIGUSR1, SIGTERM)), "the lowest number first");
        assertEquals(SIGUSR1, sigwait(sigset(SIGUSR1, SIGTERM)));
        assertEquals(0, ran.get());
        assertEquals(0, sigpending());
    }

    @Test
    void sigwaitinfoSleepsUntilASignalOfTheSetIsSentAndAnswersItsSiginfo(Supervisor.Attachment a) {
        AtomicReference<Object> out = new AtomicReference<>();
        int t = lwp(sigmask(SIGUSR2), out, () -> sigwaitinfo(sigmask(SIGUSR2)));
        awaitSleepsOn(t, "sigwait");
        int c = Proc.fork(() -> kill(a.pid(), SIGUSR2)); // the attached thread does not mask it
        reapExited(c, 0);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(new SigInfo(SIGUSR2, SI_USER, c, 0), out.get(), "the waiter took it, with its siginfo");
    }

    @Test
    void sigtimedwaitAnswersEagainWhenTheTimeoutPasses(Supervisor.Attachment a) {
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        expectErrno(Errno.EAGAIN, () -> sigtimedwait(sigmask(SIGUSR1), 0), "0 polls");
        expectErrno(Errno.EAGAIN, () -> sigtimedwait(sigmask(SIGUSR1), TimeUnit.MILLISECONDS.toNanos(20)));
        kill(a.pid(), SIGUSR1);
        assertEquals(SIGUSR1, sigtimedwait(sigmask(SIGUSR1), 0).signo(), "0 takes what is pending");
    }

    @Test
    void badSetsAndTimeoutsAnswerEinvalAndChangeNothing(Supervisor.Attachment a) {
        long bad = 1L << 63; // signal 64: NSIG is 64
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        kill(a.pid(), SIGUSR1);
        expectErrno(Errno.EINVAL, () -> sigwait(bad | sigmask(SIGUSR1)), "sigwait");
        expectErrno(Errno.EINVAL, () -> sigwaitinfo(bad), "sigwaitinfo");
        expectErrno(Errno.EINVAL, () -> sigtimedwait(bad, 0), "sigtimedwait set");
        expectErrno(Errno.EINVAL, () -> sigtimedwait(sigmask(SIGUSR1), -1), "negative timeout");
        expectErrno(Errno.EINVAL, () -> sigsuspend(bad), "sigsuspend");
        assertEquals(sigmask(SIGUSR1), sigpending(), "still pending");
        assertEquals(sigmask(SIGUSR1), sigprocmask(SIG_BLOCK, 0), "mask unchanged");
        expectErrno(Errno.EAGAIN, () -> sigtimedwait(sigset(SIGKILL, SIGSTOP), 0),
                "SIGKILL and SIGSTOP are left out of a set");
    }

    @Test
    void anIgnoredByDefaultSigchldIsKeptForAWaiter(Supervisor.Attachment a) {
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(ProcTestSupport.exitAfter(go, "exit", 5));
        AtomicReference<Object> out = new AtomicReference<>();
        int t = lwp(sigmask(SIGCHLD), out, () -> sigtimedwait(sigmask(SIGCHLD), LONG));
        awaitSleepsOn(t, "sigwait");
        go.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(new SigInfo(SIGCHLD, CLD_EXITED, c, 0, 5, 0), out.get());
        reapExited(c, 5);
    }

    @Test
    void aCaughtSignalOutsideTheSetEndsSigwaitinfoWithEintrButNotSigwait(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR2, Disposition.handler(i -> ran.incrementAndGet()));
        AtomicReference<Object> info = new AtomicReference<>();
        int t = lwp(sigmask(SIGUSR1), info, () -> sigwaitinfo(sigmask(SIGUSR1)));
        awaitSleepsOn(t, "sigwait");
        lwpKill(t, SIGUSR2);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, info.get());
        assertEquals(1, ran.get());

        AtomicReference<Object> plain = new AtomicReference<>();
        int u = lwp(sigmask(SIGUSR1), plain, () -> sigwait(sigmask(SIGUSR1)));
        awaitSleepsOn(u, "sigwait");
        lwpKill(u, SIGUSR2);
        await(() -> ran.get() == 2, "the handler ran on u");
        awaitSleepsOn(u, "sigwait"); // and it waits again
        lwpKill(u, SIGUSR1);
        assertEquals(u, Lwp.waitFor(u));
        assertEquals(SIGUSR1, plain.get());
    }

    @Test
    void aDefaultStopSignalInTheSetIsTakenNotActedOn(Supervisor.Attachment a) {
        AtomicReference<Object> out = new AtomicReference<>();
        int c = Proc.fork(() -> {
            sigprocmask(SIG_BLOCK, sigmask(SIGTSTP));
            Proc.exit(sigwait(sigmask(SIGTSTP)));
        });
        await(() -> sup.ps().toString().contains("sigwait"), () -> "the child waits: " + sup.ps());
        kill(c, SIGTSTP);
        WaitResult r = Proc.waitpid(c, Wait.WUNTRACED);
        assertTrue(r.exited(), "not stopped: " + r);
        assertEquals(SIGTSTP, r.exitStatus());
        assertNull(out.get());
    }

    @Test
    void sigsuspendRunsTheHandlerWithItsMaskThenRestoresTheOldMaskAndAnswersEintr(Supervisor.Attachment a) {
        AtomicLong maskInHandler = new AtomicLong(-1);
        sigaction(SIGUSR1, Disposition.handler(i -> maskInHandler.set(sigprocmask(SIG_BLOCK, 0))));
        AtomicReference<Object> out = new AtomicReference<>();
        AtomicLong maskAfter = new AtomicLong(-1);
        int t = lwp(sigset(SIGUSR1, SIGUSR2), out, () -> {
            try {
                sigsuspend(sigmask(SIGUSR2));
                return "returned";
            } finally {
                maskAfter.set(sigprocmask(SIG_BLOCK, 0));
            }
        });
        awaitSleepsOn(t, "sigsusp");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, out.get());
        assertEquals(sigset(SIGUSR1, SIGUSR2), maskInHandler.get(),
                "the sigsuspend mask plus the signal itself while the handler runs");
        assertEquals(sigset(SIGUSR1, SIGUSR2), maskAfter.get(), "the old mask is back");
    }

    @Test
    void sigsuspendDeliversASignalAlreadyPendingAtOnce(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()));
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        kill(a.pid(), SIGUSR1);
        expectErrno(Errno.EINTR, () -> sigsuspend(0));
        assertEquals(1, ran.get());
        assertEquals(sigmask(SIGUSR1), sigprocmask(SIG_BLOCK, 0));
    }

    @Test
    void aStopAndContinueDoNotEndSigsuspendAndATerminatingSignalEndsTheProcess(Supervisor.Attachment a) {
        int c = Proc.fork(() -> {
            sigaction(SIGUSR1, Disposition.handler(i -> { }));
            try {
                sigsuspend(0);
            } catch (LwpException e) {
                Proc.exit(e.errno() == Errno.EINTR ? 4 : 5);
            }
            Proc.exit(6);
        });
        await(() -> sup.ps().toString().contains("sigsusp"), () -> "the child suspends: " + sup.ps());
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, Wait.WUNTRACED).stopped());
        kill(c, SIGCONT);
        assertTrue(Proc.waitpid(c, Wait.WCONTINUED).continued());
        await(() -> sup.ps().toString().contains("sigsusp"), () -> "suspended again: " + sup.ps());
        kill(c, SIGUSR1);
        reapExited(c, 4);

        int d = Proc.fork(() -> {
            try {
                sigsuspend(0);
            } finally {
                Proc.exit(7); // not reached by a kill: the LWP unwinds with LwpExit
            }
        });
        await(() -> sup.ps().toString().contains("sigsusp"), () -> "d suspends: " + sup.ps());
        kill(d, SIGTERM);
        assertEquals(SIGTERM, Proc.waitpid(d, 0).termSig());
    }

    @Test
    void aHandlerThatThrowsInsideSigsuspendOrSigwaitinfoPropagatesWithTheMaskRestored(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.handler(i -> {
            throw new IllegalStateException("handler failed");
        }));
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        kill(a.pid(), SIGUSR1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sigsuspend(0));
        assertEquals("handler failed", e.getMessage());
        assertEquals(sigmask(SIGUSR1), sigprocmask(SIG_BLOCK, 0), "the old mask is back");

        AtomicReference<Object> out = new AtomicReference<>();
        int t = Lwp.create(() -> {
            sigprocmask(SIG_SETMASK, sigmask(SIGUSR2)); // SIGUSR1, inherited masked, is let in
            try {
                sigwaitinfo(sigmask(SIGUSR2));
            } catch (IllegalStateException x) {
                out.set(sigprocmask(SIG_BLOCK, 0));
            }
        });
        awaitSleepsOn(t, "sigwait");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(sigmask(SIGUSR2), out.get(), "the waiter's own mask is back, not the narrowed one");
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR2));
        kill(a.pid(), SIGUSR2);
        assertEquals(SIGUSR2, sigwait(sigmask(SIGUSR2)), "the process's signal state still works");
    }
}
