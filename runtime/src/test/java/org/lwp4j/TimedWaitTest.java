package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Duration forms: timed waitpid, timed _lwp_wait, nanosleep. */
@Timeout(120)
class TimedWaitTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void timedWaitpidAnswersNoneWhileTheChildRunsAndTheReportOnceItExits() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int child = Proc.fork(ProcTestSupport.waitFor(gate));
            assertTrue(Proc.waitpid(child, 0, SHORT).isNone(), "still running: not yet");
            assertTrue(Proc.waitpid(-1, 0, Duration.ZERO).isNone(), "zero looks once");
            assertTrue(Proc.waitpid(child, 0, Duration.ofNanos(-5)).isNone(), "negative looks once");
            gate.countDown();
            WaitResult r = Proc.waitpid(child, 0, LONG);
            assertEquals(child, r.pid(), r.toString());
            assertTrue(r.exited(), r.toString());
        }
    }

    @Test
    void timedWaitpidWithAHugeTimeoutWaitsForGood() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(() -> Proc.exit(4));
            WaitResult r = Proc.waitpid(child, 0, Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(4, r.exitStatus(), r.toString());
        }
    }

    @Test
    void timedWaitpidAnswersItsErrors() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, 0, SHORT));
            expectErrno(Errno.EINVAL, () -> Proc.waitpid(-1, 1 << 30, SHORT));
            assertThrows(NullPointerException.class, () -> Proc.waitpid(-1, 0, null));
        }
    }

    @Test
    void timedWaitpidIsEndedByAWakeupWithEintr() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int child = Proc.fork(ProcTestSupport.waitFor(gate));
            AtomicReference<Throwable> seen = new AtomicReference<>();
            int lid = Lwp.create(() -> {
                try {
                    Proc.waitpid(child, 0, LONG);
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            LwpCtl c = Lwp.ctl(lid);
            await(() -> LwpTestSupport.sleepsOn(c, "wait"), "the waiter sleeps in wait");
            Lwp.wakeup(lid);
            assertEquals(lid, Lwp.waitFor(lid, LONG));
            assertTrue(seen.get() instanceof LwpException
                    && ((LwpException) seen.get()).errno() == Errno.EINTR, "EINTR: " + seen.get());
            gate.countDown();
            ProcTestSupport.reapExited(child, 0);
        }
    }

    @Test
    void timedLwpWaitAnswersZeroWhileTheLwpRunsAndItsIdOnceItExits() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int lid = Lwp.create(ProcTestSupport.waitFor(gate));
            assertEquals(0, Lwp.waitFor(lid, SHORT), "not yet");
            assertEquals(0, Lwp.waitFor(0, Duration.ZERO), "any, zero: looks once");
            gate.countDown();
            assertEquals(lid, Lwp.waitFor(lid, LONG));
        }
    }

    @Test
    void timedLwpWaitAnswersItsErrors() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            expectErrno(Errno.ESRCH, () -> Lwp.waitFor(4711, SHORT));
            expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(Lwp.self(), SHORT));
            CountDownLatch gate = new CountDownLatch(1);
            int d = Lwp.create(ProcTestSupport.waitFor(gate), Lwp.DETACHED);
            expectErrno(Errno.EINVAL, () -> Lwp.waitFor(d, SHORT));
            assertThrows(NullPointerException.class, () -> Lwp.waitFor(0, null));
            gate.countDown();
        }
    }

    @Test
    void aTimedOutLwpWaitReleasesItsClaimSoAnotherWaiterCanCollect() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch gate = new CountDownLatch(1);
            int lid = Lwp.create(ProcTestSupport.waitFor(gate));
            assertEquals(0, Lwp.waitFor(lid, SHORT));
            AtomicReference<Integer> got = new AtomicReference<>();
            int w = Lwp.create(() -> got.set(Lwp.waitFor(lid, LONG)));
            await(() -> LwpTestSupport.sleepsOn(Lwp.ctl(w), "lwpwait"), "the second waiter sleeps");
            gate.countDown();
            assertEquals(w, Lwp.waitFor(w, LONG));
            assertEquals(lid, got.get());
        }
    }

    @Test
    void sleepSleepsTheWholeDurationAndAnswersZero() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            long t0 = System.nanoTime();
            assertEquals(Duration.ZERO, Lwp.sleep(Duration.ofMillis(20)));
            assertTrue(System.nanoTime() - t0 >= 20_000_000L, "slept at least the duration");
            assertEquals(Duration.ZERO, Lwp.sleep(Duration.ZERO));
            assertEquals(Duration.ZERO, Lwp.sleep(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> Lwp.sleep(null));
        }
    }

    @Test
    void sleepNeitherEndsOnNorConsumesAPendingUnpark() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            Lwp.unpark(Lwp.self(), "x");
            long t0 = System.nanoTime();
            assertEquals(Duration.ZERO, Lwp.sleep(Duration.ofMillis(20)));
            assertTrue(System.nanoTime() - t0 >= 20_000_000L, "the unpark did not end the sleep");
            assertEquals(ParkResult.ALREADY, Lwp.parkUntil(System.nanoTime() + 1_000_000_000L, "x"));
        }
    }

    @Test
    void aWakeupEndsTheSleepEarlyWithTheTimeLeft() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            AtomicReference<Duration> left = new AtomicReference<>();
            int lid = Lwp.create(() -> left.set(Lwp.sleep(LONG)));
            await(() -> LwpTestSupport.sleepsOn(Lwp.ctl(lid), "nanosleep"), "the LWP sleeps");
            Lwp.wakeup(lid);
            assertEquals(lid, Lwp.waitFor(lid, LONG));
            assertTrue(left.get().compareTo(Duration.ZERO) > 0 && left.get().compareTo(LONG) <= 0,
                    "time left: " + left.get());
        }
    }

    @Test
    void aSignalHandlerRunsInTheSleepAndEndsIt() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            CountDownLatch ran = new CountDownLatch(1);
            Signals.sigaction(Sig.SIGUSR1, Disposition.handler(info -> ran.countDown()));
            AtomicReference<Duration> left = new AtomicReference<>();
            int lid = Lwp.create(() -> left.set(Lwp.sleep(LONG)));
            await(() -> LwpTestSupport.sleepsOn(Lwp.ctl(lid), "nanosleep"), "the LWP sleeps");
            Signals.lwpKill(lid, Sig.SIGUSR1);
            assertEquals(lid, Lwp.waitFor(lid, LONG));
            assertEquals(0, ran.getCount(), "the handler ran");
            assertTrue(left.get().compareTo(Duration.ZERO) > 0, "ended early: " + left.get());
        }
    }
}
