package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** ps tells the truth: BSD state letters R, S, T, Z, and init's and a zombie's rows named. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class PsStateTest {
    private static Ps.Row procRow(Supervisor s, int pid) {
        Ps ps = s.ps();
        return ps.rows().stream().filter(r -> r.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + pid + " in\n" + ps));
    }

    private static void awaitState(Supervisor s, int pid, char st) {
        await(() -> procRow(s, pid).procState() == st, () -> "process " + pid + " in state " + st + "\n" + s.ps());
    }

    @Test
    void aProcessWhoseLwpsAllSleepIsSAndAStoppedOneT(Supervisor s, Supervisor.Attachment a) {
        int c = Proc.fork(ProcTestSupport::parkForever);
        awaitState(s, c, 'S');
        assertEquals('R', procRow(s, a.pid()).procState(), "the caller runs while it takes the snapshot");
        Signals.kill(c, Sig.SIGSTOP);
        awaitState(s, c, 'T');
        Signals.kill(c, Sig.SIGCONT);
        awaitState(s, c, 'S');
        Signals.kill(c, Sig.SIGKILL);
        Proc.waitpid(c, 0);
    }

    @Test
    void aZombieIsZAndDefunctAndInitIsNamed(Supervisor s, Supervisor.Attachment a) {
        int c = Proc.fork(() -> { });
        await(() -> procRow(s, c).procState() == 'Z' && procRow(s, c).lid() == 0,
                () -> "process " + c + " a zombie whose LWP the reaper has freed\n" + s.ps());
        Ps.Row z = procRow(s, c);
        assertEquals(0, z.lid());
        assertEquals("<defunct>", z.name());
        Ps.Row init = procRow(s, 1);
        assertEquals("init", init.name());
        assertEquals('S', init.procState(), "init with no attached thread sleeps");
        String table = s.ps().toString();
        String initLine = table.lines().filter(l -> l.trim().startsWith("1 ")).findFirst().orElseThrow();
        assertTrue(initLine.contains(" - ") && initLine.endsWith("init"), initLine);
        ProcTestSupport.reapExited(c, 0);
    }
}
