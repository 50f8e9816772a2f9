package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.sleepsOn;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.Disposition;
import org.lwp4j.SupervisorExtension.Started;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;

/** Stop and continue (SIGSTOP and kin, SIGCONT), as the parent sees them, and SIGKILL of stopped LWPs. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class JobControlTest {
    private static final int WJOB = Wait.WUNTRACED | Wait.WCONTINUED;
    @Started
    private Supervisor sup;

    private KProc proc(int pid) {
        return sup.kernel().findProc(pid);
    }

    /** The kernel record of LWP {@code lid} of process {@code pid}. */
    private KLwp lwpOf(int pid, int lid) {
        return proc(pid).lwpList().stream().filter(l -> l.lid == lid).findFirst().orElseThrow();
    }

    /** SIGKILL child {@code pid} and reap it, killed by SIGKILL. */
    private static void killAndReap(int pid) {
        kill(pid, SIGKILL);
        assertEquals(SIGKILL, Proc.waitpid(pid, 0).termSig());
    }

    private static void parkForever() {
        for (;;) {
            Lwp.park("job");
        }
    }

    /** Exactly one of WIFSTOPPED, WIFCONTINUED, WIFEXITED, WIFSIGNALED holds for a status. */
    private static void assertExactlyOne(WaitResult r) {
        int s = r.status();
        int n = (Wait.WIFSTOPPED(s) ? 1 : 0) + (Wait.WIFCONTINUED(s) ? 1 : 0)
                + (Wait.WIFEXITED(s) ? 1 : 0) + (Wait.WIFSIGNALED(s) ? 1 : 0);
        assertEquals(1, n, "status 0x" + Integer.toHexString(s) + " of " + r);
    }

    /**
     * Catch SIGHUP (recording it in {@code hup}), stop this process, and once continued wait at
     * safe points (bounded, about 10 s) for the SIGHUP to be delivered.
     */
    private static void stopUntilSighup(AtomicReference<SigInfo> hup) {
        sigaction(SIGHUP, Disposition.handler(hup::set));
        Signals.kill(Proc.getpid(), SIGSTOP);
        for (int i = 0; i < 10_000 && hup.get() == null; i++) {
            Lwp.parkUntil(System.nanoTime() + 1_000_000, "after stop"); // safe points
        }
    }

    /**
     * The body of a grandchild that catches SIGHUP (recording it), stops itself, and returns
     * once continued; its parent waits until it is stopped and then exits.
     */
    private static Runnable stoppedGrandchild(AtomicReference<SigInfo> hup, AtomicInteger gpid) {
        return () -> {
            int g = Proc.fork(() -> stopUntilSighup(hup));
            gpid.set(g);
            WaitResult r = Proc.waitpid(g, Wait.WUNTRACED);
            assertTrue(Wait.WIFSTOPPED(r.status()), r.toString());
        };
    }

    /**
     * POSIX orphaned process group: when the exit of C leaves C's group with no member whose
     * parent is in another group of the session, and a member is stopped, every member gets
     * SIGHUP then SIGCONT (DragonFly fixjobc/orphanpg).
     */
    @Test
    void exitThatOrphansAGroupWithAStoppedMemberSendsSighupAndSigcont(Supervisor.Attachment a) {
        Proc.setsid(); // a session of our own: init's group is outside it
        AtomicReference<SigInfo> hup = new AtomicReference<>();
        AtomicInteger gpid = new AtomicInteger();
        Runnable body = stoppedGrandchild(hup, gpid);
        int c = Proc.fork(() -> {
            Proc.setpgid(0, 0); // C's group, qualified by us (our group, same session)
            body.run();
        });
        WaitResult r = Proc.waitpid(c, 0);
        assertTrue(r.exited(), r.toString());
        // G, now a child of init (another session), is alone in an orphaned group, stopped.
        await(() -> hup.get() != null, () -> "SIGHUP reached grandchild " + gpid.get());
        assertEquals(new SigInfo(SIGHUP, SI_USER, 0, 0), hup.get(), "sent by the runtime");
        await(() -> proc(gpid.get()) == null, "the continued grandchild exited and init reaped it");
    }

    /**
     * A group move orphans too (BSD fixjobc at enterpgrp): P's child A, alone in its own group
     * and stopped, is qualified only through P; when P leaves for a new session (setsid), A's
     * group is orphaned and A gets SIGHUP and SIGCONT.
     */
    @Test
    void setsidThatOrphansAChildsGroupWithAStoppedMemberSendsSighupAndSigcont(Supervisor.Attachment a) {
        AtomicReference<SigInfo> hup = new AtomicReference<>();
        AtomicReference<WaitResult> aEnd = new AtomicReference<>();
        int p = Proc.fork(() -> {
            int child = Proc.fork(() -> {
                Proc.setpgid(0, 0);
                stopUntilSighup(hup);
            });
            WaitResult r = Proc.waitpid(child, Wait.WUNTRACED);
            assertTrue(Wait.WIFSTOPPED(r.status()), r.toString());
            Proc.setsid();
            aEnd.set(ProcTestSupport.awaitReport(child, Wait.WEXITED)); // bounded: fails if A stays stopped
        });
        WaitResult r = Proc.waitpid(p, 0);
        assertTrue(r.exited() && r.exitStatus() == 0, "P: " + r + (r.fault() != null ? " " + r.fault() : ""));
        assertNotNull(hup.get(), "SIGHUP delivered to the orphaned, stopped child");
        assertTrue(aEnd.get().exited() && aEnd.get().exitStatus() == 0, "continued and returned: " + aEnd.get());
    }

    /**
     * The job-control counts stay exact through a child that is exiting (in an at-exit hook,
     * not yet a zombie) while its parent exits and reparents it, through group moves and
     * setsid. Checked against their definition at each step.
     */
    @Test
    void jobControlCountsStayExactWhileAChildIsHalfwayThroughItsExit(Supervisor.Attachment a) {
        Proc.setsid();
        CountDownLatch inHook = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicInteger cpid = new AtomicInteger();
        ExitHook hook = (pid, status) -> {
            if (pid == cpid.get()) {
                inHook.countDown();
                LwpTestSupport.awaitLatch(release, "release the exiting child");
            }
        };
        Proc.atExit(hook);
        try {
            int p = Proc.fork(() -> {
                Proc.setpgid(0, 0); // P's group, qualified by us
                CountDownLatch cKnown = new CountDownLatch(1);
                int c = Proc.fork(() -> {
                    Proc.setpgid(0, 0); // C's group, qualified by P
                    LwpTestSupport.awaitLatch(cKnown, "the hook knows C"); // then exit
                });
                cpid.set(c);
                cKnown.countDown();
                LwpTestSupport.awaitLatch(inHook, "C in its at-exit hook");
                assertNull(sup.procLayer().auditJobc(), "C exiting, P alive");
            }); // P exits while C is still in its hook: C goes to init
            WaitResult pr = Proc.waitpid(p, 0);
            assertTrue(pr.exited(), pr + " " + pr.fault());
            assertNull(sup.procLayer().auditJobc(), "P gone, C halfway through its exit");
            release.countDown();
            await(() -> proc(cpid.get()) == null, "init reaped C");
            assertNull(sup.procLayer().auditJobc(), "C gone");
            CountDownLatch dGrouped = new CountDownLatch(1), qMoved = new CountDownLatch(1);
            int q = Proc.fork(() -> {
                int d = Proc.fork(() -> {
                    Proc.setpgid(0, 0); // D's group, qualified by Q (in our group)
                    dGrouped.countDown();
                    LwpTestSupport.awaitLatch(qMoved, "Q moved");
                });
                LwpTestSupport.awaitLatch(dGrouped, "D in its own group");
                assertNull(sup.procLayer().auditJobc(), "D qualified by Q");
                Proc.setsid(); // Q leaves: D's group loses its qualification
                assertNull(sup.procLayer().auditJobc(), "after Q's setsid");
                qMoved.countDown();
                Proc.waitpid(d, 0);
            });
            WaitResult qr = Proc.waitpid(q, 0);
            assertTrue(qr.exited(), qr + " " + qr.fault());
            assertNull(sup.procLayer().auditJobc(), "Q and D gone");
        } finally {
            Proc.removeAtExit(hook);
        }
    }

    /** The same exit, but the grandchild is reparented to us (a reaper): its group stays qualified. */
    @Test
    void exitThatLeavesTheGroupQualifiedSendsNothing(Supervisor.Attachment a) {
        Proc.setsid();
        Proc.reapAcquire(Proc.getpid());
        AtomicReference<SigInfo> hup = new AtomicReference<>();
        AtomicInteger gpid = new AtomicInteger();
        Runnable body = stoppedGrandchild(hup, gpid);
        int c = Proc.fork(() -> {
            Proc.setpgid(0, 0);
            body.run();
        });
        assertTrue(Proc.waitpid(c, 0).exited());
        int g = gpid.get();
        assertTrue(proc(g).stopping, "still stopped: nobody sent SIGCONT");
        Signals.kill(g, SIGCONT);
        WaitResult r = Proc.waitpid(g, 0);
        assertTrue(r.exited() && r.exitStatus() == 0, r.toString());
        assertNull(hup.get(), "no SIGHUP for a group that is not orphaned");
    }

    @Test
    void stopAndContinueAHundredTimes(Supervisor.Attachment a) {
        AtomicInteger stopped = new AtomicInteger(), continued = new AtomicInteger(), killed = new AtomicInteger();
        sigaction(SIGCHLD, Disposition.handler(info -> {
            switch (info.code()) {
                case CLD_STOPPED:
                    stopped.incrementAndGet();
                    break;
                case CLD_CONTINUED:
                    continued.incrementAndGet();
                    break;
                case CLD_KILLED:
                    killed.incrementAndGet();
                    break;
                default:
                    break;
            }
        }));
        AtomicLong work = new AtomicLong();
        int c = Proc.fork(() -> {
            Lwp.create(JobControlTest::parkForever);
            Lwp.create(() -> {
                for (;;) {
                    work.incrementAndGet();
                    Lwp.checkpoint();
                }
            });
            parkForever();
        });
        int[] stops = {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU};
        for (int i = 0; i < 100; i++) {
            int sig = stops[i % stops.length];
            kill(c, sig);
            WaitResult r = Proc.waitpid(c, WJOB);
            assertExactlyOne(r);
            assertTrue(r.stopped(), r.toString());
            assertEquals(sig, r.stopSig());
            assertEquals(CLD_STOPPED, r.code());
            assertTrue(SigTestSupport.allLwps(proc(c), st -> st == KLwp.LSSTOP), "every LWP is stopped");
            long w = work.get();
            assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone(), "one report per stop");
            assertEquals(w, work.get(), "a stopped LWP does not run");

            kill(c, SIGCONT);
            r = Proc.waitpid(c, WJOB);
            assertExactlyOne(r);
            assertTrue(r.continued(), r.toString());
            assertEquals(CLD_CONTINUED, r.code());
            assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone(), "one report per continue");
        }
        long w = work.get();
        await(() -> work.get() > w, "the busy LWP runs again");
        kill(c, SIGKILL);
        await(() -> {
            Lwp.checkpoint();
            return killed.get() == 1;
        }, "the exit's SIGCHLD is delivered (before the reap, which withdraws it)");
        WaitResult r = Proc.waitpid(c, WJOB);
        assertExactlyOne(r);
        assertTrue(r.signaled(), r.toString());
        assertEquals(SIGKILL, r.termSig());
        assertEquals(100, stopped.get());
        assertEquals(100, continued.get());
        assertEquals(1, killed.get());
    }

    @Test
    void theStopIsReportedOnlyWhenTheLastLwpStops(Supervisor.Attachment a) {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean lateRan = new AtomicBoolean();
        AtomicBoolean inJdkWait = new AtomicBoolean();
        int c = Proc.fork(() -> {
            Lwp.create(() -> {
                // Past its first safe point (thread start): a stop sent from now on finds it
                // in the JDK wait, which a stop does not end.
                inJdkWait.set(true);
                LwpTestSupport.awaitLatch(release, "release");
                Lwp.create(() -> lateRan.set(true)); // a safe point first: it stops here
            });
            parkForever();
        });
        await(() -> proc(c) != null && proc(c).lwpCount() == 2 && inJdkWait.get(), "child set up");
        kill(c, SIGSTOP);
        await(() -> stoppedCount(proc(c)) == 1, "the parked LWP stopped");
        assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone(), "one LWP still runs: not stopped yet");
        release.countDown();
        WaitResult r = Proc.waitpid(c, WJOB);
        assertTrue(r.stopped(), r.toString());
        assertTrue(SigTestSupport.allLwps(proc(c), st -> st == KLwp.LSSTOP));
        assertFalse(lateRan.get());
        kill(c, SIGCONT);
        await(lateRan::get, "the late LWP is created and runs after the continue");
        assertTrue(Proc.waitpid(c, WJOB).continued());
        killAndReap(c);
    }

    private static int stoppedCount(KProc p) {
        int n = 0;
        for (KLwp l : p.lwpList()) {
            if (l.stat() == KLwp.LSSTOP) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aSignalSentWhileStoppedIsTakenAfterTheContinue(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        int c = Proc.fork(JobControlTest::parkForever); // inherits the handler
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        kill(c, SIGUSR1);
        kill(c, SIGUSR2); // terminating, yet a stopped process does not act on it
        assertTrue(SigTestSupport.allLwps(proc(c), st -> st == KLwp.LSSTOP));
        assertEquals(0, runs.get());
        assertFalse(proc(c).isExiting());
        kill(c, SIGCONT);
        WaitResult r = Proc.waitpid(c, WJOB);
        if (r.continued()) {
            r = Proc.waitpid(c, WJOB);
        }
        assertEquals(SIGUSR2, r.termSig(), r.toString());
        assertEquals(1, runs.get(), "SIGUSR1 (lower) was taken first, then SIGUSR2");
    }

    @Test
    void sigkillEndsAStoppedProcessAndItsStopIsNoLongerReported(Supervisor.Attachment a) {
        int c = Proc.fork(() -> {
            Lwp.create(JobControlTest::parkForever);
            parkForever();
        });
        kill(c, SIGSTOP);
        SigTestSupport.awaitAllStopped(sup, proc(c));
        await(() -> SigTestSupport.underTree(sup, () -> proc(c).sig.jobc.stopReportPending()), "stop recorded");
        kill(c, SIGKILL);
        WaitResult r = Proc.waitpid(c, WJOB);
        assertExactlyOne(r);
        assertEquals(SIGKILL, r.termSig(), r.toString());
    }

    @Test
    void sigkillOfAParkedLwpEndsTheProcess() {
        assertKilledFromWithin(t -> { });
    }

    @Test
    void sigkillOfASuspendedLwpEndsTheProcess() {
        assertKilledFromWithin(t -> {
            Lwp.suspend(t);
            assertEquals(Lwp.State.SUSPENDED, Lwp.ctl(t).state());
        });
    }

    /** A child whose LWP t parks, is prepared by {@code prep}, then gets SIGKILL from its own process. */
    private void assertKilledFromWithin(java.util.function.IntConsumer prep) {
        try (var a = sup.attachNewProcess()) {
            AtomicBoolean unwound = new AtomicBoolean();
            int c = Proc.fork(() -> {
                int t = Lwp.create(() -> {
                    try {
                        parkForever();
                    } finally {
                        unwound.set(true);
                    }
                });
                await(() -> sleepsOn(Lwp.ctl(t), "job"), "t parked");
                prep.accept(t);
                lwpKill(t, SIGKILL);
                fail("SIGKILL returned");
            });
            WaitResult r = Proc.waitpid(c, 0);
            assertEquals(SIGKILL, r.termSig(), r.toString());
            assertTrue(unwound.get());
        }
    }

    @Test
    void sigkillOfAStoppedLwpEndsTheProcess(Supervisor.Attachment a) {
        AtomicInteger tLid = new AtomicInteger();
        int c = Proc.fork(() -> {
            tLid.set(Lwp.create(JobControlTest::parkForever));
            parkForever();
        });
        await(() -> tLid.get() != 0, "t created");
        kill(c, SIGTSTP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        KLwp t = lwpOf(c, tLid.get());
        assertEquals(KLwp.LSSTOP, t.stat());
        killAndReap(c);
    }

    @Test
    void caughtOrIgnoredTstpDoesNotStopButSigstopAlwaysDoes(Supervisor.Attachment a) {
        AtomicInteger caught = new AtomicInteger();
        sigaction(SIGTSTP, Disposition.handler(info -> caught.incrementAndGet()));
        sigaction(SIGTTIN, Disposition.IGNORE);
        int c = Proc.fork(JobControlTest::parkForever);
        kill(c, SIGTSTP);
        await(() -> caught.get() == 1, "the child's handler ran");
        kill(c, SIGTTIN);
        assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone());
        assertFalse(proc(c).stopping);
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        killAndReap(c);
    }

    @Test
    void aStopSignalMaskedByEveryLwpStopsWhenUnmasked(Supervisor.Attachment a) {
        CountDownLatch masked = new CountDownLatch(1), unmask = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            sigprocmask(SIG_BLOCK, sigmask(SIGTSTP));
            masked.countDown();
            LwpTestSupport.awaitLatch(unmask, "unmask");
            sigprocmask(SIG_UNBLOCK, sigmask(SIGTSTP)); // stops here
            parkForever();
        });
        LwpTestSupport.awaitLatch(masked, "child masked SIGTSTP");
        kill(c, SIGTSTP);
        assertFalse(proc(c).stopping, "pending, not acted on");
        assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone());
        unmask.countDown();
        WaitResult r = Proc.waitpid(c, WJOB);
        assertTrue(r.stopped(), r.toString());
        assertEquals(SIGTSTP, r.stopSig());
        kill(c, SIGCONT);
        assertTrue(Proc.waitpid(c, WJOB).continued());
        killAndReap(c);
    }

    @Test
    void sigcontRunsACaughtHandlerAndReportsOnlyAfterAReportedStop(Supervisor.Attachment a) {
        AtomicInteger caught = new AtomicInteger();
        sigaction(SIGCONT, Disposition.handler(info -> caught.incrementAndGet()));
        int c = Proc.fork(JobControlTest::parkForever);
        kill(c, SIGCONT); // not stopped: the handler runs, nothing to report
        await(() -> caught.get() == 1, "handler ran");
        assertTrue(Proc.waitpid(c, WJOB | Wait.WNOHANG).isNone());
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        kill(c, SIGCONT); // resumes although caught
        assertTrue(Proc.waitpid(c, WJOB).continued());
        await(() -> caught.get() == 2, "handler ran after the continue");
        killAndReap(c);
    }

    @Test
    void noCldStopSilencesSigchldButNotWait(Supervisor.Attachment a) {
        AtomicInteger sigchld = new AtomicInteger();
        sigaction(SIGCHLD, Disposition.handler(info -> sigchld.incrementAndGet()).withFlags(SA_NOCLDSTOP));
        int c = Proc.fork(JobControlTest::parkForever);
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        kill(c, SIGCONT);
        assertTrue(Proc.waitpid(c, WJOB).continued());
        Lwp.checkpoint();
        assertEquals(0, sigchld.get());
        kill(c, SIGKILL);
        await(() -> {
            Lwp.checkpoint();
            return sigchld.get() == 1;
        }, "exit still sends SIGCHLD (delivered before the reap, which withdraws it)");
        assertEquals(SIGKILL, Proc.waitpid(c, 0).termSig());
    }

    @Test
    void aSuspendedLwpCountsAsStoppedAndStaysSuspendedAfterTheContinue(Supervisor.Attachment a) {
        AtomicInteger tLid = new AtomicInteger();
        CountDownLatch suspended = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            int t = Lwp.create(JobControlTest::parkForever);
            Lwp.suspend(t);
            tLid.set(t);
            suspended.countDown();
            parkForever();
        });
        LwpTestSupport.awaitLatch(suspended, "t suspended");
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, WJOB).stopped());
        kill(c, SIGCONT);
        assertTrue(Proc.waitpid(c, WJOB).continued());
        KLwp t = lwpOf(c, tLid.get());
        assertEquals(KLwp.LSSUSPENDED, t.stat());
        killAndReap(c);
    }

    @Test
    void aGroupSignalSentDuringForkReachesTheChild(Supervisor.Attachment a) {
        // F forks in a loop in a group of its own; the group gets SIGKILL while F is somewhere in
        // fork. A child whose fork was under way when the signal came must die too (the signal
        // is carried to it), so every child F made ends up gone.
        for (int i = 0; i < 200; i++) {
            java.util.Queue<Integer> kids = new java.util.concurrent.ConcurrentLinkedQueue<>();
            CountDownLatch forking = new CountDownLatch(1);
            int f = Proc.fork(() -> {
                Proc.setpgid(0, 0);
                forking.countDown();
                for (;;) {
                    kids.add(Proc.fork(JobControlTest::parkForever));
                }
            });
            LwpTestSupport.awaitLatch(forking, "F forks");
            killpg(f, SIGKILL);
            assertEquals(SIGKILL, Proc.waitpid(f, 0).termSig());
            int round = i;
            for (int k : kids) {
                await(() -> gone(k), () -> "child " + k + " of F (round " + round + ") is gone\n" + sup.ps());
            }
        }
    }

    /** The process has exited and been reaped (orphans go to init, which reaps at once). */
    private static boolean gone(int pid) {
        try {
            kill(pid, 0);
            return false;
        } catch (LwpException e) {
            return e.errno() == Errno.ESRCH;
        }
    }
}
