package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitSleepsOn;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwp4j.Disposition;
import org.lwp4j.SigTestSupport.Victim;
import org.lwp4j.SupervisorExtension.Started;

/** Delivery of signals at safe points: handlers, default actions, masks, waking sleepers. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SignalTest {
    @Started
    private Supervisor sup;

    @Test
    void handlerRunsOnTheTargetLwpBeforeItsParkReturnsInterrupted(Supervisor.Attachment a) {
        AtomicInteger handlerLid = new AtomicInteger();
        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        sigaction(SIGUSR1, Disposition.handler(info -> {
            handlerLid.set(Lwp.self());
            handlerThread.set(Thread.currentThread());
        }));
        AtomicReference<ParkResult> result = new AtomicReference<>();
        AtomicInteger handlerLidAtReturn = new AtomicInteger(-1);
        AtomicReference<Thread> self = new AtomicReference<>();
        int t = Lwp.create(() -> {
            self.set(Thread.currentThread());
            ParkResult r = Lwp.park("sig");
            handlerLidAtReturn.set(handlerLid.get());
            result.set(r);
        });
        awaitSleepsOn(t, "sig");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, result.get());
        assertEquals(t, handlerLidAtReturn.get(), "the handler ran on the target before park returned");
        assertSame(self.get(), handlerThread.get());
    }

    @Test
    void processSignalGoesToAnLwpThatDoesNotMaskIt(Supervisor.Attachment a) {
        List<Integer> ranOn = Collections.synchronizedList(new ArrayList<>());
        sigaction(SIGUSR1, Disposition.handler(info -> ranOn.add(Lwp.self())));
        AtomicReference<ParkResult> result = new AtomicReference<>();
        int t = Lwp.create(() -> result.set(Lwp.park("p")));
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1)); // after create: t does not inherit it
        awaitSleepsOn(t, "p");
        kill(a.pid(), SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, result.get());
        assertEquals(List.of(t), ranOn);
    }

    @Test
    void aSignalToOwnProcessIsDeliveredBeforeKillReturns(Supervisor.Attachment a) {
        AtomicReference<SigInfo> got = new AtomicReference<>();
        AtomicInteger lid = new AtomicInteger();
        sigaction(SIGUSR2, Disposition.handler(info -> {
            got.set(info);
            lid.set(Lwp.self());
        }));
        kill(a.pid(), SIGUSR2);
        assertEquals(new SigInfo(SIGUSR2, SI_USER, a.pid(), 0), got.get());
        assertEquals(a.lid(), lid.get());
        got.set(null);
        lwpKill(a.lid(), SIGUSR2);
        assertEquals(new SigInfo(SIGUSR2, SI_LWP, a.pid(), 0), got.get());
        kill(0 - 0 + a.pid(), 0); // signal 0: nothing delivered
        assertEquals(SI_LWP, got.get().code());
    }

    @ParameterizedTest
    @ValueSource(ints = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGABRT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
        SIGKILL, SIGTHR, 40, 63})
    void defaultTerminateEndsEveryLwpOfTheProcess(int sig) {
        AtomicInteger extraDone = new AtomicInteger();
        Victim v = new Victim(sup, 0, () -> {
            int t = Lwp.create(() -> {
                try {
                    for (;;) {
                        Lwp.park("forever");
                    }
                } finally {
                    extraDone.incrementAndGet();
                }
            });
            awaitSleepsOn(t, "forever");
        });
        try (var a = sup.attachNewProcess()) {
            kill(v.pid(), sig);
            assertInstanceOf(LwpExit.class, v.awaitEnd());
            SigTestSupport.awaitExited(sup, v.pid());
            await(() -> extraDone.get() == 1, "the parked LWP unwound");
        }
    }

    @Test
    void terminateByOwnLwpUnwindsTheCaller() {
        AtomicReference<Throwable> out = new AtomicReference<>();
        Thread th = new Thread(() -> {
            try (var a = sup.attachNewProcess()) {
                kill(a.pid(), SIGTERM);
                out.set(new AssertionError("kill returned"));
            } catch (Throwable t) {
                out.set(t);
            }
        });
        th.start();
        await(() -> !th.isAlive(), "self-killing thread ends");
        assertInstanceOf(LwpExit.class, out.get());
        assertTrue(out.get().getMessage().contains("SIGTERM"), out.get().getMessage());
    }

    @Test
    void ignoredSignalsDoNotInterruptASleeper(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.IGNORE);
        AtomicReference<ParkResult> result = new AtomicReference<>();
        int t = Lwp.create(() -> result.set(Lwp.park("ign")));
        awaitSleepsOn(t, "ign");
        for (int sig : new int[] {SIGCHLD, SIGURG, SIGWINCH, SIGINFO, SIGIO, SIGCONT, SIGUSR1}) {
            lwpKill(t, sig);
            kill(a.pid(), sig);
        }
        Lwp.unpark(t, "ign");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, result.get(), "no ignored signal woke the sleeper");
        assertEquals(0, sigpending());
    }

    @Test
    void aMaskedSignalStaysPendingUntilUnmaskedThenRunsBeforeSigprocmaskReturns(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        CountDownLatch masked = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        int t = Lwp.create(() -> {
            sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
            masked.countDown();
            ParkResult r = Lwp.park("m");
            long pend = sigpending();
            int before = runs.get();
            long old = sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
            seen.set(r + " " + Long.toHexString(pend) + " " + before + " " + runs.get() + " "
                    + Long.toHexString(old) + " " + sigpending());
        });
        LwpTestSupport.awaitLatch(masked, "t masked SIGUSR1");
        awaitSleepsOn(t, "m");
        lwpKill(t, SIGUSR1);
        Lwp.unpark(t, "m");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("UNPARKED " + Long.toHexString(sigmask(SIGUSR1)) + " 0 1 "
                + Long.toHexString(sigmask(SIGUSR1)) + " 0", seen.get());
    }

    @Test
    void aBlockingJdkCallIsInterruptedAndTheHandlerRunsAtTheNextSafePoint(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        AtomicReference<Thread> th = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>();
        int t = Lwp.create(() -> {
            th.set(Thread.currentThread());
            boolean interrupted = false;
            try {
                new CountDownLatch(1).await(LwpTestSupport.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            int before = runs.get();
            Lwp.checkpoint();
            seen.set(interrupted + " " + before + " " + runs.get() + " " + Thread.currentThread().isInterrupted());
        });
        await(() -> th.get() != null && th.get().getState() == Thread.State.TIMED_WAITING, "t blocked in await");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("true 0 1 false", seen.get());
    }

    @Test
    void theInterruptOfARunningTargetIsClearedWhenTheSignalIsDelivered(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        AtomicBoolean running = new AtomicBoolean(), go = new AtomicBoolean();
        AtomicReference<String> seen = new AtomicReference<>();
        int t = Lwp.create(() -> {
            running.set(true);
            while (!go.get()) {
                Thread.onSpinWait(); // no safe point
            }
            boolean flagged = Thread.currentThread().isInterrupted();
            Lwp.checkpoint();
            seen.set(flagged + " " + runs.get() + " " + Thread.currentThread().isInterrupted());
        });
        await(running::get, "t running");
        lwpKill(t, SIGUSR1);
        go.set(true);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("true 1 false", seen.get());
    }

    @Test
    void aTerminatingSignalWakesAnLwpBlockedInAJdkCall() {
        AtomicBoolean interrupted = new AtomicBoolean();
        Victim v = new Victim(sup, 0, () -> {
            AtomicReference<Thread> th = new AtomicReference<>();
            int t = Lwp.create(() -> {
                th.set(Thread.currentThread());
                try {
                    Thread.sleep(LwpTestSupport.WAIT_MILLIS);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                Lwp.checkpoint();
            });
            await(() -> th.get() != null && th.get().getState() == Thread.State.TIMED_WAITING, "t in sleep");
            lwpKill(t, SIGTERM);
            Lwp.waitFor(t); // the process exits while we wait: LwpExit
        });
        assertInstanceOf(LwpExit.class, v.awaitEnd());
        assertTrue(interrupted.get(), "Thread.sleep was interrupted");
        SigTestSupport.awaitExited(sup, v.attachedPid());
    }

    @Test
    void theHandlerMasksItsSignalUnlessNodefer(Supervisor.Attachment a) {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger depth = new AtomicInteger(), calls = new AtomicInteger();
        Disposition.Handler h = info -> {
            int d = depth.incrementAndGet();
            log.add("in" + d);
            if (calls.incrementAndGet() == 1) {
                log.add("mask=" + Long.toHexString(sigprocmask(SIG_BLOCK, 0)));
                lwpKill(Lwp.self(), SIGUSR1);
                lwpKill(Lwp.self(), SIGUSR2);
            }
            log.add("out" + d);
            depth.decrementAndGet();
        };
        sigaction(SIGUSR2, Disposition.handler(info -> log.add("usr2")));
        sigaction(SIGUSR1, Disposition.handler(h).withMask(sigmask(SIGUSR2)));
        lwpKill(a.lid(), SIGUSR1);
        assertEquals(List.of("in1", "mask=" + Long.toHexString(sigset(SIGUSR1, SIGUSR2)), "out1", "in1", "out1",
                "usr2"), log);
        assertEquals(0, sigprocmask(SIG_BLOCK, 0), "mask restored");

        log.clear();
        calls.set(0);
        sigaction(SIGUSR1, Disposition.handler(h).withFlags(SA_NODEFER));
        lwpKill(a.lid(), SIGUSR1);
        assertEquals(List.of("in1", "mask=0", "in2", "out2", "usr2", "out1"), log);
    }

    @Test
    void resetHandRestoresTheDefaultOnDelivery(Supervisor.Attachment a) {
        AtomicReference<Disposition> during = new AtomicReference<>();
        sigaction(SIGUSR1, Disposition.handler(info -> during.set(sigaction(SIGUSR1))).withFlags(SA_RESETHAND));
        kill(a.pid(), SIGUSR1);
        assertEquals(Disposition.DEFAULT, during.get());
        assertEquals(Disposition.DEFAULT, sigaction(SIGUSR1));
    }

    @Test
    void aThrowingHandlerPropagatesAndRestoresTheMask(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.handler(info -> {
            throw new IllegalStateException("from handler");
        }));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kill(a.pid(), SIGUSR1));
        assertEquals("from handler", e.getMessage());
        assertEquals(0, sigprocmask(SIG_BLOCK, 0));
        assertEquals(0, sigpending());
    }

    @Test
    void signalsDoNotQueue(Supervisor.Attachment a) {
        AtomicInteger runs = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> runs.incrementAndGet()));
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        for (int i = 0; i < 3; i++) {
            kill(a.pid(), SIGUSR1);
            lwpKill(a.lid(), SIGUSR1);
        }
        assertEquals(sigmask(SIGUSR1), sigpending());
        sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
        assertEquals(2, runs.get(), "one process-pending and one LWP-pending instance");
    }

    @Test
    void aProcessSignalMaskedByEveryLwpWaitsForTheFirstToUnmaskIt(Supervisor.Attachment a) {
        AtomicInteger ranOn = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(info -> ranOn.set(Lwp.self())));
        sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
        CountDownLatch go = new CountDownLatch(1);
        int t = Lwp.create(() -> { // inherits the mask
            LwpTestSupport.awaitLatch(go, "go");
            sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
        });
        kill(a.pid(), SIGUSR1);
        assertEquals(0, ranOn.get());
        assertEquals(sigmask(SIGUSR1), sigpending());
        go.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(t, ranOn.get());
        assertEquals(0, sigpending());
    }

    @Test
    void aSignalMaskedByTheRunningHandlerGoesToAnotherLwp(Supervisor.Attachment a) {
        AtomicInteger usr2On = new AtomicInteger();
        // SA_RESTART: the caller's _lwp_wait goes on after this handler (else EINTR)
        sigaction(SIGUSR2, Disposition.handler(info -> usr2On.set(Lwp.self())).withFlags(SA_RESTART));
        sigaction(SIGUSR1, Disposition.handler(info -> {
            // t masks SIGUSR2 while this runs: the caller, asleep in _lwp_wait, must take it.
            kill(a.pid(), SIGUSR2);
            await(() -> usr2On.get() != 0, "SIGUSR2 taken by another LWP");
        }).withMask(sigmask(SIGUSR2)));
        int t = Lwp.create(() -> Lwp.park("h"));
        awaitSleepsOn(t, "h");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(a.lid(), usr2On.get());
    }
}
