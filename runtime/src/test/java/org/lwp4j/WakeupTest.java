package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.awaitSleeping;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.LwpTestSupport.ForeignParker;

/** {@code _lwp_wakeup}: INTERRUPTED, ENODEV with the marks left pending, EBUSY, ESRCH. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class WakeupTest {
    private static final String HINT = "wakeup-hint";

    @Test
    void wakeupOfAParkedLwpMakesItsParkReturnInterrupted(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        AtomicReference<ParkResult> next = new AtomicReference<>();
        int t = Lwp.create(() -> {
            r.set(Lwp.parkUntil(later(), HINT));
            next.set(Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10), HINT));
        });
        awaitSleeping(t);
        Lwp.wakeup(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
        assertEquals(ParkResult.TIMED_OUT, next.get(), "a wakeup that woke a sleeper leaves no mark");
    }

    @Test
    void wakeupOfARunningLwpIsEnodevAndItsNextParkReturnsAlready(Supervisor.Attachment a) {
        expectErrno(Errno.ENODEV, () -> Lwp.wakeup(Lwp.self()));
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the marks stayed pending");

        CountDownLatch woken = new CountDownLatch(1);
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            awaitLatch(woken, "the wakeup");
            r.set(Lwp.parkUntil(later(), HINT));
        });
        expectErrno(Errno.ENODEV, () -> Lwp.wakeup(t));
        woken.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get());
    }

    @Test
    void wakeupOfAnUninterruptibleSleeperIsEbusy(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> r.set(ParkingLot.waitUninterruptibly(HINT, () -> true, later())));
        awaitSleeping(t);
        expectErrno(Errno.EBUSY, () -> Lwp.wakeup(t));
        assertEquals(Lwp.State.SLEEPING, Lwp.ctl(t).state(), "still asleep");
        assertNull(r.get());
        assertEquals(1, ParkingLot.wake(HINT, 1));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void wakeupOfAnInterruptibleParkingLotWaiterReturnsInterrupted(Supervisor s, Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> r.set(ParkingLot.wait(HINT, () -> true, later())));
        awaitSleeping(t);
        Lwp.wakeup(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void wakeupOfAnUnknownLwpOrOneOfAnotherProcessIsEsrch(Supervisor s, Supervisor.Attachment a) throws Exception {
        expectErrno(Errno.ESRCH, () -> Lwp.wakeup(9_999));
        expectErrno(Errno.ESRCH, () -> Lwp.wakeup(0));
        ForeignParker other = new ForeignParker(s, HINT, "the foreign wakeup");
        expectErrno(Errno.ESRCH, () -> Lwp.wakeup(other.lid()));
        assertEquals(ParkResult.TIMED_OUT, other.finish(), "the foreign LWP was not woken");
    }

    @Test
    void wakeupOfAnLwpInLwpWaitEndsItWithEintr(Supervisor.Attachment a) {
        AtomicInteger child = new AtomicInteger();
        AtomicReference<Errno> err = new AtomicReference<>();
        int t = Lwp.create(() -> {
            int c = LwpTestSupport.createSleepingChild(child);
            try {
                Lwp.waitFor(c);
            } catch (LwpException e) {
                err.set(e.errno());
            }
            Lwp.unpark(c, "child");
            Lwp.waitFor(c);
        });
        awaitInLwpWait(Lwp.ctl(t));
        Lwp.wakeup(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, err.get());
    }

    @Test
    void wakeupOfASuspendedLwpIsEnodevAndItsNextParkReturnsAlready(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            Lwp.suspend(Lwp.self());
            r.set(Lwp.parkUntil(later(), HINT));
        });
        await(() -> Lwp.ctl(t).state() == Lwp.State.SUSPENDED, "suspended");
        expectErrno(Errno.ENODEV, () -> Lwp.wakeup(t));
        LwpCtl c = Lwp.ctl(t);
        Lwp.resume(t);
        await(() -> c.state() != Lwp.State.SUSPENDED, "resumed");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get());
    }

    @Test
    void wakeupRacingAParkNeverLeavesItAsleep(Supervisor.Attachment a) {
        for (int i = 0; i < 200; i++) {
            AtomicBoolean ready = new AtomicBoolean();
            AtomicReference<ParkResult> r = new AtomicReference<>();
            int t = Lwp.create(() -> {
                ready.set(true);
                r.set(Lwp.parkUntil(later(), HINT));
            });
            await(ready::get, "started");
            try {
                Lwp.wakeup(t);
            } catch (LwpException e) {
                assertEquals(Errno.ENODEV, e.errno(), e.getMessage());
            }
            assertEquals(t, Lwp.waitFor(t));
            assertTrue(r.get() == ParkResult.INTERRUPTED || r.get() == ParkResult.ALREADY, "round " + i + ": " + r.get());
        }
    }
}
