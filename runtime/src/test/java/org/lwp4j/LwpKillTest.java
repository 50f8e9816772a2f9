package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.sleepsOn;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.Disposition;
import org.lwp4j.SigTestSupport.Victim;
import org.lwp4j.SupervisorExtension.LeavesLwpsRunning;
import org.lwp4j.SupervisorExtension.Started;

/** {@code _lwp_kill}: a signal to one LWP of the caller's process. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpKillTest {
    @Started
    private Supervisor sup;

    @Test
    @LeavesLwpsRunning("the victim and its two parked LWPs are for close to kill")
    void errors() {
        Victim other = new Victim(sup, 0);
        try (var a = sup.attachNewProcess()) {
            int t = Lwp.create(() -> Lwp.park("t"));
            for (int sig : new int[] {-1, NSIG, 1000}) {
                expectErrno(Errno.EINVAL, () -> lwpKill(t, sig));
                expectErrno(Errno.EINVAL, () -> lwpKill(4242, sig)); // EINVAL is checked first
            }
            expectErrno(Errno.ESRCH, () -> lwpKill(4242, SIGUSR1));
            expectErrno(Errno.ESRCH, () -> lwpKill(0, 0));
            expectErrno(Errno.ESRCH, () -> lwpKill(-1, 0));
            // lid 3 exists in the victim's process, not in ours
            other.run(() -> {
                Lwp.create(() -> Lwp.park("o"));
                Lwp.create(() -> Lwp.park("o"));
            });
            expectErrno(Errno.ESRCH, () -> lwpKill(3, 0));
            // a zombie (joinable, exited, not yet collected) is not a target
            int z = Lwp.create(() -> { });
            await(() -> {
                try {
                    lwpKill(z, 0);
                    return false;
                } catch (LwpException e) {
                    assertEquals(Errno.ESRCH, e.errno());
                    return true;
                }
            }, "z exited");
            assertEquals(z, Lwp.waitFor(z), "z was a zombie, not gone");
            lwpKill(t, 0); // exists: nothing is sent
            assertEquals(Lwp.State.SLEEPING, Lwp.ctl(t).state());
            Lwp.unpark(t, "t");
            assertEquals(t, Lwp.waitFor(t));
        }
    }

    @Test
    void theSignalIsTakenByTheTargetEvenIfAnotherLwpCouldTakeIt(Supervisor.Attachment a) {
        AtomicInteger ranOn = new AtomicInteger();
        AtomicReference<SigInfo> info = new AtomicReference<>();
        sigaction(SIGUSR1, Disposition.handler(i -> {
            ranOn.set(Lwp.self());
            info.set(i);
        }));
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> r.set(Lwp.park("t")));
        await(() -> sleepsOn(Lwp.ctl(t), "t"), "t parked");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
        assertEquals(t, ranOn.get());
        assertEquals(new SigInfo(SIGUSR1, SI_LWP, Proc.getpid(), 0), info.get());
    }

    @Test
    void aMaskedLwpSignalStaysWithItsTarget(Supervisor.Attachment a) {
        AtomicInteger ranOn = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ranOn.set(Lwp.self())));
        CountDownLatch masked = new CountDownLatch(1), go = new CountDownLatch(1);
        AtomicLong pend = new AtomicLong();
        int t = Lwp.create(() -> {
            sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
            masked.countDown();
            LwpTestSupport.awaitLatch(go, "go");
            pend.set(sigpending());
            sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
        });
        LwpTestSupport.awaitLatch(masked, "t masked SIGUSR1");
        lwpKill(t, SIGUSR1);
        Lwp.checkpoint();
        assertEquals(0, ranOn.get(), "the caller, which does not mask it, did not take it");
        assertEquals(0, sigpending());
        go.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(sigmask(SIGUSR1), pend.get());
        assertEquals(t, ranOn.get());
    }

    @Test
    void sigkillOfOneLwpEndsItsProcess() {
        AtomicInteger unwound = new AtomicInteger();
        Victim v = new Victim(sup, 0, () -> {
            int t = Lwp.create(() -> {
                try {
                    Lwp.park("t");
                } finally {
                    unwound.incrementAndGet();
                }
            });
            await(() -> sleepsOn(Lwp.ctl(t), "t"), "t parked");
            lwpKill(t, SIGKILL);
        });
        assertInstanceOf(LwpExit.class, v.awaitEnd());
        SigTestSupport.awaitExited(sup, v.attachedPid());
        await(() -> unwound.get() == 1, "t unwound");
    }

    @Test
    void aTerminatingSignalToOneLwpEndsTheProcessWithThatSignal(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> {
            int t = Lwp.create(() -> Lwp.park("t"));
            await(() -> sleepsOn(Lwp.ctl(t), "t"), "t parked");
            lwpKill(t, SIGUSR2);
            Lwp.waitFor(t);
        });
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.signaled(), r.toString());
        assertEquals(SIGUSR2, Wait.WTERMSIG(r.status()));
        assertEquals(CLD_KILLED, r.code());
    }
}
