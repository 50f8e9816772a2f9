package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** exit, extexit, uncaught Throwables, the parent's notification (DragonFly exit1). */
@Timeout(60)
class ExitTest {
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
    void exitStatusKeepsTheLow8Bits() {
        try (var a = sup.attachNewProcess()) {
            int p1 = Proc.fork(() -> Proc.exit(7));
            int p2 = Proc.fork(() -> Proc.exit(256 + 5));
            int p3 = Proc.fork(() -> { });
            WaitResult r = reapExited(p1, 7);
            assertEquals(WaitResult.CLD_EXITED, r.code());
            assertNull(r.fault());
            reapExited(p2, 5);
            reapExited(p3, 0);
        }
    }

    @Test
    void initCannotExit() {
        try (var a = sup.attach()) {
            assertEquals(1, Proc.getpid());
            expectErrno(Errno.EPERM, () -> Proc.exit(0));
            expectErrno(Errno.EPERM, () -> Proc.extexit(Proc.EXTEXIT_PROC, 1));
            assertEquals(1, Proc.getpid(), "still an LWP of init");
        }
    }

    @Test
    void extexitRejectsOtherHows() {
        try (var a = sup.attachNewProcess()) {
            expectErrno(Errno.EINVAL, () -> Proc.extexit(2 << 16, 0));
            expectErrno(Errno.EINVAL, () -> Proc.extexit(Proc.EXTEXIT_LWP | 1, 0)); // EXTEXIT_SETINT
            expectErrno(Errno.EINVAL, () -> Proc.extexit(-1, 0));
        }
    }

    @Test
    void extexitLwpEndsOnlyTheCallerAndTheLastLwpEndsTheProcessWithItsStatus() {
        try (var a = sup.attachNewProcess()) {
            AtomicInteger after = new AtomicInteger();
            int pid = Proc.fork(() -> {
                int t = Lwp.create(() -> Proc.extexit(Proc.EXTEXIT_LWP, 4));
                assertEquals(t, Lwp.waitFor(t));
                after.set(1); // still running: only the other LWP ended
                Proc.extexit(Proc.EXTEXIT_LWP, 9);
            });
            reapExited(pid, 9);
            assertEquals(1, after.get());
        }
    }

    /**
     * The last two LWPs calling extexit(LWP) at once can both see the other alive; the one that
     * ends last must still exit the process with its own status, never the 0 of a returned body
     * (DragonFly: the second caller sees p_nthreads == 1 and calls exit1 with its status).
     */
    @Test
    void racingExtexitLwpExitsTheProcessWithACallersStatus() {
        try (var a = sup.attachNewProcess()) {
            for (int round = 0; round < 100; round++) {
                CyclicBarrier both = new CyclicBarrier(2);
                int pid = Proc.fork(() -> {
                    Lwp.create(() -> {
                        awaitBarrier(both);
                        Proc.extexit(Proc.EXTEXIT_LWP, 9);
                    }, Lwp.DETACHED);
                    awaitBarrier(both);
                    Proc.extexit(Proc.EXTEXIT_LWP, 7);
                });
                WaitResult r = Proc.waitpid(pid, 0);
                assertTrue(r.exited() && (r.exitStatus() == 7 || r.exitStatus() == 9),
                        "round " + round + ": " + r);
            }
        }
    }

    private static void awaitBarrier(CyclicBarrier b) {
        try {
            b.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("barrier", e);
        }
    }

