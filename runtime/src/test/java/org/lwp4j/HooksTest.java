package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Started;

/** at_fork / at_exit hook lists. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class HooksTest {
    @Started
    private Supervisor sup;

    @Test
    void atForkRunsBeforeTheChildWithParentChildAndFlags(Supervisor.Attachment a) {
        List<String> log = new CopyOnWriteArrayList<>();
        ForkHook h = (parent, child, flags) -> log.add("fork " + parent + " " + child + " " + flags);
        Proc.atFork(h);
        Proc.atFork(h); // already there: listed once
        int me = Proc.getpid();
        int pid = Proc.fork(() -> log.add("child"), ProcFlags.MEM);
        reapExited(pid, 0);
        assertEquals(List.of("fork " + me + " " + pid + " " + ProcFlags.MEM, "child"), log);
        assertTrue(Proc.removeAtFork(h));
        assertFalse(Proc.removeAtFork(h));
        int pid2 = Proc.fork(() -> { });
        reapExited(pid2, 0);
        assertEquals(2, log.size(), "a removed hook no longer runs");
    }

    @Test
    void aThrowingAtForkHookFailsTheForkAndLeavesNothing(Supervisor.Attachment a) {
        IllegalStateException no = new IllegalStateException("no fork today");
        Proc.atFork((p, c, f) -> {
            throw no;
        });
        int procs = sup.processCount();
        int[] groups = sup.procLayer().groupCounts();
        AtomicBoolean ran = new AtomicBoolean();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Proc.fork(() -> ran.set(true)));
        assertSame(no, e);
        assertEquals(procs, sup.processCount());
        assertArrayEquals(groups, sup.procLayer().groupCounts());
        assertFalse(ran.get());
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
    }

    @Test
    void forkAndWaitFromAnAtForkHookAnswerEdeadlk(Supervisor.Attachment a) {
        AtomicReference<Errno> fork = new AtomicReference<>(), wait = new AtomicReference<>();
        AtomicReference<Integer> ppid = new AtomicReference<>();
        Proc.atFork((p, c, f) -> {
            try {
                Proc.fork(() -> { });
            } catch (LwpException e) {
                fork.set(e.errno());
            }
            try {
                Proc.waitpid(-1, 0);
            } catch (LwpException e) {
                wait.set(e.errno());
            }
            ppid.set(Proc.getppid()); // the non-sleeping calls work
        });
        int pid = Proc.fork(() -> { });
        reapExited(pid, 0);
        assertEquals(Errno.EDEADLK, fork.get());
        assertEquals(Errno.EDEADLK, wait.get());
        assertEquals(1, ppid.get());
    }

    @Test
    void atExitRunsOncePerExitBeforeTheResourcesClose(Supervisor.Attachment a) {
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicBoolean closed = new AtomicBoolean();
        ExitHook h = (pid, w) -> log.add(pid + " " + Wait.WEXITSTATUS(w) + " closed=" + closed.get());
        Proc.atExit(h);
        Proc.atExit(h);
        int pid = Proc.fork(() -> {
            Proc.open(() -> closed.set(true));
            Lwp.create(ProcTestSupport::parkForever);
            Proc.exit(5);
        });
        reapExited(pid, 5);
        assertEquals(List.of(pid + " 5 closed=false"), log);
        assertTrue(closed.get());
        assertTrue(Proc.removeAtExit(h));
        assertFalse(Proc.removeAtExit(h));
        int pid2 = Proc.fork(() -> { });
        reapExited(pid2, 0);
        assertEquals(1, log.size());
    }

    @Test
    void atExitHooksRunInOrderAndAThrowingOneDoesNotStopTheOthers(Supervisor.Attachment a) {
        List<String> log = new CopyOnWriteArrayList<>();
        Proc.atExit((pid, w) -> log.add("first"));
        Proc.atExit((pid, w) -> {
            throw new IllegalStateException("second fails");
        });
        Proc.atExit((pid, w) -> log.add("third"));
        int pid = Proc.fork(() -> Proc.exit(1));
        reapExited(pid, 1);
        assertEquals(List.of("first", "third"), log);
    }

    @Test
    void hooksAreChecked(Supervisor.Attachment a) {
        assertThrows(NullPointerException.class, () -> Proc.atFork(null));
        assertThrows(NullPointerException.class, () -> Proc.atExit(null));
        assertThrows(NullPointerException.class, () -> Proc.removeAtFork(null));
        assertThrows(NullPointerException.class, () -> Proc.removeAtExit(null));
    }
}
