package org.lwp4j.sleep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.ParkResult;

/**
 * The park word after a sleep a waker ended (its bits stay until the next sleep clears them),
 * and what an unpark leaves in it: a woken sleep, or one permit; a kernel wait keeps it.
 */
@Timeout(60)
class WokenWordTest {
    private static final Object KEY = new Object();
    private static final int KEY_HASH = 7;
    private static final long WAIT = TimeUnit.SECONDS.toNanos(20);

    private static long later() {
        return System.nanoTime() + WAIT;
    }

    private static void awaitSleeping(Waiter w) {
        long end = later();
        while (!w.isSleeping()) {
            assertTrue(System.nanoTime() - end < 0, "the sleeper did not sleep");
            Thread.yield();
        }
    }

    @Test
    void aWokenSleepLeavesItsBitsAndNobodyTakesThemForASleep() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        SleepTableTest.Sleeper s = new SleepTableTest.Sleeper(w -> t.park(w, KEY, KEY_HASH, "h", true, later()));
        awaitSleeping(s.w);
        assertTrue(s.w.unpark());
        assertEquals(ParkResult.UNPARKED, s.join());
        int pw = s.w.parkWord();
        assertEquals(Waiter.SLEEPING | Waiter.WOKEN_UNPARK, pw & (Waiter.SLEEPING | Waiter.WOKEN_UNPARK), "left as it was");
        assertFalse(s.w.isSleeping());
        assertFalse(s.w.sleepsInterruptibly());
        assertEquals(Waiter.WAKEUP_NOT_SLEEPING, s.w.wakeup(), "a wakeup finds no sleeper, leaves its marks");
        // The sleeper's thread has ended; with a mark pending, this park never sleeps.
        assertEquals(ParkResult.ALREADY, t.park(s.w, KEY, KEY_HASH, "h", true, later()), "the marks end the next park");
        assertEquals(0, s.w.parkWord(), "and the stale bits went with them");
        assertEquals(0, t.linkedWaiters());
    }

    @Test
    void theNextSleepClearsTheStaleBitsAndSleepsForReal() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        SleepTableTest.Sleeper s = new SleepTableTest.Sleeper(w -> {
            ParkResult first = t.park(w, KEY, KEY_HASH, "h", true, later());
            ParkResult second = t.park(w, KEY, KEY_HASH, "h", true, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
            return first + " " + second;
        });
        awaitSleeping(s.w);
        assertTrue(s.w.unpark());
        assertEquals("UNPARKED TIMED_OUT", s.join(), "the second park slept to its deadline: no stale WOKEN ended it");
        assertEquals(0, s.w.parkWord() & Waiter.SLEEPING, "a sleep that timed out clears its bits itself");
    }

    @Test
    void unparkWakesASleeperAndElseLeavesOnePermit() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        SleepTableTest.Sleeper s = new SleepTableTest.Sleeper(w -> t.park(w, KEY, KEY_HASH, "h", true, later()));
        awaitSleeping(s.w);
        assertTrue(s.w.unpark(), "spinning or blocked, it is woken");
        assertEquals(ParkResult.UNPARKED, s.join());
        assertFalse(s.w.unpark(), "not asleep: a permit");
        assertFalse(s.w.unpark(), "permits do not add up");
        assertEquals(Waiter.PEND_UNPARK, s.w.parkWord() & Waiter.PENDING);
    }

    @Test
    void unparkDoesNotEndAKernelWaitAndLeavesThePermit() throws Exception {
        SleepTable t = new SleepTable(System::nanoTime);
        ReentrantLock lock = new ReentrantLock();
        SleepTableTest.Sleeper s = new SleepTableTest.Sleeper(w -> {
            lock.lock();
            try {
                return t.cvSleep(w, KEY, KEY_HASH, "exit", lock, false, true,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
            } finally {
                lock.unlock();
            }
        });
        awaitSleeping(s.w);
        assertFalse(s.w.unpark(), "a kernel wait keeps the permit for the next park");
        assertEquals(ParkResult.TIMED_OUT, s.join());
        assertEquals(Waiter.PEND_UNPARK, s.w.parkWord() & Waiter.PEND_UNPARK);
    }
}
