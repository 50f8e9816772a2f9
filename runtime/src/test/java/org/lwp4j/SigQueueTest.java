package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Disposition;

/**
 * Which siginfo a pending signal delivers: standard signals coalesce keeping the first
 * instance (FreeBSD sigqueue_add); real-time signals and sigqueue queue every instance.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SigQueueTest {
    @Started
    private Supervisor sup;

    private static List<SigInfo> catching(int sig) {
        List<SigInfo> got = new CopyOnWriteArrayList<>();
        sigaction(sig, Disposition.handler(got::add));
        return got;
    }

    @Test
    void aSecondInstanceOfAPendingStandardSignalIsDroppedAndTheFirstSiginfoKept(Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<SigInfo> got = catching(SIGUSR1);
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        kill(me, SIGUSR1);
        int c = Proc.fork(() -> kill(me, SIGUSR1));
        reapExited(c, 0);
        sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
        assertEquals(List.of(new SigInfo(SIGUSR1, SI_USER, me, 0)), got,
                "one delivery, with the first sender's siginfo");
    }

    @Test
    void sigqueueDeliversTheValueWithSiQueueAndTheSender(@Attach(uid = 1000) Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<SigInfo> got = catching(SIGUSR2);
        sigqueue(me, SIGUSR2, 42);
        assertEquals(List.of(new SigInfo(SIGUSR2, SI_QUEUE, me, 1000, 0, 42)), got,
                "delivered to the caller before sigqueue returned");
    }

    @Test
    void realTimeSignalsQueueEveryInstanceInOrderWithItsValue(Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<SigInfo> got = catching(SIGRTMIN);
        sigprocmask(SIG_BLOCK, sigmask(SIGRTMIN));
        for (int v = 1; v <= 3; v++) {
            sigqueue(me, SIGRTMIN, v);
        }
        kill(me, SIGRTMIN); // kill queues a real-time instance too
        sigprocmask(SIG_UNBLOCK, sigmask(SIGRTMIN));
        assertEquals(4, got.size(), got.toString());
        for (int v = 1; v <= 3; v++) {
            assertEquals(new SigInfo(SIGRTMIN, SI_QUEUE, me, 0, 0, v), got.get(v - 1));
        }
        assertEquals(new SigInfo(SIGRTMIN, SI_USER, me, 0), got.get(3));
    }

    @Test
    void theLowestNumberedPendingSignalIsDeliveredFirst(Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int sig : new int[] {SIGUSR1, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX}) {
            sigaction(sig, Disposition.handler(i -> order.add(i.signo())));
        }
        long all = sigset(SIGUSR1, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX);
        sigprocmask(SIG_BLOCK, all);
        sigqueue(me, SIGRTMAX, 0);
        sigqueue(me, SIGRTMIN + 1, 0);
        sigqueue(me, SIGRTMIN, 0);
        sigqueue(me, SIGUSR1, 0);
        sigprocmask(SIG_UNBLOCK, all);
        assertEquals(List.of(SIGUSR1, SIGRTMIN, SIGRTMIN + 1, SIGRTMAX), order);
        assertEquals("SIGRTMIN", Sig.name(SIGRTMIN));
        assertEquals("SIGRTMIN+1", Sig.name(SIGRTMIN + 1));
        assertEquals("SIGRTMIN+30", Sig.name(SIGRTMAX));
    }

    @Test
    void aStandardSignalSentBySigqueueCoalescesKeepingTheFirstValue(Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<SigInfo> got = catching(SIGUSR1);
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        sigqueue(me, SIGUSR1, 1);
        sigqueue(me, SIGUSR1, 2);
        sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
        assertEquals(List.of(new SigInfo(SIGUSR1, SI_QUEUE, me, 0, 0, 1)), got);
    }

    @Test
    void beyondTheQueueLimitSigqueueAnswersEagainAndKillCoalesces(Supervisor.Attachment a) {
        int me = Proc.getpid();
        List<SigInfo> got = catching(SIGRTMIN + 2);
        sigprocmask(SIG_BLOCK, sigmask(SIGRTMIN + 2));
        for (int v = 0; v < 128; v++) {
            sigqueue(me, SIGRTMIN + 2, v);
        }
        expectErrno(Errno.EAGAIN, () -> sigqueue(me, SIGRTMIN + 2, 999), "the 129th");
        kill(me, SIGRTMIN + 2); // pending already: nothing more to record
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR2));
        sigqueue(me, SIGUSR2, 0); // a standard signal does not need a queue slot
        assertEquals(SIGUSR2, sigwaitinfo(sigmask(SIGUSR2)).signo());
        assertEquals(0, got.size(), "nothing delivered while masked");
        sigprocmask(SIG_UNBLOCK, sigmask(SIGRTMIN + 2));
        assertEquals(128, got.size());
        assertEquals(127, got.get(127).value(), "the refused instance changed nothing");
    }

    @Test
    void sigwaitinfoTakesQueuedInstancesOneByOne(Supervisor.Attachment a) {
        int me = Proc.getpid();
        sigprocmask(SIG_BLOCK, sigmask(SIGRTMIN));
        sigqueue(me, SIGRTMIN, 7);
        sigqueue(me, SIGRTMIN, 8);
        assertEquals(7, sigwaitinfo(sigmask(SIGRTMIN)).value());
        assertEquals(sigmask(SIGRTMIN), sigpending(), "one instance still pending");
        assertEquals(8, sigwaitinfo(sigmask(SIGRTMIN)).value());
        assertEquals(0, sigpending());
    }

    @Test
    void sigqueueErrors(@Attach(uid = 1000) Supervisor.Attachment a) {
        int me = Proc.getpid();
        expectErrno(Errno.EINVAL, () -> sigqueue(me, -1, 0), "negative signal");
        expectErrno(Errno.EINVAL, () -> sigqueue(me, NSIG, 0), "NSIG");
        expectErrno(Errno.EINVAL, () -> sigqueue(0, SIGUSR1, 0), "pid 0");
        expectErrno(Errno.EINVAL, () -> sigqueue(-1, SIGUSR1, 0), "pid -1");
        expectErrno(Errno.ESRCH, () -> sigqueue(me + 1000, SIGUSR1, 0), "no such process");
        expectErrno(Errno.EPERM, () -> sigqueue(1, SIGUSR1, 0), "init is root's");
        sigqueue(me, 0, 0); // the existence check
        try (SigTestSupport.Victim other = new SigTestSupport.Victim(sup, 2000)) {
            int o = other.pid();
            expectErrno(Errno.EPERM, () -> sigqueue(o, SIGRTMIN, 0), "another uid");
            expectErrno(Errno.EPERM, () -> sigqueue(o, 0, 0), "another uid, signal 0");
        }
    }
}
