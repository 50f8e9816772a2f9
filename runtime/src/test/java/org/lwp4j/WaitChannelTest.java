package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;

/** Kernel waits sleep on named channels: jstack shows their class, ps their name (stop apart from suspend). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class WaitChannelTest {
    private static String blockerClass(Thread t) {
        Object b = LockSupport.getBlocker(t);
        return b == null ? "none" : b.getClass().getName();
    }

    private static Ps.Row row(Supervisor s, int pid, int lid) {
        Ps ps = s.ps();
        return ps.rows().stream().filter(r -> r.pid() == pid && r.lid() == lid).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + pid + "/" + lid + " in\n" + ps));
    }

    @Test
    void lwpWaitAndSuspendSleepOnNamedBlockers(Supervisor s, Supervisor.Attachment a) {
        AtomicReference<Thread> sleeper = new AtomicReference<>();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        int b = Lwp.create(() -> {
            sleeper.set(Thread.currentThread());
            while (!done.get()) {
                Lwp.park("b");
            }
        });
        int w = Lwp.create(() -> {
            waiter.set(Thread.currentThread());
            Lwp.waitFor(b);
        });
        await(() -> waiter.get() != null && blockerClass(waiter.get()).endsWith("Channel$LwpWait"),
                () -> "the _lwp_wait blocker is Channel$LwpWait, is " + blockerClass(waiter.get()));
        assertEquals("lwpwait", row(s, a.pid(), w).wchan());
        Lwp.suspend(b);
        await(() -> blockerClass(sleeper.get()).endsWith("Channel$Suspend"),
                () -> "a suspended LWP's blocker is Channel$Suspend, is " + blockerClass(sleeper.get()));
        Ps.Row r = row(s, a.pid(), b);
        assertEquals(Lwp.State.SUSPENDED, r.lwpState());
        assertEquals("suspend", r.wchan());
        Lwp.resume(b);
        done.set(true);
        Lwp.unpark(b, "b");
        assertEquals(w, Lwp.waitFor(w));
    }

    @Test
    void aStoppedLwpSleepsOnStopAndAParentInWaitOnWait(Supervisor s, Supervisor.Attachment a) {
        int c = Proc.fork(ProcTestSupport::parkForever);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        int w = Lwp.create(() -> {
            waiter.set(Thread.currentThread());
            Proc.waitpid(c, 0);
        });
        await(() -> waiter.get() != null && blockerClass(waiter.get()).endsWith("Channel$ChildWait"),
                () -> "the wait blocker is Channel$ChildWait, is " + blockerClass(waiter.get()));
        assertEquals("wait", row(s, a.pid(), w).wchan());
        Signals.kill(c, Sig.SIGSTOP);
        KProc p = s.kernel().findProc(c);
        KLwp l = p.lwpList().get(0);
        await(() -> blockerClass(l.thread()).endsWith("Channel$Stop"),
                () -> "a stopped LWP's blocker is Channel$Stop, is " + blockerClass(l.thread()) + "\n" + s.ps());
        Ps.Row r = row(s, c, l.lid);
        assertEquals(Lwp.State.STOPPED, r.lwpState());
        assertEquals("stop", r.wchan());
        Signals.kill(c, Sig.SIGKILL); // a kill reaches a stopped LWP on the queue it shares with suspend
        assertEquals(w, Lwp.waitFor(w));
    }
}
