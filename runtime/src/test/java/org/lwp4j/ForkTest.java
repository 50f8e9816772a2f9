package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Limits;

/** fork(body, flags): the new process, its flags, pid allocation (DragonFly fork1). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ForkTest {
    @Test
    void childRunsBodyInNewProcessAndIsReaped(Supervisor.Attachment a) {
        AtomicInteger childPid = new AtomicInteger(), childPpid = new AtomicInteger(), lid = new AtomicInteger();
        int me = Proc.getpid();
        int pid = Proc.fork(() -> {
            childPid.set(Proc.getpid());
            childPpid.set(Proc.getppid());
            lid.set(Lwp.self());
        });
        assertNotEquals(me, pid);
        WaitResult r = reapExited(pid, 0);
        assertEquals(Sig.CLD_EXITED, r.code());
        assertEquals(pid, childPid.get(), "the body ran in the child");
        assertEquals(me, childPpid.get(), "the child's parent is the caller");
        assertEquals(1, lid.get(), "the child's first LWP has id 1");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
    }

    @Test
    void parentStateBeforeForkHappensBeforeChildBody(Supervisor.Attachment a) {
        int[] plain = new int[1];
        plain[0] = 42;
        AtomicInteger seen = new AtomicInteger();
        int pid = Proc.fork(() -> seen.set(plain[0]));
        reapExited(pid, 0);
        assertEquals(42, seen.get());
    }

    @Test
    void badFlagsAnswerEinvalAndMakeNothing(Supervisor s, Supervisor.Attachment a) {
        int before = s.processCount();
        expectErrno(Errno.EINVAL, () -> Proc.fork(() -> { }, ProcFlags.FDG | ProcFlags.CFDG));
        expectErrno(Errno.EINVAL, () -> Proc.fork(() -> { }, 1)); // RFNAMEG: not supported
        expectErrno(Errno.EINVAL, () -> Proc.fork(() -> { }, 1 << 18)); // RFHIGHPID: not supported
        assertEquals(before, s.processCount());
        assertThrows(NullPointerException.class, () -> Proc.fork(null, 0));
        assertEquals(before, s.processCount());
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
    }

    @Test
    @Limits(maxPid = 9)
    void pidsGoUpWrapAndSkipPidsInUseByProcessesAndGroups(Supervisor.Attachment a) {
        assertEquals(2, Proc.getpid());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger member = new AtomicInteger();
        // pid 3: a group leader that leaves a member (pid 4) behind in group 3, then exits
        int leader = Proc.fork(() -> {
            Proc.setpgid(0, 0);
            member.set(Proc.fork(waitFor(release)));
        });
        assertEquals(3, leader);
        reapExited(leader, 0);
        assertEquals(4, member.get());
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // 5, 6, 7, 8, 9
            int pid = Proc.fork(() -> { });
            pids.add(pid);
            reapExited(pid, 0);
        }
        assertEquals(List.of(5, 6, 7, 8, 9), pids);
        // wrap: 2 is us, 3 is still a process group id (member 4 lives in it), 4 is alive
        assertEquals(5, Proc.fork(() -> { }));
        reapExited(5, 0);
        assertEquals(6, Proc.fork(() -> { }), "upward again after the wrap");
        reapExited(6, 0);
        release.countDown();
    }

    @Test
    void noWaitChildBelongsToTheNearestReaper(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        AtomicInteger grandchild = new AtomicInteger(), gppid = new AtomicInteger();
        AtomicReference<Errno> childWait = new AtomicReference<>();
        CountDownLatch forked = new CountDownLatch(1);
        int child = Proc.fork(() -> {
            int g = Proc.fork(() -> gppid.set(Proc.getppid()), ProcFlags.NOWAIT);
            grandchild.set(g);
            forked.countDown();
            try {
                Proc.waitpid(g, 0);
            } catch (LwpException e) {
                childWait.set(e.errno());
            }
        });
        awaitLatch(forked, "grandchild forked");
        reapExited(grandchild.get(), 0);
        assertEquals(me, gppid.get(), "a NOWAIT child's parent is the caller's reaper");
        reapExited(child, 0);
        assertEquals(Errno.ECHILD, childWait.get(), "the forking process cannot wait for it");
    }

    @Test
    void noWaitWithoutReaperGoesToInit(Supervisor.Attachment a) {
        AtomicInteger ppid = new AtomicInteger(-1);
        CountDownLatch done = new CountDownLatch(1);
        int pid = Proc.fork(() -> {
            ppid.set(Proc.getppid());
            done.countDown();
        }, ProcFlags.NOWAIT);
        awaitLatch(done, "child ran");
        assertEquals(1, ppid.get());
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
    }

    @Test
    void ppwaitReturnsOnlyAfterTheChildExited(Supervisor.Attachment a) {
        AtomicBoolean finished = new AtomicBoolean();
        int pid = Proc.fork(() -> {
            Lwp.parkUntil(System.nanoTime() + 50_000_000L, "slow child");
            finished.set(true);
        }, ProcFlags.PPWAIT);
        assertTrue(finished.get(), "fork(PPWAIT) returned before the child's body ended");
        WaitResult r = Proc.waitpid(pid, Wait.WNOHANG);
        assertEquals(pid, r.pid(), "the child is a zombie already: " + r);
    }

    @Test
    void ppwaitSleepIsUninterruptibleWakeupAnswersEbusy(Supervisor.Attachment a) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger childPid = new AtomicInteger();
        int t = Lwp.create(() -> childPid.set(Proc.fork(waitFor(release), ProcFlags.PPWAIT)));
        await(() -> "ppwait".equals(String.valueOf(Lwp.ctl(t).waitChannel())),
                () -> "forking LWP asleep in ppwait, is " + Lwp.ctl(t));
        expectErrno(Errno.EBUSY, () -> Lwp.wakeup(t));
        release.countDown();
        assertEquals(t, Lwp.waitFor(t));
        reapExited(childPid.get(), 0);
    }

    @Test
    void threadPeersAreKilledWhenTheLeaderExits(Supervisor.Attachment a) {
        Proc.reapAcquire(Proc.getpid()); // the peers' zombies come back to us
        AtomicInteger peer1 = new AtomicInteger(), peer2 = new AtomicInteger();
        CountDownLatch peersUp = new CountDownLatch(2);
        int leader = Proc.fork(() -> {
            peer1.set(Proc.fork(() -> {
                peersUp.countDown();
                parkForever();
            }, ProcFlags.THREAD));
            peer2.set(Proc.fork(() -> {
                peersUp.countDown();
                parkForever();
            }, ProcFlags.THREAD));
            awaitLatch(peersUp, "peers running");
            Proc.exit(3);
        });
        reapExited(leader, 0 + 3);
        for (int peer : new int[] {peer1.get(), peer2.get()}) {
            WaitResult r = Proc.waitpid(peer, 0);
            assertTrue(r.signaled(), "peer killed: " + r);
            assertEquals(Sig.SIGKILL, r.termSig(), r.toString());
        }
    }

    @Test
    void aPeerForkedByAPeerJoinsTheSameLeaderAndAPeerExitLeavesTheLeaderRunning(Supervisor.Attachment a) {
        Proc.reapAcquire(Proc.getpid());
        AtomicInteger subPeer = new AtomicInteger();
        AtomicReference<WaitResult> peerReport = new AtomicReference<>();
        CountDownLatch up = new CountDownLatch(1);
        int leader = Proc.fork(() -> {
            int peer = Proc.fork(() -> {
                subPeer.set(Proc.fork(() -> {
                    up.countDown();
                    parkForever();
                }, ProcFlags.THREAD));
                Proc.exit(5); // a peer's exit does not touch the leader
            }, ProcFlags.THREAD);
            awaitLatch(up, "sub-peer running");
            peerReport.set(Proc.waitpid(peer, 0)); // the leader is the peer's parent
            Proc.exit(6);
        });
        reapExited(leader, 6);
        assertTrue(peerReport.get().exited() && peerReport.get().exitStatus() == 5, peerReport.toString());
        // the sub-peer's parent (the first peer) died: it came to us, and the leader's
        // exit killed it: it is a peer of the leader, not of the first peer
        WaitResult r2 = Proc.waitpid(subPeer.get(), 0);
        assertTrue(r2.signaled() && r2.termSig() == Sig.SIGKILL, r2.toString());
    }

    @Test
    void sigshareSharesDispositionsAndPlainForkCopiesThem(Supervisor.Attachment a) {
        Disposition h = Disposition.handler(info -> { });
        Signals.sigaction(Sig.SIGUSR1, h);
        AtomicReference<Disposition> inChild = new AtomicReference<>();
        int copy = Proc.fork(() -> {
            inChild.set(Signals.sigaction(Sig.SIGUSR1));
            Signals.sigaction(Sig.SIGUSR1, Disposition.IGNORE);
        });
        reapExited(copy, 0);
        assertEquals(h, inChild.get(), "the child inherits the disposition");
        assertEquals(h, Signals.sigaction(Sig.SIGUSR1), "a copy: the child's change stays in the child");
        int shared = Proc.fork(() -> Signals.sigaction(Sig.SIGUSR1, Disposition.IGNORE),
                ProcFlags.SIGSHARE);
        reapExited(shared, 0);
        assertEquals(Disposition.IGNORE, Signals.sigaction(Sig.SIGUSR1),
                "shared: the child's change is the parent's");
    }

    @Test
    void childInheritsGroupSessionCredentialsAndReaperButNotReaperOwnership(Supervisor.Attachment a) {
        Proc.setgid(77);
        Proc.setuid(1000);
        int me = Proc.getpid();
        Proc.setpgid(0, 0);
        AtomicReference<int[]> seen = new AtomicReference<>();
        AtomicReference<ReaperStatus> status = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            seen.set(new int[] {Proc.getpgid(0), Proc.getsid(0), Proc.getuid(), Proc.getgid()});
            status.set(Proc.reapStatus(Proc.getpid()));
        });
        reapExited(pid, 0);
        assertArrayEquals(new int[] {me, 1, 1000, 77}, seen.get());
        assertFalse(status.get().owned(), "the reaper flag is not inherited");
        assertEquals(1, status.get().reaper());
    }

    @Test
    void forkInAnExitingProcessEndsTheCallingLwp(Supervisor.Attachment a) {
        AtomicReference<Throwable> second = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            Proc.atExit((p, w) -> {
                if (p == Proc.getpid()) {
                    try {
                        Proc.fork(() -> { });
                    } catch (Throwable t) {
                        second.set(t);
                    }
                }
            });
            Proc.exit(2);
        });
        reapExited(pid, 2);
        assertTrue(second.get() instanceof LwpException, String.valueOf(second.get()));
        assertEquals(Errno.ESRCH, ((LwpException) second.get()).errno());
    }
}
