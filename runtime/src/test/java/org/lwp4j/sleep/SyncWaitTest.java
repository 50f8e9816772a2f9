package org.lwp4j.sleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sleep.SleepTableTest.awaitBlocked;
import static org.lwp4j.sleep.SleepTableTest.later;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.ParkResult;
import org.lwp4j.sleep.SleepTableTest.Sleeper;
import org.lwp4j.sleep.SleepTableTest.TestWaiter;

/**
 * The synchronizer wait of the sleep table ({@code syncWait}, {@code wakeOne}): FIFO wake with a
 * token decided under the bucket lock, pending park marks left alone, interrupts kept or
 * honoured as asked, safe-point kicks always honoured.
 */
@Timeout(60)
class SyncWaitTest {
    private static final Object KEY = new Object();

    private static Sleeper syncSleeper(SleepTable t, Object hint, boolean byInterrupt) {
        return new Sleeper(w -> {
            ParkResult r = t.syncWait(w, KEY, 0, hint, () -> true, true, later(), byInterrupt, 0L);
            return List.of(r, w.lotToken(), Thread.currentThread().isInterrupted());
        });
    }

    @Test
    void wakeOneWakesTheLongestSleeperAndLeavesItTheCallbacksToken() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper first = syncSleeper(t, "h", false);
        awaitBlocked(first.w);
        Sleeper second = syncSleeper(t, "h", false);
        awaitBlocked(second.w);
        AtomicReference<Thread> seen = new AtomicReference<>();
        AtomicBoolean more = new AtomicBoolean();
        assertTrue(t.wakeOne(KEY, 0, "h", (h, th, waited, m) -> {
            seen.set(th);
            more.set(m);
            assertTrue(waited >= 0, "a sleep lasts a non-negative time");
            return 42;
        }));
        assertSame(first.thread, seen.get(), "the longest sleeper goes first, whatever the list order");
        assertTrue(more.get(), "the second sleeper remains");
        assertEquals(List.of(ParkResult.UNPARKED, 42, false), first.join());
        assertTrue(t.wakeOne(KEY, 0, "h", (h, th, waited, m) -> {
            more.set(m);
            return 0;
        }));
        assertFalse(more.get(), "nobody is left after the second");
        assertEquals(List.of(ParkResult.UNPARKED, 0, false), second.join());
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void wakeOneWithNoSleeperStillCallsBackWithNull() {
        SleepTable t = new SleepTable(System::nanoTime);
        AtomicReference<Object> seen = new AtomicReference<>("not called");
        assertFalse(t.wakeOne(KEY, 0, "nobody", (h, th, waited, m) -> {
            seen.set(th);
            return 1;
        }));
        assertNull(seen.get(), "the callback hears that nobody was woken");
    }

    @Test
    void aSyncWaitKeepsAPendingUnparkAndATargetedUnparkForTheNextPark() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        AtomicBoolean pre = new AtomicBoolean();
        Sleeper s = new Sleeper(w -> {
            w.unpark(); // a permit pending before the wait
            pre.set(true);
            ParkResult sync = t.syncWait(w, KEY, 0, "h", () -> true, true, later(), false, 0L);
            return List.of(sync, t.park(w, KEY, 0, "p", true, later()));
        });
        awaitBlocked(s.w);
        assertTrue(pre.get());
        assertFalse(s.w.unpark(), "a targeted unpark does not end a synchronizer wait");
        assertNotEquals(0, s.w.pw & Waiter.PEND_UNPARK, "the permit stays pending");
        assertTrue(t.wakeOne(KEY, 0, "h", (h, th, waited, m) -> 0));
        assertEquals(List.of(ParkResult.UNPARKED, ParkResult.ALREADY), s.join(),
                "the next park consumes the permit");
    }

    @Test
    void anInterruptIsKeptWhenItDoesNotEndTheWaitAndConsumedWhenItDoes() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper kept = syncSleeper(t, "k", false);
        awaitBlocked(kept.w);
        kept.thread.interrupt();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        assertTrue(kept.w.isSleeping(), "Thread.interrupt does not end a lock()-style wait");
        assertTrue(t.wakeOne(KEY, 0, "k", (h, th, waited, m) -> 0));
        assertEquals(List.of(ParkResult.UNPARKED, 0, true), kept.join(), "the interrupt is kept for the caller");

        Sleeper ended = syncSleeper(t, "e", true);
        awaitBlocked(ended.w);
        ended.thread.interrupt();
        assertEquals(List.of(ParkResult.INTERRUPTED, 0, false), ended.join(), "ended and consumed");
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void aSafePointKickEndsEitherKindOfSyncWait() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper s = syncSleeper(t, "s", false);
        awaitBlocked(s.w);
        s.w.safePoint = true;
        s.w.kick();
        assertEquals(ParkResult.INTERRUPTED, ((List<?>) s.join()).get(0));
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void aFalseValidateOrAPastDeadlineDoesNotSleep() {
        SleepTable t = new SleepTable(System::nanoTime);
        TestWaiter w = new TestWaiter(Thread.currentThread());
        assertEquals(ParkResult.INVALID, t.syncWait(w, KEY, 0, "v", () -> false, false, 0, false, 0L));
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(ParkResult.TIMED_OUT, t.syncWait(w, KEY, 0, "v", () -> ran.getAndSet(true), true,
                System.nanoTime() - 1, false, 0L));
        assertFalse(ran.get(), "validate is not run past the deadline");
        assertEquals(ParkResult.TIMED_OUT, t.syncWait(w, KEY, 0, "v", () -> true, true,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5), false, 0L));
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void requeueMovesSyncWaitersWhereWakeOneFindsThem() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper s = syncSleeper(t, "cond", false);
        awaitBlocked(s.w);
        assertEquals(1L, t.requeue(KEY, 0, "cond", "mutex", 0, 1));
        assertTrue(t.wakeOne(KEY, 0, "mutex", (h, th, waited, m) -> 7));
        assertEquals(List.of(ParkResult.UNPARKED, 7, false), s.join());
    }

    @Test
    void aSleeperThatPassesWhenItBeganWaitingKeepsItsPlaceAndItsWaitedTime() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        Sleeper first = syncSleeper(t, "f", false);
        awaitBlocked(first.w);
        long earlier = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
        Sleeper again = new Sleeper(w -> List.of(t.syncWait(w, KEY, 0, "f", () -> true, true, later(), false, earlier),
                w.lotToken(), w.lotSince() == earlier));
        awaitBlocked(again.w);
        AtomicReference<Thread> seen = new AtomicReference<>();
        AtomicReference<Long> waited = new AtomicReference<>();
        assertTrue(t.wakeOne(KEY, 0, "f", (h, th, w, m) -> {
            seen.set(th);
            waited.set(w);
            return 3;
        }));
        assertSame(again.thread, seen.get(), "the one that began waiting first goes first");
        assertTrue(waited.get() >= TimeUnit.SECONDS.toNanos(1), "its wait counts from when it began: " + waited.get());
        assertEquals(List.of(ParkResult.UNPARKED, 3, true), again.join());
        assertTrue(t.wakeOne(KEY, 0, "f", (h, th, w, m) -> 0));
        first.join();
    }
}
