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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.sleep.SleepTable;

/** wait / waitpid: selectors, options, errors, exactly-once reaping, rusage (DragonFly kern_wait). */
@Timeout(60)
class WaitTest {
    private Supervisor sup;

    @BeforeEach
    void start() {
        sup = Supervisor.start();
    }

    @AfterEach
    void close() {
        sup.close();
        assertEquals(0, sup.processCount());
        assertTrue(sup.liveThreads().isEmpty(), sup.liveThreads().toString());
    }

    @Test
    void badOptionsAnswerEinval() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> { });
            expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, 0));
            expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Proc.WNOHANG | Proc.WNOWAIT));
            expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Proc.WEXITED | 0x100));
            expectErrno(Errno.EINVAL, () -> Proc.wait(IdType.P_ALL, 0, Proc.WEXITED | 32)); // WTRAPPED
            expectErrno(Errno.EINVAL, () -> Proc.waitpid(-1, 1 << 20));
            assertThrows(NullPointerException.class, () -> Proc.wait(null, 0, Proc.WEXITED));
            reapExited(pid, 0); // nothing was consumed by the refused calls
        }
    }

    @Test
    void echildWhenNothingMatchesWnohangIncluded() {
        try (var a = sup.attachNewProcess()) {
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0));
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Proc.WNOHANG));
            CountDownLatch go = new CountDownLatch(1);
            int pid = Proc.fork(waitFor(go));
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid + 1000, 0));
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(1, Proc.WNOHANG)); // init is not our child
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_UID, 4242, Proc.WEXITED | Proc.WNOHANG));
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_GID, 4242, Proc.WEXITED));
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_SID, 4242, Proc.WEXITED));
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-4242, 0));
            go.countDown();
            reapExited(pid, 0);
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
        }
    }

    /** FreeBSD proc_to_reap: without WEXITED a zombie is not a candidate, so ECHILD, not a sleep. */
    @Test
    void aWaitWithoutWexitedWhoseOnlyMatchesAreZombiesAnswersEchild() {
        try (var a = sup.attachNewProcess()) {
            int z = Proc.fork(() -> Proc.exit(3));
            SigTestSupport.awaitExited(sup, z);
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_ALL, 0, Proc.WSTOPPED | Proc.WNOHANG), "any, WNOHANG");
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_PID, z, Proc.WSTOPPED | Proc.WCONTINUED), "by pid");
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_ALL, 0, Proc.WSTOPPED), "any, blocking");
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_PGID, 0, Proc.WCONTINUED), "own group");
            reapExited(z, 3); // still there for WEXITED

            CountDownLatch go = new CountDownLatch(1);
            int c = Proc.fork(waitFor(go));
            AtomicReference<Errno> got = new AtomicReference<>();
            int t = Lwp.create(() -> {
                try {
                    Proc.wait(IdType.P_PID, c, Proc.WSTOPPED);
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
    }

    @Test
    void wnohangOnARunningChildAnswersNoneYetThenThePid() {
        try (var a = sup.attachNewProcess()) {
            CountDownLatch go = new CountDownLatch(1);
            int pid = Proc.fork(() -> {
                awaitLatch(go, "go");
                Proc.exit(6);
            });
            WaitResult none = Proc.waitpid(pid, Proc.WNOHANG);
            assertTrue(none.isNone(), none.toString());
            assertEquals(0, none.pid());
            assertSame(WaitResult.none(), Proc.waitpid(-1, Proc.WNOHANG));
            go.countDown();
            WaitResult r = awaitReport(pid, Proc.WEXITED);
            assertEquals(pid, r.pid());
            assertEquals(6, r.exitStatus());
        }
    }

    @Test
    void wnowaitReportsTheSameResultTwiceAndLeavesTheZombie() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> {
                burnCpu(20);
                Proc.exit(9);
            });
            WaitResult first = Proc.wait(IdType.P_PID, pid, Proc.WEXITED | Proc.WNOWAIT);
            WaitResult second = Proc.wait(IdType.P_ALL, 0, Proc.WEXITED | Proc.WNOWAIT);
            assertEquals(first, second);
            assertEquals(pid, first.pid());
            assertEquals(9, first.exitStatus());
            WaitResult reaped = Proc.waitpid(pid, 0);
            assertEquals(first, reaped, "the reap reports what WNOWAIT did");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, Proc.WNOHANG));
        }
    }

    @Test
    void theResultCarriesCodeUidAndStatusDecoders() {
        try (var a = sup.attachNewProcess(321)) {
            int pid = Proc.fork(() -> Proc.exit(17));
            WaitResult r = Proc.waitpid(pid, 0);
            assertEquals(321, r.uid());
            assertEquals(WaitResult.CLD_EXITED, r.code());
            assertTrue(WaitResult.WIFEXITED(r.status()));
            assertEquals(17, WaitResult.WEXITSTATUS(r.status()));
            assertFalse(WaitResult.WIFSIGNALED(r.status()));
            assertFalse(WaitResult.WIFSTOPPED(r.status()));
            assertFalse(WaitResult.WIFCONTINUED(r.status()));
        }
        // the decoders on the other encodings
        assertTrue(WaitResult.WIFSIGNALED(9) && WaitResult.WTERMSIG(9) == 9 && !WaitResult.WIFEXITED(9));
        int stopped = (17 << 8) | 0x7f;
        assertTrue(WaitResult.WIFSTOPPED(stopped) && WaitResult.WSTOPSIG(stopped) == 17);
        assertFalse(WaitResult.WIFSIGNALED(stopped) || WaitResult.WIFEXITED(stopped));
        assertTrue(WaitResult.WIFCONTINUED(0xffff));
        assertFalse(WaitResult.WIFSIGNALED(0xffff) || WaitResult.WIFEXITED(0xffff) || WaitResult.WIFSTOPPED(0xffff));
    }

    @Test
    void anyLwpOfTheParentReapsAChildForkedByASibling() {
        try (var a = sup.attachNewProcess()) {
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
    }

    @Test
    void eachZombieIsReapedByExactlyOneOfManyWaiters() {
        try (var a = sup.attachNewProcess()) {
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
    }

    @Test
    void selectorsPickByPidGroupSessionUidGid() {
        try (var a = sup.attachNewProcess()) {
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
            assertEquals(creds, Proc.wait(IdType.P_UID, 444, Proc.WEXITED).pid());
            assertEquals(session, Proc.wait(IdType.P_SID, session, Proc.WEXITED).pid());
            assertEquals(grouped, Proc.waitpid(-grouped, 0).pid());
            assertEquals(plain, Proc.waitpid(0, 0).pid(), "0 is the caller's own group " + mygroup);
            expectErrno(Errno.ECHILD, () -> Proc.wait(IdType.P_GID, 555, Proc.WEXITED));
            CountDownLatch gidSet = new CountDownLatch(1);
            int g = Proc.fork(() -> {
                Proc.setgid(556);
                gidSet.countDown();
            });
            awaitLatch(gidSet, "gid set");
            assertEquals(g, Proc.wait(IdType.P_GID, 556, Proc.WEXITED).pid());
            int p = Proc.fork(() -> { });
            assertEquals(p, Proc.wait(IdType.P_PGID, 0, Proc.WEXITED).pid(), "P_PGID 0 is the own group");
            int q = Proc.fork(() -> { });
            assertEquals(q, Proc.wait(IdType.P_PID, 0, Proc.WEXITED).pid(), "P_PID 0 is the own group (WAIT_MYPGRP)");
        }
    }

    @Test
    void waitpidAnyReapsInExitOrder() {
        try (var a = sup.attachNewProcess()) {
            int first = Proc.fork(() -> Proc.exit(1));
            awaitReport(first, Proc.WEXITED | Proc.WNOWAIT);
            int second = Proc.fork(() -> Proc.exit(2));
            awaitReport(second, Proc.WEXITED | Proc.WNOWAIT);
            assertEquals(first, Proc.waitpid(-1, 0).pid());
            assertEquals(second, Proc.waitpid(-1, 0).pid());
        }
    }

    @Test
    void manyChildrenAreAllReapedByWaitAny() {
        try (var a = sup.attachNewProcess()) {
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
    }

    @Test
    void aWakeupEndsAWaitWithEintr() {
        try (var a = sup.attachNewProcess()) {
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
    }

    @Test
    void rusageCountsTheChildsLwpsAndItsReapedChildren() {
        boolean cpu = ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported();
        try (var a = sup.attachNewProcess()) {
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
    }

    /**
     * Two LWPs of a process end together, many times (one of them may see the other still
     * live and not exit the process): the usage the reaper reports covers what each measured
     * of itself at the end of its body.
     */
    @Test
    void rusageWaitsForCpuTimeHandedInAfterTheExit() {
        assumeTrue(ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported());
        try (var a = sup.attachNewProcess()) {
            for (int round = 0; round < 50; round++) {
                long[] own = new long[2];
                AtomicInteger ready = new AtomicInteger();
                int pid = Proc.fork(() -> {
                    Lwp.create(() -> {
                        burnCpu(1);
                        own[1] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                        ready.incrementAndGet();
                        while (ready.get() < 2) {
                            Thread.onSpinWait();
                        }
                    }, Lwp.DETACHED);
                    burnCpu(1);
                    own[0] = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
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
    }

    /**
     * As DragonFly's kern_wait, reaping a zombie waits (bounded) for its last LWP to be off its
     * CPU: its platform thread ended. The test keeps that thread alive after its exit by holding
     * its monitor, which the JVM's thread teardown takes: waitpid waits the whole bound, then
     * returns the zombie all the same.
     */
    @Test
    void reapingWaitsBoundedForTheLastLwpsThreadToEnd() {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 0, "kernel waits do not spin here");
        try (var a = sup.attachNewProcess()) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            int pid = Proc.fork(() -> {
                thread.set(Thread.currentThread());
                awaitLatch(go, "the test lets the child exit");
                Proc.exit(3);
            });
            await(() -> thread.get() != null, "the child runs");
            long reaped = timeWhileHeldInTeardown(thread.get(), go,
                    () -> assertEquals(3, Proc.waitpid(pid, 0).exitStatus()));
            assertTrue(reaped >= SleepTable.KWAIT_SPIN_NANOS, "waitpid returned after " + reaped
                    + " ns, before the " + SleepTable.KWAIT_SPIN_NANOS + " ns bound, with the thread alive");
        }
    }

    @Test
    void stopAndContinueAreReportedOnce() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(ProcTestSupport::parkForever);
            Signals.kill(pid, Signals.SIGSTOP);
            WaitResult st = Proc.wait(IdType.P_PID, pid, Proc.WSTOPPED | Proc.WNOWAIT);
            assertTrue(st.stopped(), st.toString());
            assertEquals(Signals.SIGSTOP, st.stopSig());
            assertEquals(WaitResult.CLD_STOPPED, st.code());
            assertEquals(st, Proc.waitpid(pid, Proc.WUNTRACED), "WNOWAIT left the report");
            assertTrue(Proc.waitpid(pid, Proc.WUNTRACED | Proc.WNOHANG).isNone(), "reported once");
            Signals.kill(pid, Signals.SIGCONT);
            WaitResult ct = Proc.wait(IdType.P_ALL, 0, Proc.WCONTINUED);
            assertTrue(ct.continued(), ct.toString());
            assertEquals(pid, ct.pid());
            assertEquals(WaitResult.CLD_CONTINUED, ct.code());
            assertTrue(Proc.waitpid(pid, Proc.WCONTINUED | Proc.WNOHANG).isNone(), "reported once");
            Signals.kill(pid, Signals.SIGKILL);
            WaitResult k = Proc.waitpid(pid, 0);
            assertTrue(k.signaled() && k.termSig() == Signals.SIGKILL, k.toString());
            assertEquals(WaitResult.CLD_KILLED, k.code());
        }
    }

    @Test
    void killingAZombieKeepsItsStatus() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> Proc.exit(3));
            Proc.wait(IdType.P_PID, pid, Proc.WEXITED | Proc.WNOWAIT); // a zombie now
            Signals.kill(pid, Signals.SIGKILL);
            Signals.kill(pid, Signals.SIGTERM);
            WaitResult r = Proc.waitpid(pid, 0);
            assertTrue(r.exited(), r.toString());
            assertEquals(3, r.exitStatus());
        }
    }

    @Test
    void aChildOfInitIsReapedByInitAtOnce() {
        try (var a = sup.attach()) {
            CountDownLatch done = new CountDownLatch(1);
            int pid = Proc.fork(done::countDown);
            awaitLatch(done, "child ran");
            await(() -> sup.kernel().findProc(pid) == null, "init reaped it");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, 0));
        }
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
