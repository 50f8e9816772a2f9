package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What people read: wait reports name their signals ({@code stopped by SIGSTOP}) and the wait
 * calls' error messages name their options ({@code WEXITED|WNOHANG}), from the API's one table
 * of each ({@link Signals#name}, {@link Proc#waitOptionNames}).
 */
@Timeout(60)
class ReadableNamesTest {
    private Supervisor sup;

    @BeforeEach
    void start() {
        sup = Supervisor.start();
    }

    @AfterEach
    void close() {
        sup.close();
        assertEquals(0, sup.processCount());
    }

    @Test
    void waitOptionNamesJoinTheNamedBitsAndShowTheRestInHex() {
        assertEquals("0", Wait.optionNames(0));
        assertEquals("WEXITED|WNOHANG", Wait.optionNames(Wait.WNOHANG | Wait.WEXITED));
        assertEquals("WSTOPPED", Wait.optionNames(Wait.WUNTRACED));
        assertEquals("WEXITED|WSTOPPED|WCONTINUED|WNOHANG|WNOWAIT|WLINUXCLONE",
                Wait.optionNames(Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED | Wait.WNOHANG
                        | Wait.WNOWAIT | Wait.WLINUXCLONE));
        assertEquals("WEXITED|0x100", Wait.optionNames(Wait.WEXITED | 0x100));
        assertEquals("0x20", Wait.optionNames(32));
    }

    @Test
    void aWaitErrorMessageNamesTheOptions() {
        try (var a = sup.attachNewProcess()) {
            LwpException e = expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_ALL, 0, Wait.WEXITED | Wait.WNOHANG));
            assertTrue(e.getMessage().contains("wait(P_ALL, 0, WEXITED|WNOHANG)"), e.getMessage());
            e = expectErrno(Errno.EINVAL, () -> Proc.waitpid(-1, 0x100));
            assertTrue(e.getMessage().contains("wait(P_ALL, 0, WEXITED|0x100)"), e.getMessage());
        }
    }

    @Test
    void aWaitReportNamesTheSignalThatStoppedOrKilledTheChild() {
        try (var a = sup.attachNewProcess()) {
            // the child sleeps in lwp4j, a safe point, where the stop takes effect
            int pid = Proc.fork(ProcTestSupport::parkForever);
            Signals.kill(pid, Sig.SIGSTOP);
            WaitResult stopped = awaitReport(pid, Wait.WSTOPPED);
            assertTrue(stopped.stopped(), stopped.toString());
            assertTrue(stopped.toString().contains("stopped by SIGSTOP"), stopped.toString());

            Signals.kill(pid, Sig.SIGKILL);
            WaitResult killed = Proc.waitpid(pid, 0);
            assertTrue(killed.signaled(), killed.toString());
            assertTrue(killed.toString().contains("killed by SIGKILL"), killed.toString());
        }
    }

    @Test
    void anExitReportShowsTheExitCodeAndNoneYetSaysSo() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> Proc.exit(3));
            WaitResult r = reapExited(pid, 3);
            assertTrue(r.toString().contains("exited 3"), r.toString());
            assertEquals("WaitResult[none yet]", WaitResult.none().toString());
        }
    }
}