    @Test
    void extexitProcEndsEveryLwp() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> {
                Lwp.create(ProcTestSupport::parkForever);
                Lwp.create(ProcTestSupport::parkForever);
                Proc.extexit(Proc.EXTEXIT_PROC, 12);
            });
            reapExited(pid, 12);
        }
    }

    @Test
    void exitKillsTheOtherLwpsAtTheirSafePointsAndWaitsForThem() {
        try (var a = sup.attachNewProcess()) {
            CountDownLatch up = new CountDownLatch(3);
            AtomicInteger finallies = new AtomicInteger();
            int pid = Proc.fork(() -> {
                for (int i = 0; i < 3; i++) {
                    Lwp.create(() -> {
                        try {
                            up.countDown();
                            parkForever();
                        } finally {
                            finallies.incrementAndGet();
                        }
                    });
                }
                awaitLatch(up, "LWPs up");
                Proc.exit(3);
            });
            reapExited(pid, 3);
            assertEquals(3, finallies.get(), "every other LWP unwound before the exit completed");
        }
    }

    @Test
    void lastLwpReturningExitsWithZero() {
        try (var a = sup.attachNewProcess()) {
            int pid = Proc.fork(() -> Lwp.create(() -> { }));
            reapExited(pid, 0);
        }
    }

    @Test
    void uncaughtThrowableAbortsTheProcessAndIsInTheWaitResult() {
        try (var a = sup.attachNewProcess()) {
            IllegalStateException boom = new IllegalStateException("boom");
            int pid = Proc.fork(() -> {
                throw boom;
            });
            WaitResult r = Proc.waitpid(pid, 0);
            assertTrue(r.signaled(), r.toString());
            assertEquals(Signals.SIGABRT, r.termSig());
            assertEquals(WaitResult.CLD_KILLED, r.code());
            assertSame(boom, r.fault());
        }
    }

    @Test
    void uncaughtThrowableInASecondLwpAbortsTheWholeProcess() {
        try (var a = sup.attachNewProcess()) {
            AssertionError err = new AssertionError("in lwp 2");
            int pid = Proc.fork(() -> {
                Lwp.create(() -> {
                    throw err;
                });
                parkForever();
            });
            WaitResult r = Proc.waitpid(pid, 0);
            assertEquals(Signals.SIGABRT, r.termSig(), r.toString());
            assertSame(err, r.fault());
        }
    }

    @Test
    void exitRacingExitHasOneMaster() throws Exception {
        try (var a = sup.attachNewProcess()) {
            Map<Integer, Integer> hookCalls = new ConcurrentHashMap<>();
            Proc.atExit((p, w) -> hookCalls.merge(p, 1, Integer::sum));
            for (int round = 0; round < 50; round++) {
                CyclicBarrier both = new CyclicBarrier(2);
                int pid = Proc.fork(() -> {
                    Lwp.create(() -> {
                        barrier(both);
                        Proc.exit(1);
                    });
                    barrier(both);
                    Proc.exit(2);
                });
                WaitResult r = Proc.waitpid(pid, 0);
                assertTrue(r.exited() && (r.exitStatus() == 1 || r.exitStatus() == 2), r.toString());
                assertEquals(1, hookCalls.get(pid), "one process exit for pid " + pid);
            }
        }
    }

    private static void barrier(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parentIsSentSigchldWithTheExitCode() {
        try (var a = sup.attachNewProcess()) {
            AtomicReference<Signals.SigInfo> got = new AtomicReference<>();
            Signals.sigaction(Signals.SIGCHLD, Signals.Disposition.handler(got::set));
            int pid = Proc.fork(() -> Proc.exit(1));
            await(() -> {
                Lwp.checkpoint();
                return got.get() != null;
            }, "SIGCHLD delivered"); // before the reap, which withdraws it (FreeBSD proc_reap)
            reapExited(pid, 1);
            assertEquals(Signals.SIGCHLD, got.get().signo());
            assertEquals(Signals.CLD_EXITED, got.get().code());
            assertEquals(pid, got.get().pid(), "si_pid names the child");
            assertEquals(Proc.getuid(), got.get().uid(), "si_uid is the child's uid");
        }
    }

    /**
     * DragonFly RFLINUXTHPN: the child's exit sends SIGUSR1 instead of SIGCHLD, and only a
     * WLINUXCLONE wait sees it; the other children only the other waits.
     */
    @Test
    void linuxthpnChildSignalsSigusr1AndOnlyWlinuxcloneWaitsSeeIt() {
        try (var a = sup.attachNewProcess()) {
            Map<Integer, Signals.SigInfo> got = new ConcurrentHashMap<>();
            Signals.sigaction(Signals.SIGUSR1, Signals.Disposition.handler(i -> got.put(i.signo(), i)));
            Signals.sigaction(Signals.SIGCHLD, Signals.Disposition.handler(i -> got.put(i.signo(), i)));
            CountDownLatch gate = new CountDownLatch(1);
            int clone = Proc.fork(waitFor(gate), Proc.LINUXTHPN);

            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Proc.WNOHANG), "a plain wait, only a clone child");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(clone, Proc.WNOHANG), "a plain wait for the clone's pid");
            assertTrue(Proc.waitpid(-1, Proc.WNOHANG | Proc.WLINUXCLONE).isNone(), "running");
            int plain = Proc.fork(waitFor(gate));
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(plain, Proc.WNOHANG | Proc.WLINUXCLONE),
                    "a clone wait for the plain child's pid");

            gate.countDown();
            await(() -> {
                Lwp.checkpoint();
                return got.size() == 2;
            }, () -> "SIGUSR1 and SIGCHLD delivered (before the reaps withdraw them), got " + got);
            WaitResult r = Proc.waitpid(-1, 0);
            assertEquals(plain, r.pid(), "a plain wait reaps only the plain child");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0), "the clone child is not seen");
            r = Proc.waitpid(-1, Proc.WLINUXCLONE);
            assertEquals(clone, r.pid());
            assertTrue(r.exited() && r.exitStatus() == 0, r.toString());
            assertEquals(clone, got.get(Signals.SIGUSR1).pid(), "the clone child sent SIGUSR1");
            assertEquals(plain, got.get(Signals.SIGCHLD).pid(), "the plain child sent SIGCHLD");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Proc.WLINUXCLONE), "nothing left");
        }
    }

    /** An orphaned RFLINUXTHPN child goes back to SIGCHLD and to the reaper's ordinary waits. */
    @Test
    void reparentedLinuxthpnChildIsAnOrdinaryChildOfTheReaper() {
        try (var a = sup.attachNewProcess()) {
            Proc.reapAcquire(Proc.getpid());
            AtomicInteger grandchild = new AtomicInteger();
            CountDownLatch gate = new CountDownLatch(1);
            int child = Proc.fork(() -> grandchild.set(Proc.fork(waitFor(gate), Proc.LINUXTHPN)));
            reapExited(child, 0);
            int gc = grandchild.get();
            assertTrue(gc > 0);
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(gc, Proc.WNOHANG | Proc.WLINUXCLONE), "now ordinary");
            gate.countDown();
            reapExited(gc, 0);
        }
    }

    @Test
    void parentIgnoringSigchldLeavesNoZombieTheReaperTakesIt() {
        try (var a = sup.attachNewProcess()) {
            Signals.sigaction(Signals.SIGCHLD, Signals.Disposition.IGNORE);
            CountDownLatch go = new CountDownLatch(1);
            int pid = Proc.fork(waitFor(go));
            AtomicReference<Errno> waited = new AtomicReference<>();
            int t = Lwp.create(() -> {
                try {
                    Proc.waitpid(-1, 0);
                } catch (LwpException e) {
                    waited.set(e.errno());
                }
            });
            await(() -> "wait".equals(String.valueOf(Lwp.ctl(t).waitChannel())), "waiter asleep");
            go.countDown();
            assertEquals(t, Lwp.waitFor(t));
            assertEquals(Errno.ECHILD, waited.get(), "the zombie went to the reaper (init)");
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, Proc.WNOHANG));
        }
    }

    @Test
    void noCldWaitOnAReaperParentKeepsTheZombieWithIt() {
        try (var a = sup.attachNewProcess()) {
            Proc.reapAcquire(Proc.getpid());
            Signals.sigaction(Signals.SIGCHLD, Signals.Disposition.DEFAULT.withFlags(Signals.SA_NOCLDWAIT));
            int pid = Proc.fork(() -> Proc.exit(4));
            reapExited(pid, 4); // the reaper is the parent itself (DragonFly)
        }
    }

    @Test
    void atExitErrorsAndCloseErrorsDoNotStopTheExit() {
        try (var a = sup.attachNewProcess()) {
            Proc.atExit((p, w) -> {
                throw new IllegalStateException("hook fails");
            });
            int pid = Proc.fork(() -> {
                Proc.open(() -> {
                    throw new java.io.IOException("close fails");
                });
                Proc.exit(8);
            });
            reapExited(pid, 8);
        }
    }

    @Test
    void theExitingLwpCannotCallInFromFinallyBlocks() {
        try (var a = sup.attachNewProcess()) {
            AtomicReference<Throwable> inFinally = new AtomicReference<>();
            int pid = Proc.fork(() -> {
                try {
                    Proc.exit(1);
                } finally {
                    try {
                        Lwp.park("after exit");
                    } catch (Throwable t) {
                        inFinally.set(t);
                    }
                }
            });
            reapExited(pid, 1);
            assertTrue(inFinally.get() instanceof LwpExit, String.valueOf(inFinally.get()));
        }
    }

    @Test
    void aSecondAttachedThreadOfTheProcessForksAndTheFirstReaps() {
        AtomicInteger pid = new AtomicInteger();
        try (var a = sup.attachNewProcess()) {
            int me = Proc.getpid();
            CountDownLatch done = new CountDownLatch(1);
            Thread t = new Thread(() -> {
                try (var b = sup.attach(me)) {
                    assertEquals(me, Proc.getpid());
                    pid.set(Proc.fork(() -> Proc.exit(3)));
                } finally {
                    done.countDown();
                }
            });
            t.start();
            awaitLatch(done, "attached helper");
            reapExited(pid.get(), 3);
        }
    }
}
