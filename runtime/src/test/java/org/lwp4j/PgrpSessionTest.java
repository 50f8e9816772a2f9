package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Started;

/** setpgid / getpgid / setsid / getsid with POSIX rules. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class PgrpSessionTest {
    @Started
    private Supervisor sup;

    @Test
    void initLeadsSessionAndGroupOneAndNewProcessesJoinThem() {
        try (var a = sup.attach()) {
            assertEquals(1, Proc.getpgid(0));
            assertEquals(1, Proc.getsid(0));
            expectErrno(Errno.EPERM, Proc::setsid);
        }
        try (var a = sup.attachNewProcess()) {
            assertEquals(1, Proc.getpgid(0));
            assertEquals(1, Proc.getsid(0));
            assertEquals(1, Proc.getpgid(Proc.getpid()));
            assertEquals(1, Proc.getpgid(1));
            AtomicReference<int[]> ids = new AtomicReference<>();
            int pid = Proc.fork(() -> ids.set(new int[] {Proc.getpgid(0), Proc.getsid(0)}));
            reapExited(pid, 0);
            assertArrayEquals(new int[] {1, 1}, ids.get(), "a child joins the caller's group and session");
        }
    }

    @Test
    void setpgidMakesAndJoinsGroups(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.setpgid(0, 0);
        assertEquals(me, Proc.getpgid(0));
        Proc.setpgid(me, me); // again: no change
        assertEquals(me, Proc.getpgid(0));
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(waitFor(go));
        assertEquals(me, Proc.getpgid(c));
        Proc.setpgid(c, 0); // the parent moves its child into a group of its own
        assertEquals(c, Proc.getpgid(c));
        Proc.setpgid(c, me); // and back into an existing group of the session
        assertEquals(me, Proc.getpgid(c));
        Proc.setpgid(0, 1); // the caller joins group 1 (same session)
        assertEquals(1, Proc.getpgid(0));
        assertEquals(me, Proc.getpgid(c), "group " + me + " lives on with its member");
        go.countDown();
        reapExited(c, 0);
    }

    @Test
    void setpgidErrors(Supervisor.Attachment a) {
        int me = Proc.getpid();
        expectErrno(Errno.EINVAL, () -> Proc.setpgid(0, -1));
        expectErrno(Errno.ESRCH, () -> Proc.setpgid(1, 1), "init is not our child");
        expectErrno(Errno.ESRCH, () -> Proc.setpgid(4242, 0));
        expectErrno(Errno.EPERM, () -> Proc.setpgid(0, 4242), "no such group");
        CountDownLatch go = new CountDownLatch(1), inOwnSession = new CountDownLatch(1);
        AtomicInteger grandchild = new AtomicInteger();
        int other = Proc.fork(() -> {
            Proc.setsid();
            inOwnSession.countDown();
            awaitLatch(go, "go");
        });
        CountDownLatch gcUp = new CountDownLatch(1);
        int mid = Proc.fork(() -> {
            grandchild.set(Proc.fork(waitFor(go)));
            gcUp.countDown();
            awaitLatch(go, "go");
        });
        awaitLatch(inOwnSession, "setsid done");
        awaitLatch(gcUp, "grandchild forked");
        expectErrno(Errno.EPERM, () -> Proc.setpgid(other, 0), "child in another session");
        expectErrno(Errno.EPERM, () -> Proc.setpgid(0, other), "group of another session");
        expectErrno(Errno.ESRCH, () -> Proc.setpgid(grandchild.get(), 0), "not a child (POSIX)");
        assertEquals(1, Proc.getpgid(mid));
        go.countDown();
        reapExited(other, 0);
        reapExited(mid, 0);
        int z = Proc.fork(() -> { });
        Proc.wait(IdType.P_PID, z, Wait.WEXITED | Wait.WNOWAIT);
        expectErrno(Errno.ESRCH, () -> Proc.setpgid(z, 0), "a zombie child");
        reapExited(z, 0);
        assertEquals(1, Proc.getpgid(0), "the refused calls changed nothing: " + me);
    }

    @Test
    void aSessionLeaderCannotChangeGroup(Supervisor.Attachment a) {
        AtomicReference<Errno> got = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            Proc.setsid();
            try {
                Proc.setpgid(0, 0);
            } catch (LwpException e) {
                got.set(e.errno());
            }
        });
        reapExited(pid, 0);
        assertEquals(Errno.EPERM, got.get());
    }

    @Test
    void setsidMakesSessionAndGroupOfTheCaller(Supervisor.Attachment a) {
        AtomicReference<int[]> ids = new AtomicReference<>();
        AtomicReference<Errno> again = new AtomicReference<>();
        AtomicReference<int[]> childIds = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            int sid = Proc.setsid();
            ids.set(new int[] {sid, Proc.getsid(0), Proc.getpgid(0), Proc.getpid()});
            try {
                Proc.setsid();
            } catch (LwpException e) {
                again.set(e.errno());
            }
            int c = Proc.fork(() -> childIds.set(new int[] {Proc.getsid(0), Proc.getpgid(0)}));
            Proc.waitpid(c, 0);
        });
        reapExited(pid, 0);
        int[] v = ids.get();
        assertEquals(v[3], v[0]);
        assertEquals(v[3], v[1]);
        assertEquals(v[3], v[2]);
        assertEquals(Errno.EPERM, again.get(), "a group leader cannot setsid");
        assertArrayEquals(new int[] {v[3], v[3]}, childIds.get(), "its child joins the new session");
    }

    @Test
    void aGroupLeaderCannotSetsid(Supervisor.Attachment a) {
        Proc.setpgid(0, 0);
        expectErrno(Errno.EPERM, Proc::setsid);
        assertEquals(1, Proc.getsid(0));
    }

    @Test
    void getpgidAndGetsidOfUnknownOrZombieAnswerEsrch(Supervisor.Attachment a) {
        expectErrno(Errno.ESRCH, () -> Proc.getpgid(4242));
        expectErrno(Errno.ESRCH, () -> Proc.getsid(4242));
        expectErrno(Errno.ESRCH, () -> Proc.getpgid(-3));
        int z = Proc.fork(() -> { });
        Proc.wait(IdType.P_PID, z, Wait.WEXITED | Wait.WNOWAIT);
        expectErrno(Errno.ESRCH, () -> Proc.getpgid(z));
        expectErrno(Errno.ESRCH, () -> Proc.getsid(z));
        reapExited(z, 0);
    }

    @Test
    void aGroupGoesWithItsLastMemberReaped(Supervisor.Attachment a) {
        int[] before = sup.procLayer().groupCounts();
        int pid = Proc.fork(() -> {
            Proc.setsid();
            Proc.exit(0);
        });
        Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT);
        int[] zombie = sup.procLayer().groupCounts();
        assertArrayEquals(new int[] {before[0] + 1, before[1] + 1}, zombie, "a zombie keeps its group");
        reapExited(pid, 0);
        assertArrayEquals(before, sup.procLayer().groupCounts(), "reaped: group and session gone");
    }
}
