package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.Limits;

/** Credentials (uid, gid) and the process limits of fork (DragonFly fork1: maxproc, maxprocperuid). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class CredentialsLimitsTest {
    @Test
    void credentialsAreInheritedByFork(@Attach(uid = 1000) Supervisor.Attachment a) {
        assertEquals(1000, Proc.getuid());
        assertEquals(1000, Proc.getgid());
        AtomicReference<int[]> ids = new AtomicReference<>();
        int pid = Proc.fork(() -> ids.set(new int[] {Proc.getuid(), Proc.getgid()}));
        WaitResult r = reapExited(pid, 0);
        assertArrayEquals(new int[] {1000, 1000}, ids.get());
        assertEquals(1000, r.uid());
    }

    @Test
    void rootForksChildrenWithOtherCredentials(Supervisor.Attachment a) {
        assertEquals(0, Proc.getuid());
        AtomicReference<int[]> ids = new AtomicReference<>();
        AtomicReference<Errno> back = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            Proc.setgid(20);
            Proc.setuid(500);
            Proc.setuid(500); // its own uid: allowed
            Proc.setgid(20);
            ids.set(new int[] {Proc.getuid(), Proc.getgid()});
            try {
                Proc.setuid(0);
            } catch (LwpException e) {
                back.set(e.errno());
            }
        });
        WaitResult r = reapExited(pid, 0);
        assertArrayEquals(new int[] {500, 20}, ids.get());
        assertEquals(500, r.uid());
        assertEquals(Errno.EPERM, back.get(), "an unprivileged process cannot take uid 0");
        assertEquals(0, Proc.getuid(), "the parent's credentials did not change");
    }

    @Test
    void credentialErrors(@Attach(uid = 7) Supervisor.Attachment a) {
        expectErrno(Errno.EINVAL, () -> Proc.setuid(-1));
        expectErrno(Errno.EINVAL, () -> Proc.setgid(-1));
        expectErrno(Errno.EPERM, () -> Proc.setuid(8));
        expectErrno(Errno.EPERM, () -> Proc.setgid(8));
        Proc.setuid(7);
        Proc.setgid(7);
        assertEquals(7, Proc.getuid());
    }

    @Test
    @Limits(maxProc = 4)
    void supervisorProcessLimitAnswersEagainAndLeavesNothing(Supervisor s, Supervisor.Attachment a) {
        // init and us: 2 processes
        CountDownLatch go = new CountDownLatch(1);
        int c1 = Proc.fork(waitFor(go));
        int c2 = Proc.fork(waitFor(go));
        int procs = s.processCount();
        int threads = s.liveThreads().size();
        int[] groups = s.procLayer().groupCounts();
        AtomicBoolean ran = new AtomicBoolean();
        expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> ran.set(true)));
        expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> ran.set(true), ProcFlags.NOWAIT));
        assertEquals(procs, s.processCount(), "no record left");
        assertEquals(threads, s.liveThreads().size(), "no thread left");
        assertArrayEquals(groups, s.procLayer().groupCounts());
        assertFalse(ran.get());
        go.countDown();
        reapExited(c1, 0);
        int c3 = Proc.fork(() -> { });
        assertEquals(c2 + 1, c3, "the refused forks used no pid");
        reapExited(c2, 0);
        reapExited(c3, 0);
    }

    @Test
    @Limits(maxProcPerUid = 3)
    void perUidLimitAnswersEagainZombiesCountUntilReapedRootIsExempt(Supervisor s) {
        try (var a = s.attachNewProcess(1000)) { // one process of uid 1000
            int c1 = Proc.fork(() -> { });
            CountDownLatch go = new CountDownLatch(1);
            int c2 = Proc.fork(waitFor(go));
            Proc.wait(IdType.P_PID, c1, Wait.WEXITED | Wait.WNOWAIT); // c1 is a zombie
            int procs = s.processCount();
            expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { }));
            assertEquals(procs, s.processCount());
            reapExited(c1, 0);
            int c3 = Proc.fork(waitFor(go)); // room again once the zombie is reaped
            expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { }));
            go.countDown();
            reapExited(c2, 0);
            reapExited(c3, 0);
        }
        try (var a = s.attachNewProcess()) { // uid 0 is not limited per uid
            List<Integer> pids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pids.add(Proc.fork(() -> { }));
            }
            for (int pid : pids) {
                reapExited(pid, 0);
            }
        }
    }

    @Test
    void threadStartFailureAnswersEagainAndLeavesNothing(SupervisorExtension.Supervisors sups) {
        AtomicBoolean fail = new AtomicBoolean();
        Supervisor s = sups.start(Supervisor.builder().threadStarter(t -> {
            if (fail.get()) {
                throw new OutOfMemoryError("unable to create native thread (test)");
            }
            t.start();
        }));
        try (var a = s.attachNewProcess()) {
            int procs = s.processCount();
            int[] groups = s.procLayer().groupCounts();
            fail.set(true);
            LwpException e = expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { }, ProcFlags.THREAD));
            assertTrue(e.getCause() instanceof OutOfMemoryError, String.valueOf(e.getCause()));
            assertEquals(procs, s.processCount());
            assertArrayEquals(groups, s.procLayer().groupCounts());
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
            fail.set(false);
            int pid = Proc.fork(() -> { });
            reapExited(pid, 0);
        }
    }
}
