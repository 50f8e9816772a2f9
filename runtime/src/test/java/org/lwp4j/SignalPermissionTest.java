package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SigTestSupport.Victim;
import org.lwp4j.SupervisorExtension.LeavesLwpsRunning;
import org.lwp4j.SupervisorExtension.Started;
import org.lwp4j.kern.KProc;

/** Credentials and targets of kill and killpg: EPERM, ESRCH, EINVAL, groups, -1, zombies. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SignalPermissionTest {
    @Started
    private Supervisor sup;

    /** A victim of {@code uid} in a session and group of its own. */
    private Victim victim(int uid) {
        Victim v = new Victim(sup, uid, Proc::setsid);
        v.pid();
        return v;
    }

    private boolean alive(Victim v) {
        KProc p = sup.kernel().findProc(v.attachedPid());
        return p != null && !p.isExiting();
    }

    private void assertKilledBy(Victim v) {
        assertInstanceOf(LwpExit.class, v.awaitEnd());
        SigTestSupport.awaitExited(sup, v.attachedPid());
    }

    @Test
    void signalsAcrossUidsAnswerEpermUnlessTheSenderIsRoot() throws InterruptedException {
        Victim mine = victim(1000), theirs = victim(2000);
        try (var a = sup.attachNewProcess(1000)) {
            Proc.setsid();
            for (int sig : new int[] {0, SIGTERM, SIGKILL, SIGSTOP, SIGCONT, SIGUSR1}) {
                expectErrno(Errno.EPERM, () -> kill(theirs.pid(), sig));
                expectErrno(Errno.EPERM, () -> killpg(theirs.pid(), sig));
                expectErrno(Errno.EPERM, () -> kill(-theirs.pid(), sig));
            }
            assertTrue(alive(theirs), "a refused kill changed nothing");
            kill(mine.pid(), 0);
            kill(mine.pid(), SIGTERM);
            assertKilledBy(mine);
        }
        // The root sender is joined before the test ends: were it still attached when close()
        // kills its process, it would unwind with LwpExit into the default uncaught handler.
        AtomicReference<Throwable> rootFailed = new AtomicReference<>();
        Thread root = new Thread(() -> {
            try (var a = sup.attachNewProcess(0)) {
                kill(theirs.pid(), SIGTERM);
            } catch (Throwable t) {
                rootFailed.set(t);
            }
        }, "root-sender");
        root.start();
        assertKilledBy(theirs);
        root.join(LwpTestSupport.WAIT_MILLIS);
        assertFalse(root.isAlive(), "the root sender did not end within " + LwpTestSupport.WAIT_MILLIS + " ms");
        assertNull(rootFailed.get(), () -> "the root sender failed: " + rootFailed.get());
    }

    @Test
    @LeavesLwpsRunning("the victims live on until close")
    void sigcontMayCrossUidsWithinASession() {
        Victim sameSession = new Victim(sup, 2000);
        sameSession.pid(); // in the session of init's children, as the caller below
        Victim otherSession = victim(2000);
        try (var a = sup.attachNewProcess(1000)) {
            kill(sameSession.pid(), SIGCONT);
            expectErrno(Errno.EPERM, () -> kill(sameSession.pid(), SIGTERM));
            expectErrno(Errno.EPERM, () -> kill(otherSession.pid(), SIGCONT));
        }
        assertTrue(alive(sameSession) && alive(otherSession));
    }

    @Test
    @LeavesLwpsRunning("the victim the refused signals left alive is for close to kill")
    void badSignalAndMissingTargets() {
        Victim v = victim(0);
        try (var a = sup.attachNewProcess()) {
            for (int sig : new int[] {-1, NSIG, 99}) {
                expectErrno(Errno.EINVAL, () -> kill(v.pid(), sig));
                expectErrno(Errno.EINVAL, () -> kill(4242, sig)); // EINVAL first
                expectErrno(Errno.EINVAL, () -> killpg(v.pid(), sig));
            }
            expectErrno(Errno.ESRCH, () -> kill(4242, 0));
            expectErrno(Errno.ESRCH, () -> kill(-4242, SIGTERM));
            expectErrno(Errno.ESRCH, () -> kill(Integer.MIN_VALUE, SIGTERM));
            expectErrno(Errno.ESRCH, () -> killpg(4242, SIGTERM));
            expectErrno(Errno.ESRCH, () -> killpg(1, 0));
            expectErrno(Errno.EINVAL, () -> killpg(-2, 0));
            assertTrue(alive(v));
        }
    }

    @Test
    void initIsNotKilled(Supervisor.Attachment a) {
        kill(1, 0);
        kill(1, SIGKILL);
        kill(1, SIGTERM);
        kill(1, SIGSTOP);
        assertFalse(sup.kernel().init.isExiting());
        assertFalse(sup.kernel().init.stopping);
    }

    @Test
    @LeavesLwpsRunning("the victims kill -1 may not signal live on until close")
    void killMinusOneSignalsEveryProcessTheCallerMayButNotItselfNorInit() {
        Victim a1 = victim(1000), a2 = victim(1000), other = victim(2000);
        try (var a = sup.attachNewProcess(1000)) {
            kill(-1, SIGTERM);
            assertKilledBy(a1);
            assertKilledBy(a2);
            assertTrue(alive(other));
            assertFalse(sup.kernel().init.isExiting());
            // only processes it may not signal are left (and zombies, which do not count)
            expectErrno(Errno.ESRCH, () -> kill(-1, 0));
        }
        assertTrue(alive(other));
    }

    private static void parkForever() {
        for (;;) {
            Lwp.park("hold");
        }
    }

    @Test
    void groupSignalsReachEveryMemberTheCallerMaySignal(Supervisor.Attachment a) {
        Proc.setsid();
        int pg = Proc.getpid();
        int c1 = Proc.fork(SignalPermissionTest::parkForever);
        int c2 = Proc.fork(() -> {
            Proc.setuid(2000);
            parkForever();
        });
        int c3 = Proc.fork(() -> {
            Proc.setpgid(0, 0); // leaves the group
            parkForever();
        });
        LwpTestSupport.await(() -> Proc.getpgid(c3) == c3 && sup.kernel().findProc(c2).uid == 2000,
                "children set up");
        sigaction(SIGUSR1, Disposition.IGNORE); // the caller is a member too
        killpg(pg, SIGUSR1);
        assertEquals(SIGUSR1, Proc.waitpid(c1, 0).termSig());
        assertEquals(SIGUSR1, Proc.waitpid(c2, 0).termSig(), "root may signal uid 2000");
        assertTrue(Proc.waitpid(c3, Wait.WNOHANG).isNone(), "c3 was not in the group");
        kill(-c3, SIGKILL);
        assertEquals(SIGKILL, Proc.waitpid(c3, 0).termSig());
        kill(0, SIGUSR1); // own group: only the caller is left, and it ignores SIGUSR1
    }

    @Test
    void killingAZombieSucceedsAndChangesNothing(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> Proc.exit(7));
        LwpTestSupport.await(() -> sup.kernel().findProc(pid).pstat() == KProc.SZOMB, "child is a zombie");
        kill(pid, SIGKILL);
        kill(pid, SIGSTOP);
        kill(pid, 0);
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.exited(), r.toString());
        assertEquals(7, r.exitStatus());
        expectErrno(Errno.ESRCH, () -> kill(pid, 0));
    }
}
