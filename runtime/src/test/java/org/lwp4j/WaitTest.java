package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.Limits;
import org.lwp4j.SupervisorExtension.Started;
import org.lwp4j.sleep.SleepTable;

/** wait / waitpid: selectors, options, errors, exactly-once reaping, rusage (DragonFly kern_wait). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class WaitTest {
    @Started
    private Supervisor sup;

    @Test
    void badOptionsAnswerEinval(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> { });
        expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, 0));
        expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Wait.WNOHANG | Wait.WNOWAIT));
        expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Wait.WEXITED | 0x100));
        expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Wait.WEXITED | 32)); // WTRAPPED
        expectErrno(Errno.EINVAL, () -> Proc.waitpid(-1, 1 << 20));
        assertThrows(NullPointerException.class, () -> Proc.wait(null, 0, Wait.WEXITED));
        reapExited(pid, 0); // nothing was consumed by the refused calls
    }

    @Test
    void echildWhenNothingMatchesWnohangIncluded(Supervisor.Attachment a) {
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0));
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
        CountDownLatch go = new CountDownLatch(1);
        int pid = Proc.fork(waitFor(go));
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid + 1000, 0));
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(1, Wait.WNOHANG)); // init is not our child
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_UID, 4242, Wait.WEXITED | Wait.WNOHANG));
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_GID, 4242, Wait.WEXITED));
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_SID, 4242, Wait.WEXITED));
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-4242, 0));
        go.countDown();
        reapExited(pid, 0);
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
    }

    @Test
    void wnohangOnARunningChildAnswersNoneYetThenThePid(Supervisor.Attachment a) {
        CountDownLatch go = new CountDownLatch(1);
        int pid = Proc.fork(ProcTestSupport.exitAfter(go, "go", 6));
        WaitResult none = Proc.waitpid(pid, Wait.WNOHANG);
        assertTrue(none.isNone(), none.toString());
        assertEquals(0, none.pid());
        assertSame(WaitResult.none(), Proc.waitpid(-1, Wait.WNOHANG));
        go.countDown();
        WaitResult r = awaitReport(pid, Wait.WEXITED);
        assertEquals(pid, r.pid());
        assertEquals(6, r.exitStatus());
    }

    /** FreeBSD proc_to_reap: without WEXITED a zombie is not a candidate, so ECHILD, not a sleep. */
    @Test
    void aWaitWithoutWexitedWhoseOnlyMatchesAreZombiesAnswersEchild(Supervisor.Attachment a) {
        int z = Proc.fork(() -> Proc.exit(3));
        SigTestSupport.awaitExited(sup, z);
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_ALL, 0, Wait.WSTOPPED | Wait.WNOHANG), "any, WNOHANG");
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_PID, z, Wait.WSTOPPED | Wait.WCONTINUED), "by pid");
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_ALL, 0, Wait.WSTOPPED), "any, blocking");
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_PGID, 0, Wait.WCONTINUED), "own group");
        reapExited(z, 3); // still there for WEXITED

        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(waitFor(go));
        AtomicReference<Errno> got = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                Proc.wait(IdType.P_PID, c, Wait.WSTOPPED);
            } catch (LwpException e) {
                got.set(e.errno());
            }
        });
        await(() -> sleepsOn(Lwp.ctl(t), "wait"), () -> "lwp " + t + " waits for a stop: " + sup.ps());
        go.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.ECHILD, got.get(), "the child became a zombie: nothing left to wait for");
        reapExited(c, 0);
    }

    @Test
    void wnowaitReportsTheSameResultTwiceAndLeavesTheZombie(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> {
            burnCpu(20);
            Proc.exit(9);
        });
        WaitResult first = Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT);
        WaitResult second = Proc.wait(IdType.P_ALL, 0, Wait.WEXITED | Wait.WNOWAIT);
        assertEquals(first, second);
        assertEquals(pid, first.pid());
        assertEquals(9, first.exitStatus());
        WaitResult reaped = Proc.waitpid(pid, 0);
        assertEquals(first, reaped, "the reap reports what WNOWAIT did");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, Wait.WNOHANG));
    }

    @Test
    void theResultCarriesCodeUidAndStatusDecoders() {
        try (var a = sup.attachNewProcess(321)) {
            int pid = Proc.fork(() -> Proc.exit(17));
            WaitResult r = Proc.waitpid(pid, 0);
            assertEquals(321, r.uid());
            assertEquals(Sig.CLD_EXITED, r.code());
            assertTrue(Wait.WIFEXITED(r.status()));
            assertEquals(17, Wait.WEXITSTATUS(r.status()));
            assertFalse(Wait.WIFSIGNALED(r.status()));
            assertFalse(Wait.WIFSTOPPED(r.status()));
            assertFalse(Wait.WIFCONTINUED(r.status()));
        }
        // the decoders on the other encodings
        assertTrue(Wait.WIFSIGNALED(9) && Wait.WTERMSIG(9) == 9 && !Wait.WIFEXITED(9));
        int stopped = (17 << 8) | 0x7f;
        assertTrue(Wait.WIFSTOPPED(stopped) && Wait.WSTOPSIG(stopped) == 17);
        assertFalse(Wait.WIFSIGNALED(stopped) || Wait.WIFEXITED(stopped));
        assertTrue(Wait.WIFCONTINUED(0xffff));
        assertFalse(Wait.WIFSIGNALED(0xffff) || Wait.WIFEXITED(0xffff) || Wait.WIFSTOPPED(0xffff));
    }

    @Test
    void anyLwpOfTheParentReapsAChildForkedByASibling(Supervisor.Attachment a) {
        AtomicInteger child = new AtomicInteger();
        CountDownLatch forked = new CountDownLatch(1), go = new CountDownLatch(1);
        int t1 = Lwp.create(() -> {
            child.set(Proc.fork(() -> {
                awaitLatch(go, "go");
                Proc.exit(11);
            }));
            forked.countDown();
        });
        awaitLatch(forked, "sibling forked");
        AtomicReference<WaitResult> got = new AtomicReference<>();
        int t2 = Lwp.create(() -> got.set(Proc.waitpid(child.get(), 0)));
        await(() -> "wait".equals(String.valueOf(Lwp.ctl(t2).waitChannel())), "t2 waits");
        go.countDown();
        assertEquals(t2, Lwp.waitFor(t2));
        assertEquals(t1, Lwp.waitFor(t1));
        assertEquals(child.get(), got.get().pid());
        assertEquals(11, got.get().exitStatus());
    }

    @Test
    void eachZombieIsReapedByExactlyOneOfManyWaiters(Supervisor.Attachment a) {
        int n = 200, waiters = 4;
        List<Integer> reaped = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            pids.add(Proc.fork(waitFor(go)));
        }
        int[] lids = new int[waiters];
        for (int w = 0; w < waiters; w++) {
            lids[w] = Lwp.create(() -> {
                for (;;) {
                    try {
                        reaped.add(Proc.waitpid(-1, 0).pid());
                    } catch (LwpException e) {
                        assertEquals(Errno.ECHILD, e.errno());
                        return;
                    }
                }
            });
        }
        go.countDown();
        for (int lid : lids) {
            assertEquals(lid, Lwp.waitFor(lid));
        }
        assertEquals(n, reaped.size(), "every child reaped once");
        assertEquals(pids, new HashSet<>(reaped), "no child reaped twice, none missed");
    }

    @Test
    void selectorsPickByPidGroupSessionUidGid(Supervisor.Attachment a) {
        int mygroup = Proc.getpgid(0);
        CountDownLatch go = new CountDownLatch(1), ready = new CountDownLatch(4);
        int plain = Proc.fork(() -> {
            ready.countDown();
            awaitLatch(go, "go");
        });
        int grouped = Proc.fork(() -> {
            Proc.setpgid(0, 0);
            ready.countDown();
            awaitLatch(go, "go");
        });
        int session = Proc.fork(() -> {
            Proc.setsid();
            ready.countDown();
            awaitLatch(go, "go");
        });
        int creds = Proc.fork(() -> {
            Proc.setgid(555);
            Proc.setuid(444);
            ready.countDown();
            awaitLatch(go, "go");
        });
        awaitLatch(ready, "children set up");
        go.countDown();
        assertEquals(creds, Proc.wait(IdType.P_UID, 444, Wait.WEXITED).pid());
        assertEquals(session, Proc.wait(IdType.P_SID, session, Wait.WEXITED).pid());
        assertEquals(grouped, Proc.waitpid(-grouped, 0).pid());
        assertEquals(plain, Proc.waitpid(0, 0).pid(), "0 is the caller's own group " + mygroup);
        expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_GID, 555, Wait.WEXITED));
        CountDownLatch gidSet = new CountDownLatch(1);
        int g = Proc.fork(() -> {
            Proc.setgid(556);
            gidSet.countDown();
        });
        awaitLatch(gidSet, "gid set");
        assertEquals(g, Proc.wait(IdType.P_GID, 556, Wait.WEXITED).pid());
        int p = Proc.fork(() -> { });
        assertEquals(p, Proc.wait(IdType.P_PGID, 0, Wait.WEXITED).pid(), "P_PGID 0 is the own group");
        int q = Proc.fork(() -> { });
        assertEquals(q, Proc.wait(IdType.P_PID, 0, Wait.WEXITED).pid(), "P_PID 0 is the own group (WAIT_MYPGRP)");
    }

    @Test
    void waitpidAnyReapsInExitOrder(Supervisor.Attachment a) {
        int first = Proc.fork(() -> Proc.exit(1));
        awaitReport(first, Wait.WEXITED | Wait.WNOWAIT);
        int second = Proc.fork(() -> Proc.exit(2));
        awaitReport(second, Wait.WEXITED | Wait.WNOWAIT);
        assertEquals(first, Proc.waitpid(-1, 0).pid());
        assertEquals(second, Proc.waitpid(-1, 0).pid());
    }

    @Test
    void manyChildrenAreAllReapedByWaitAny(Supervisor.Attachment a) {
        int n = 2000;
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            pids.add(Proc.fork(() -> { }));
        }
        Set<Integer> reaped = new HashSet<>();
        for (int i = 0; i < n; i++) {
            assertTrue(reaped.add(Proc.waitpid(-1, 0).pid()));
        }
        assertEquals(pids, reaped);
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0));
    }

    @Test
    void aWakeupEndsAWaitWithEintr(Supervisor.Attachment a) {
        CountDownLatch go = new CountDownLatch(1);
        int pid = Proc.fork(waitFor(go));
        AtomicReference<Errno> got = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                Proc.waitpid(pid, 0);
            } catch (LwpException e) {
                got.set(e.errno());
            }
        });
        await(() -> "wait".equals(String.valueOf(Lwp.ctl(t).waitChannel())), "t waits");
        Lwp.wakeup(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, got.get());
        go.countDown();
        reapExited(pid, 0); // the interrupted wait consumed nothing
    }

    @Test
    void rusageCountsTheChildsLwpsAndItsReapedChildren(Supervisor.Attachment a) {
        boolean cpu = ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported();
        int pid = Proc.fork(() -> {
            int t = Lwp.create(() -> burnCpu(30));
            burnCpu(30);
            Lwp.waitFor(t);
            int g = Proc.fork(() -> burnCpu(30));
            Proc.waitpid(g, 0);
            Proc.exit(0); // this LWP's time is added as it leaves, after the zombie is published
        });
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.rusage().userNanos() >= 0 && r.rusage().systemNanos() >= 0, r.toString());
        assertTrue(r.childrenRusage().userNanos() >= 0 && r.childrenRusage().systemNanos() >= 0);
        if (cpu) {
            assertTrue(r.rusage().cpuNanos() >= 60_000_000L, "two LWPs burned 2 x 30 ms: " + r);
            assertTrue(r.childrenRusage().cpuNanos() >= 30_000_000L, "the grandchild burned 30 ms: " + r);
        }
    }

    /**
     * Two LWPs of a process end together, many times (one of them may see the other still
     * live and not exit the process): the usage the reaper reports covers what each measured
     * of itself over its body (from its start: the thread may be a cached one, whose JVM count
     * began with an earlier LWP).
     */
    @Test
    void rusageWaitsForCpuTimeHandedInAfterTheExit(Supervisor.Attachment a) {
        assumeTrue(ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported());
        for (int round = 0; round < 50; round++) {
            long[] own = new long[2];
            AtomicInteger ready = new AtomicInteger();
            int pid = Proc.fork(() -> {
                Lwp.create(() -> {
                    long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    burnCpu(1);
                    own[1] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start;
                    ready.incrementAndGet();
                    while (ready.get() < 2) {
                        Thread.onSpinWait();
                    }
                }, Lwp.DETACHED);
                long start = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                burnCpu(1);
                own[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - start;
                ready.incrementAndGet();
                while (ready.get() < 2) {
                    Thread.onSpinWait();
                }
            });
            WaitResult r = Proc.waitpid(pid, 0);
            long cpu = r.rusage().cpuNanos();
            assertTrue(cpu >= own[0] + own[1], "round " + round + ": reported " + cpu
                    + " ns, the two LWPs measured " + own[0] + " + " + own[1]);
        }
    }

    /**
     * As DragonFly's kern_wait, reaping a zombie waits (bounded) for its last LWP to be off its
     * CPU: its platform thread ended. The test keeps that thread alive after its exit by holding
     * its monitor, which the JVM's thread teardown takes: waitpid waits the whole bound, then
     * returns the zombie all the same.
     */
    @Test
    @Limits(lwpCache = 0) // a thread that ends, not one that goes back to the cache
    void reapingWaitsBoundedForTheLastLwpsThreadToEnd(Supervisor.Attachment a) {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 0, "kernel waits do not spin here");
        long reaped = timeCollectWhileHeldInTeardown("child", body -> Proc.fork(() -> {
            body.run();
            Proc.exit(3);
        }), pid -> assertEquals(3, Proc.waitpid(pid, 0).exitStatus()));
        assertTrue(reaped >= SleepTable.KWAIT_SPIN_NANOS, "waitpid returned after " + reaped
                + " ns, before the " + SleepTable.KWAIT_SPIN_NANOS + " ns bound, with the thread alive");
    }

    @Test
    void stopAndContinueAreReportedOnce(Supervisor.Attachment a) {
        int pid = Proc.fork(ProcTestSupport::parkForever);
        Signals.kill(pid, Sig.SIGSTOP);
        WaitResult st = Proc.wait(IdType.P_PID, pid, Wait.WSTOPPED | Wait.WNOWAIT);
        assertTrue(st.stopped(), st.toString());
        assertEquals(Sig.SIGSTOP, st.stopSig());
        assertEquals(Sig.CLD_STOPPED, st.code());
        assertEquals(st, Proc.waitpid(pid, Wait.WUNTRACED), "WNOWAIT left the report");
        assertTrue(Proc.waitpid(pid, Wait.WUNTRACED | Wait.WNOHANG).isNone(), "reported once");
        Signals.kill(pid, Sig.SIGCONT);
        WaitResult ct = Proc.wait(IdType.P_ALL, 0, Wait.WCONTINUED);
        assertTrue(ct.continued(), ct.toString());
        assertEquals(pid, ct.pid());
        assertEquals(Sig.CLD_CONTINUED, ct.code());
        assertTrue(Proc.waitpid(pid, Wait.WCONTINUED | Wait.WNOHANG).isNone(), "reported once");
        Signals.kill(pid, Sig.SIGKILL);
        WaitResult k = Proc.waitpid(pid, 0);
        assertTrue(k.signaled() && k.termSig() == Sig.SIGKILL, k.toString());
        assertEquals(Sig.CLD_KILLED, k.code());
    }

    @Test
    void killingAZombieKeepsItsStatus(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> Proc.exit(3));
        Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT); // a zombie now
        Signals.kill(pid, Sig.SIGKILL);
        Signals.kill(pid, Sig.SIGTERM);
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.exited(), r.toString());
        assertEquals(3, r.exitStatus());
    }

    @Test
    void aChildOfInitIsReapedByInitAtOnce(@Attach(init = true) Supervisor.Attachment a) {
        CountDownLatch done = new CountDownLatch(1);
        int pid = Proc.fork(done::countDown);
        awaitLatch(done, "child ran");
        await(() -> sup.kernel().findProc(pid) == null, "init reaped it");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
    }

    /**
     * An LWP of init already asleep in waitpid when init reaps the child at once is woken and
     * answers ECHILD: the automatic reap used to wake nobody, so an untimed waitpid slept for
     * good (seen once on a loaded machine).
     */
    @Test
    void initWaitingForAChildItReapsAtOnceIsWokenWithEchild(@Attach(init = true) Supervisor.Attachment a) {
        CountDownLatch go = new CountDownLatch(1);
        int pid = Proc.fork(waitFor(go));
        int me = Lwp.self();
        int helper = Lwp.create(() -> {
            awaitSleepsOn(me, "wait");
            go.countDown();
        });
        long t0 = System.nanoTime();
        LwpException e = assertThrows(LwpException.class, () -> {
            WaitResult r = Proc.waitpid(pid, 0, java.time.Duration.ofSeconds(20));
            fail("waitpid answered " + r + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms: the reap woke nobody");
        });
        assertEquals(Errno.ECHILD, e.errno(), e.toString());
        Lwp.waitFor(helper);
    }

    /** Use about {@code millis} of the calling thread's CPU time (wall time if not measurable). */
    static void burnCpu(long millis) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        long start = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        long x = 0;
        while ((cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - start < millis * 1_000_000L) {
            for (int i = 0; i < 1000; i++) {
                x += i * 31 % 7;
            }
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
