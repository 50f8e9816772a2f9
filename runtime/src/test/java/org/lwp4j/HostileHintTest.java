package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hints are user code (issue 10): a hint's hashCode that throws, or a lot's validate that
 * throws, reaches the caller of the call that ran it, changes nothing, and leaves no sleep-table
 * lock held. The table calls a hint's hashCode at most once per sleep or wake, before any lock (a park
 * on the hint of the LWP's last park reuses that park's hash).
 */
@Timeout(120)
class HostileHintTest {
    private static long soon() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    }

    @Test
    void aSleeperWhoseHintHashCodeThrowsDoesNotWedgeTheTableWhenItGrows() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            HostileHint h = new HostileHint(42);
            int sleeper = Lwp.create(() -> {
                while (Lwp.park(h) != ParkResult.UNPARKED) {
                    // until unparked
                }
            });
            await(() -> sup.sleepStats().linkedWaiters() == 1, "the sleeper is linked on its hint");
            h.throwing = true;
            int buckets = sup.sleepStats().buckets();
            int[] lids = new int[200];
            for (int i = 0; i < lids.length; i++) {
                lids[i] = Lwp.create(() -> Lwp.park(System.nanoTime() + TimeUnit.SECONDS.toNanos(60), 0, "other", null));
            }
            assertTrue(sup.sleepStats().buckets() > buckets, "the table grew: " + sup.sleepStats());
            for (int lid : lids) {
                Lwp.unpark(lid, "other");
                assertEquals(lid, Lwp.waitFor(lid));
            }
            Lwp.unpark(sleeper, h);
            assertEquals(sleeper, Lwp.waitFor(sleeper));
            assertEquals(1, sup.lwpCount(), "no half-made LWP record is left");
        }
    }

    @Test
    void aParkWhoseHintHashCodeThrowsThrowsItAndLeavesTheLwpRunning() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            HostileHint h = new HostileHint(42);
            h.throwing = true;
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            int lid = Lwp.create(() -> {
                try {
                    Lwp.park(h);
                } catch (Throwable t) {
                    thrown.set(t);
                }
                done.countDown();
                LwpTestSupport.awaitLatch(release, "the test to finish its checks");
            });
            LwpTestSupport.awaitLatch(done, "the park to return");
            assertTrue(thrown.get() instanceof IllegalStateException, "the hint's exception: " + thrown.get());
            LwpCtl c = Lwp.ctl(lid);
            assertEquals(Lwp.State.RUNNING, c.state(), "not SLEEPING after a park that never began: " + c);
            assertEquals(null, c.waitChannel());
            expectErrno(Errno.ENODEV, () -> Lwp.wakeup(lid), "wakeup of a running LWP");
            release.countDown();
            assertEquals(lid, Lwp.waitFor(lid));
        }
    }

    @Test
    void aLotWaitOrWakeWhoseHintHashCodeThrowsThrowsItAndTheQueueStillWorks() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            HostileHint h = new HostileHint(42);
            h.throwing = true;
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ParkingLot.wait(h, () -> true, Lwp.FOREVER));
            assertEquals("hostile hashCode", e.getMessage());
            assertThrows(IllegalStateException.class, () -> ParkingLot.wake(h, 1));
            assertEquals(Lwp.State.RUNNING, Lwp.ctl().state());
            h.throwing = false;
            assertEquals(ParkResult.TIMED_OUT, ParkingLot.wait(h, () -> true, soon()), "the same queue still works");
            assertEquals(0, sup.sleepStats().linkedWaiters());
        }
    }

    @Test
    void aValidateThatThrowsReachesTheCallerAndLeavesTheQueueUnlocked() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            RuntimeException boom = new RuntimeException("validate failed");
            RuntimeException got = assertThrows(RuntimeException.class,
                    () -> ParkingLot.wait("q", () -> {
                        throw boom;
                    }, Lwp.FOREVER));
            assertSame(boom, got);
            assertEquals(Lwp.State.RUNNING, Lwp.ctl().state());
            assertEquals(0, ParkingLot.wake("q", 1), "the queue lock was released");
            assertEquals(ParkResult.TIMED_OUT, ParkingLot.wait("q", () -> true, soon()));
        }
    }
}
