package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The supervisor: init, attaching threads, independence of supervisors, {@code close()} (kills,
 * joins, empties the tables; EBUSY naming an LWP that never reaches a safe point).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SupervisorTest {

    @Test
    void startingCreatesInitAsProcessOne(Supervisor sup) {
        assertEquals(1, sup.processCount());
        assertEquals(0, sup.lwpCount());
        try (var a = sup.attach()) {
            assertEquals(1, a.pid(), "attach() enters init");
            assertEquals(1, a.lid());
            assertEquals(1, Lwp.self());
            assertEquals(1, sup.lwpCount());
        }
        assertEquals(1, sup.processCount(), "init does not exit when its last LWP leaves");
        assertEquals(0, sup.lwpCount());
    }

    @Test
    void attachNewProcessMakesAProcessThatEndsWithItsLastLwp(Supervisor sup) {
        try (var a = sup.attachNewProcess()) {
            assertEquals(2, a.pid());
            assertEquals(1, a.lid());
            assertEquals(2, sup.processCount());
        }
        assertEquals(1, sup.processCount());
        assertEquals(0, sup.lwpCount());
        try (var b = sup.attachNewProcess()) {
            assertEquals(3, b.pid(), "pids go upward");
        }
        assertEquals(1, sup.processCount());
    }

    @Test
    void attachingAThreadThatIsAlreadyAnLwpIsIllegal() {
        try (Supervisor sup = Supervisor.start(); Supervisor other = Supervisor.start();
             var a = sup.attachNewProcess()) {
            assertThrows(IllegalStateException.class, sup::attach);
            assertThrows(IllegalStateException.class, sup::attachNewProcess);
            assertThrows(IllegalStateException.class, other::attach, "an LWP of one supervisor at a time");
            assertThrows(IllegalStateException.class, other::attachNewProcess);
            assertEquals(2, sup.processCount(), "the failed attaches created nothing");
            assertEquals(1, other.processCount());
        }
    }

    @Test
    void anAttachmentIsClosedByItsOwnThreadOnlyAndClosingTwiceIsHarmless(Supervisor sup) throws Exception {
        var a = sup.attachNewProcess();
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                a.close();
            } catch (Throwable e) {
                fromOther.set(e);
            }
        });
        t.start();
        t.join(LwpTestSupport.WAIT_MILLIS);
        assertTrue(fromOther.get() instanceof IllegalStateException, String.valueOf(fromOther.get()));
        assertEquals(1, Lwp.self(), "still attached");
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, Lwp::self);
        assertEquals(1, sup.processCount());
    }

    @Test
    void everyCallFromAThreadThatIsNotAnLwpIsIllegalState(Supervisor sup) {
        List<Executable> calls = List.of(
                () -> Lwp.create(() -> { }),
                () -> Lwp.create(() -> { }, Lwp.DETACHED),
                Lwp::exit,
                Lwp::self,
                Lwp::checkpoint,
                Lwp::getPrivate,
                () -> Lwp.setPrivate("x"),
                () -> Lwp.setName(0, "x"),
                () -> Lwp.getName(0),
                () -> Lwp.suspend(1),
                () -> Lwp.resume(1),
                () -> Lwp.waitFor(0),
                () -> Lwp.detach(1),
                () -> Lwp.ctl(),
                () -> Lwp.ctl(1));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("not an LWP"), e.getMessage());
        }
        assertEquals(0, sup.lwpCount());
        assertEquals(1, sup.processCount());
    }

    @Test
    void nullSettingsAreNullPointerExceptionsNamingTheArgument() {
        assertEquals("d", assertThrows(NullPointerException.class,
                () -> Supervisor.builder().closeTimeout(null)).getMessage());
        assertEquals("clock", assertThrows(NullPointerException.class,
                () -> Supervisor.builder().clock(null)).getMessage());
        assertEquals("starter", assertThrows(NullPointerException.class,
                () -> Supervisor.builder().threadStarter(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Supervisor.builder().maxLwpPerProc(0));
        assertThrows(IllegalArgumentException.class, () -> Supervisor.builder().maxLid(1));
    }

    @Test
    void twoSupervisorsInOneJvmAreIndependent() throws Exception {
        Supervisor a = Supervisor.start();
        try (Supervisor b = Supervisor.start()) {
            try (var ia = a.attach()) {
                assertEquals(1, ia.pid());
            }
            try (var ib = b.attach()) {
                assertEquals(1, ib.pid());
            }
            CountDownLatch bReady = new CountDownLatch(1);
            CountDownLatch aClosed = new CountDownLatch(1);
            AtomicInteger bPid = new AtomicInteger();
            AtomicInteger bCollected = new AtomicInteger();
            AtomicInteger bCreated = new AtomicInteger();
            AtomicReference<Throwable> bFailure = new AtomicReference<>();
            Thread inB = new Thread(() -> {
                try (var pb = b.attachNewProcess()) {
                    bPid.set(pb.pid());
                    bReady.countDown();
                    awaitLatch(aClosed, "a closed");
                    bCreated.set(Lwp.create(() -> { }));
                    bCollected.set(Lwp.waitFor(0));
                } catch (Throwable t) {
                    bFailure.set(t);
                    bReady.countDown();
                }
            }, "in-b");
            inB.start();
            try (var pa = a.attachNewProcess()) {
                assertEquals(2, pa.pid(), "each supervisor allocates its own pids");
                int lid = Lwp.create(() -> { });
                assertEquals(2, lid);
                awaitLatch(bReady, "b ready");
                assertEquals(2, bPid.get(), "each supervisor allocates its own pids");
                assertEquals(lid, Lwp.waitFor(lid));
                assertEquals(2, a.processCount());
                assertEquals(2, b.processCount());
            }
            a.close();
            assertEquals(0, a.processCount());
            assertTrue(a.liveThreads().isEmpty(), a.liveThreads().toString());
            assertFalse(b.liveThreads().isEmpty(), "b's reaper still runs");
            aClosed.countDown();
            inB.join(LwpTestSupport.WAIT_MILLIS);
            assertFalse(inB.isAlive());
            if (bFailure.get() != null) {
                throw new AssertionError("in supervisor b", bFailure.get());
            }
            assertEquals(2, bCreated.get());
            assertEquals(2, bCollected.get(), "b works after a closed");
            assertEquals(1, b.processCount());
        } finally {
            a.close();
        }
    }

    @Test
    void closeKillsEveryProcessJoinsEveryThreadAndEmptiesTheTables() {
        Supervisor sup = Supervisor.start();
        AtomicInteger unwound = new AtomicInteger();
        AtomicBoolean suspendedRan = new AtomicBoolean();
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(5);
        int bodies = 0;
        try {
            // An LWP of init, blocked in a JDK call: close interrupts it.
            try (var init = sup.attach()) {
                Lwp.create(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        sawInterrupt.set(true);
                        Lwp.checkpoint();
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
                bodies++;
            }
            // A process with a parked LWP, a waiter and a suspended LWP.
            try (var p2 = sup.attachNewProcess()) {
                int parked = Lwp.create(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            Lwp.park("forever");
                        }
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
                int waiter = Lwp.create(() -> {
                    started.countDown();
                    try {
                        Lwp.waitFor(parked);
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
                bodies += 2;
                Lwp.create(() -> suspendedRan.set(true), Lwp.SUSPENDED);
                awaitInLwpWait(Lwp.ctl(waiter));
            }
            // A process with an LWP computing between checkpoints and one blocked on a latch.
            try (var p3 = sup.attachNewProcess()) {
                Lwp.create(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            Lwp.checkpoint();
                            Thread.onSpinWait();
                        }
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
                CountDownLatch never = new CountDownLatch(1);
                Lwp.create(() -> {
                    started.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Lwp.checkpoint();
                    } finally {
                        unwound.incrementAndGet();
                    }
                });
                bodies += 2;
            }
            assertEquals(3, sup.processCount());
            awaitLatch(started, "every body started"); // else close kills some before their body
            assertTrue(sup.liveThreads().size() >= 7, sup.liveThreads().toString());
        } finally {
            sup.close();
        }
        assertEquals(0, sup.processCount(), "process table empty");
        assertEquals(0, sup.lwpCount(), "LWP tables empty");
        assertTrue(sup.liveThreads().isEmpty(), "threads left: " + sup.liveThreads());
        assertEquals(bodies, unwound.get(), "every LWP body unwound");
        assertTrue(sawInterrupt.get(), "a blocking JDK call was interrupted");
        assertFalse(suspendedRan.get(), "a SUSPENDED LWP was killed without running");

        sup.close(); // idempotent
        expectErrno(Errno.ESRCH, sup::attach);
        expectErrno(Errno.ESRCH, sup::attachNewProcess);
        assertEquals(0, sup.processCount(), "a refused attach left nothing behind");
        assertThrows(IllegalStateException.class, Lwp::self);
    }

    @Test
    void closeWithAnLwpThatNeverReachesASafePointFailsWithEbusyNamingIt() {
        Supervisor sup = Supervisor.builder().closeTimeout(Duration.ofMillis(300)).start();
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicBoolean spinning = new AtomicBoolean();
        try {
            int stuck;
            int pid;
            try (var me = sup.attachNewProcess()) {
                pid = me.pid();
                stuck = Lwp.create(() -> {
                    spinning.set(true);
                    while (spin.get()) {
                        Thread.onSpinWait(); // no call into the runtime: no safe point
                    }
                });
                Lwp.setName(stuck, "spinner");
                Lwp.create(() -> {
                    for (;;) {
                        Lwp.park("forever");
                    }
                });
            }
            await(spinning::get, "the spinner runs its body");
            LwpException e = expectErrno(Errno.EBUSY, sup::close);
            assertTrue(e.getMessage().contains("lwp " + pid + "/" + stuck + " spinner"), e.getMessage());
            assertFalse(sup.liveThreads().isEmpty(), "the stuck LWP is left running");

            spin.set(false);
            sup.close();
            assertTrue(sup.liveThreads().isEmpty(), "threads left: " + sup.liveThreads());
            assertEquals(0, sup.processCount());
            assertEquals(0, sup.lwpCount());
        } finally {
            spin.set(false);
            sup.close();
        }
    }

    @Test
    void closeWhileTheCallerIsStillAttachedEndsItsLwp() {
        Supervisor sup = Supervisor.start();
        try (var me = sup.attachNewProcess()) {
            for (int i = 0; i < 3; i++) {
                Lwp.create(() -> {
                    for (;;) {
                        Lwp.park("forever");
                    }
                });
            }
            sup.close();
            assertEquals(0, sup.processCount());
            assertTrue(sup.liveThreads().isEmpty(), sup.liveThreads().toString());
            // The caller's LWP ended with its process: its next call says so.
            assertThrows(LwpExit.class, Lwp::self);
            assertThrows(IllegalStateException.class, Lwp::self);
        } finally {
            sup.close();
        }
    }
}
