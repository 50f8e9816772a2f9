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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.Started;

/** exit, extexit, uncaught Throwables, the parent's notification (DragonFly exit1). */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ExitTest {
    @Started
    private Supervisor sup;

    @Test
    void exitStatusKeepsTheLow8Bits(Supervisor.Attachment a) {
        int p1 = Proc.fork(() -> Proc.exit(7));
        int p2 = Proc.fork(() -> Proc.exit(256 + 5));
        int p3 = Proc.fork(() -> { });
        WaitResult r = reapExited(p1, 7);
        assertEquals(Sig.CLD_EXITED, r.code());
        assertNull(r.fault());
        reapExited(p2, 5);
        reapExited(p3, 0);
    }

    @Test
    void initCannotExit(@Attach(init = true) Supervisor.Attachment a) {
        assertEquals(1, Proc.getpid());
        expectErrno(Errno.EPERM, () -> Proc.exit(0));
        expectErrno(Errno.EPERM, () -> Proc.extexit(ProcFlags.EXTEXIT_PROC, 1));
        assertEquals(1, Proc.getpid(), "still an LWP of init");
    }

    @Test
    void extexitRejectsOtherHows(Supervisor.Attachment a) {
        expectErrno(Errno.EINVAL, () -> Proc.extexit(2 << 16, 0));
        expectErrno(Errno.EINVAL, () -> Proc.extexit(ProcFlags.EXTEXIT_LWP | 1, 0)); // EXTEXIT_SETINT
        expectErrno(Errno.EINVAL, () -> Proc.extexit(-1, 0));
    }

    @Test
    void extexitLwpEndsOnlyTheCallerAndTheLastLwpEndsTheProcessWithItsStatus(Supervisor.Attachment a) {
        AtomicInteger after = new AtomicInteger();
        int pid = Proc.fork(() -> {
            int t = Lwp.create(() -> Proc.extexit(ProcFlags.EXTEXIT_LWP, 4));
            assertEquals(t, Lwp.waitFor(t));
            after.set(1); // still running: only the other LWP ended
            Proc.extexit(ProcFlags.EXTEXIT_LWP, 9);
        });
        reapExited(pid, 9);
        assertEquals(1, after.get());
    }

    /**
     * The last two LWPs calling extexit(LWP) at once can both see the other alive; the one that
     * ends last must still exit the process with its own status, never the 0 of a returned body
     * (DragonFly: the second caller sees p_nthreads == 1 and calls exit1 with its status).
     */
    @Test
    void racingExtexitLwpExitsTheProcessWithACallersStatus(Supervisor.Attachment a) {
        for (int round = 0; round < 100; round++) {
            CyclicBarrier both = new CyclicBarrier(2);
            int pid = Proc.fork(() -> {
                Lwp.create(() -> {
                    awaitBarrier(both);
                    Proc.extexit(ProcFlags.EXTEXIT_LWP, 9);
                }, Lwp.DETACHED);
                awaitBarrier(both);
                Proc.extexit(ProcFlags.EXTEXIT_LWP, 7);
            });
            WaitResult r = Proc.waitpid(pid, 0);
            assertTrue(r.exited() && (r.exitStatus() == 7 || r.exitStatus() == 9),
                    "round " + round + ": " + r);
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
    void extexitProcEndsEveryLwp(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> {
            Lwp.create(ProcTestSupport::parkForever);
            Lwp.create(ProcTestSupport::parkForever);
            Proc.extexit(ProcFlags.EXTEXIT_PROC, 12);
        });
        reapExited(pid, 12);
    }

    @Test
    void exitKillsTheOtherLwpsAtTheirSafePointsAndWaitsForThem(Supervisor.Attachment a) {
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

    @Test
    void lastLwpReturningExitsWithZero(Supervisor.Attachment a) {
        int pid = Proc.fork(() -> Lwp.create(() -> { }));
        reapExited(pid, 0);
    }

    @Test
    void uncaughtThrowableAbortsTheProcessAndIsInTheWaitResult(Supervisor.Attachment a) {
        IllegalStateException boom = new IllegalStateException("boom");
        int pid = Proc.fork(() -> {
            throw boom;
        });
        WaitResult r = Proc.waitpid(pid, 0);
        assertTrue(r.signaled(), r.toString());
        assertEquals(Sig.SIGABRT, r.termSig());
        assertEquals(Sig.CLD_KILLED, r.code());
        assertSame(boom, r.fault());
    }

    @Test
    void uncaughtThrowableInASecondLwpAbortsTheWholeProcess(Supervisor.Attachment a) {
        AssertionError err = new AssertionError("in lwp 2");
        int pid = Proc.fork(() -> {
            Lwp.create(() -> {
                throw err;
            });
            parkForever();
        });
        WaitResult r = Proc.waitpid(pid, 0);
        assertEquals(Sig.SIGABRT, r.termSig(), r.toString());
        assertSame(err, r.fault());
    }

    @Test
    void exitRacingExitHasOneMaster(Supervisor.Attachment a) throws Exception {
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

    private static void barrier(CyclicBarrier b) {
        try {
            b.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void parentIsSentSigchldWithTheExitCode(Supervisor.Attachment a) {
        AtomicReference<SigInfo> got = new AtomicReference<>();
        Signals.sigaction(Sig.SIGCHLD, Disposition.handler(got::set));
        int pid = Proc.fork(() -> Proc.exit(1));
        await(() -> {
            Lwp.checkpoint();
            return got.get() != null;
        }, "SIGCHLD delivered"); // before the reap, which withdraws it (FreeBSD proc_reap)
        reapExited(pid, 1);
        assertEquals(Sig.SIGCHLD, got.get().signo());
        assertEquals(Sig.CLD_EXITED, got.get().code());
        assertEquals(pid, got.get().pid(), "si_pid names the child");
        assertEquals(Proc.getuid(), got.get().uid(), "si_uid is the child's uid");
    }

    /**
     * DragonFly RFLINUXTHPN: the child's exit sends SIGUSR1 instead of SIGCHLD, and only a
     * WLINUXCLONE wait sees it; the other children only the other waits.
     */
    @Test
    void linuxthpnChildSignalsSigusr1AndOnlyWlinuxcloneWaitsSeeIt(Supervisor.Attachment a) {
        Map<Integer, SigInfo> got = new ConcurrentHashMap<>();
        Signals.sigaction(Sig.SIGUSR1, Disposition.handler(i -> got.put(i.signo(), i)));
        Signals.sigaction(Sig.SIGCHLD, Disposition.handler(i -> got.put(i.signo(), i)));
        CountDownLatch gate = new CountDownLatch(1);
        int clone = Proc.fork(waitFor(gate), ProcFlags.LINUXTHPN);

        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG), "a plain wait, only a clone child");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(clone, Wait.WNOHANG), "a plain wait for the clone's pid");
        assertTrue(Proc.waitpid(-1, Wait.WNOHANG | Wait.WLINUXCLONE).isNone(), "running");
        int plain = Proc.fork(waitFor(gate));
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(plain, Wait.WNOHANG | Wait.WLINUXCLONE),
                "a clone wait for the plain child's pid");

        gate.countDown();
        await(() -> {
            Lwp.checkpoint();
            return got.size() == 2;
        }, () -> "SIGUSR1 and SIGCHLD delivered (before the reaps withdraw them), got " + got);
        WaitResult r = Proc.waitpid(-1, 0);
        assertEquals(plain, r.pid(), "a plain wait reaps only the plain child");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0), "the clone child is not seen");
        r = Proc.waitpid(-1, Wait.WLINUXCLONE);
        assertEquals(clone, r.pid());
        assertTrue(r.exited() && r.exitStatus() == 0, r.toString());
        assertEquals(clone, got.get(Sig.SIGUSR1).pid(), "the clone child sent SIGUSR1");
        assertEquals(plain, got.get(Sig.SIGCHLD).pid(), "the plain child sent SIGCHLD");
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WLINUXCLONE), "nothing left");
    }

    /** An orphaned RFLINUXTHPN child goes back to SIGCHLD and to the reaper's ordinary waits. */
    @Test
    void reparentedLinuxthpnChildIsAnOrdinaryChildOfTheReaper(Supervisor.Attachment a) {
        Proc.reapAcquire(Proc.getpid());
        AtomicInteger grandchild = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        int child = Proc.fork(() -> grandchild.set(Proc.fork(waitFor(gate), ProcFlags.LINUXTHPN)));
        reapExited(child, 0);
        int gc = grandchild.get();
        assertTrue(gc > 0);
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(gc, Wait.WNOHANG | Wait.WLINUXCLONE), "now ordinary");
        gate.countDown();
        reapExited(gc, 0);
    }

    @Test
    void parentIgnoringSigchldLeavesNoZombieTheReaperTakesIt(Supervisor.Attachment a) {
        Signals.sigaction(Sig.SIGCHLD, Disposition.IGNORE);
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
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(pid, Wait.WNOHANG));
    }

    @Test
    void noCldWaitOnAReaperParentKeepsTheZombieWithIt(Supervisor.Attachment a) {
        Proc.reapAcquire(Proc.getpid());
        Signals.sigaction(Sig.SIGCHLD, Disposition.DEFAULT.withFlags(Sig.SA_NOCLDWAIT));
        int pid = Proc.fork(() -> Proc.exit(4));
        reapExited(pid, 4); // the reaper is the parent itself (DragonFly)
    }

    @Test
    void atExitErrorsAndCloseErrorsDoNotStopTheExit(Supervisor.Attachment a) {
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

    @Test
    void theExitingLwpCannotCallInFromFinallyBlocks(Supervisor.Attachment a) {
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

    @Test
    void aSecondAttachedThreadOfTheProcessForksAndTheFirstReaps(Supervisor.Attachment a) {
        AtomicInteger pid = new AtomicInteger();
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
