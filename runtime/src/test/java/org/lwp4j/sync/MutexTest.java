package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.assertInterruptedWhileBlocked;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.expectErrno;
import static org.lwp4j.sync.SyncTestSupport.run;
import static org.lwp4j.sync.SyncTestSupport.runLocked;
import static org.lwp4j.sync.SyncTestSupport.WAIT_MILLIS;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Errno;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** Mutex from plain threads: lock, unlock, try forms, interrupts, errors, hand-off. */
@Timeout(60)
class MutexTest {
    @Test
    void aPlainThreadLocksAndUnlocksWithoutBeingAnLwp() {
        Mutex m = new Mutex();
        assertFalse(m.isLocked());
        m.lock();
        assertTrue(m.isLocked());
        assertTrue(m.isHeldByCurrentThread());
        assertTrue(m.toString().contains("locked by thread"), m.toString());
        m.unlock();
        assertFalse(m.isLocked());
        assertTrue(m.toString().endsWith("[unlocked]"), m.toString());
        assertTrue(m.tryLock());
        m.unlock();
    }

    @Test
    void unlockByANonHolderIsIllegalMonitorStateAndChangesNothing() throws Exception {
        Mutex m = new Mutex();
        assertThrows(IllegalMonitorStateException.class, m::unlock, "unlock of a free mutex");
        assertFalse(m.isLocked());
        m.lock();
        Runner other = run("non-holder", () -> {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertTrue(e.getMessage().contains("Mutex.unlock"), e.getMessage());
        });
        other.join();
        assertTrue(m.isHeldByCurrentThread(), "still held by the holder");
        m.unlock();
    }

    @Test
    void acquiringWhatTheCallerHoldsIsEdeadlk() {
        Mutex m = new Mutex();
        m.lock();
        try {
            expectErrno(Errno.EDEADLK, m::lock);
            expectErrno(Errno.EDEADLK, m::tryLock);
            expectErrno(Errno.EDEADLK, m::lockInterruptibly);
            expectErrno(Errno.EDEADLK, () -> m.tryLock(1, TimeUnit.SECONDS));
            assertTrue(m.isHeldByCurrentThread());
        } finally {
            m.unlock();
        }
        assertFalse(m.isLocked());
    }

    @Test
    void tryLockFailsWhileHeldAndTheTimedFormTimesOut() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        Runner other = run("trier", () -> {
            assertFalse(m.tryLock());
            assertFalse(m.tryLock(0, TimeUnit.SECONDS), "zero time does not wait");
            assertFalse(m.tryLock(-5, TimeUnit.SECONDS), "negative time does not wait");
            assertFalse(m.tryLock(20, TimeUnit.MILLISECONDS), "times out");
            assertThrows(NullPointerException.class, () -> m.tryLock(1, null));
        });
        other.join();
        m.unlock();
        Runner after = run("trier after", () -> {
            assertTrue(m.tryLock(1, TimeUnit.SECONDS));
            m.unlock();
        });
        after.join();
    }

    @Test
    void aBlockedLockerGetsTheLockWhenTheHolderUnlocks() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        AtomicBoolean got = new AtomicBoolean();
        Runner waiter = runLocked("waiter", m, () -> got.set(true));
        awaitBlockedOn(waiter.thread, m);
        assertFalse(got.get());
        m.unlock();
        waiter.join();
        assertTrue(got.get());
        assertFalse(m.isLocked());
    }

    @Test
    void aWaiterThatHasSleptOneMillisecondIsHandedTheLockDirectly() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        AtomicBoolean got = new AtomicBoolean();
        // The new owner holds the lock until the check below is done: woken, it may otherwise
        // run its section and unlock before this thread's tryLock (the wakee can preempt us).
        CountDownLatch checked = new CountDownLatch(1);
        Runner waiter = runLocked("old waiter", m, () -> {
            got.set(true);
            assertTrue(checked.await(WAIT_MILLIS, TimeUnit.MILLISECONDS), "the check was not done");
        });
        awaitBlockedOn(waiter.thread, m);
        Thread.sleep(5); // age the sleeper past the fairness bound (not synchronisation)
        m.unlock();
        boolean barged = m.tryLock();
        if (barged) {
            m.unlock(); // let the waiter finish
        }
        checked.countDown();
        assertFalse(barged, "the unlock made the waiter the owner: no barging past it");
        waiter.join();
        assertTrue(got.get());
    }

    @Test
    void lockInterruptiblyThrowsWhenInterruptedBeforeOrWhileWaiting() throws Exception {
        Mutex m = new Mutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, m::lockInterruptibly, "interrupted on entry");
        assertFalse(Thread.interrupted(), "the status is cleared");
        assertFalse(m.isLocked(), "nothing taken");
        m.lock();
        AtomicBoolean threw = new AtomicBoolean();
        Runner waiter = run("interruptible", () -> {
            try {
                m.lockInterruptibly();
            } catch (InterruptedException e) {
                threw.set(!Thread.currentThread().isInterrupted());
            }
        });
        awaitBlockedOn(waiter.thread, m);
        waiter.thread.interrupt();
        waiter.join();
        assertTrue(threw.get(), "InterruptedException with the status cleared");
        assertTrue(m.isHeldByCurrentThread(), "the holder is untouched");
        m.unlock();
        assertTrue(m.tryLock(), "the interrupted waiter left nothing behind");
        m.unlock();
    }

    @Test
    void lockIsNotEndedByAnInterruptAndKeepsTheStatus() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        AtomicBoolean kept = new AtomicBoolean();
        Runner waiter = runLocked("uninterruptible", m, () -> kept.set(Thread.currentThread().isInterrupted()));
        awaitBlockedOn(waiter.thread, m);
        waiter.thread.interrupt();
        awaitBlockedOn(waiter.thread, m); // still (or again) waiting
        m.unlock();
        waiter.join();
        assertTrue(kept.get(), "lock() returned holding the lock, interrupt status still set");
    }

    @Test
    void aTimedTryLockThatIsInterruptedThrows() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        assertInterruptedWhileBlocked("timed", m, () -> m.tryLock(20, TimeUnit.SECONDS));
        m.unlock();
    }

    @Test
    void fourThreadsIncrementingUnderTheLockLoseNoUpdate() throws Exception {
        Mutex m = new Mutex();
        long[] counter = new long[1];
        int n = 20_000;
        Runner[] rs = new Runner[4];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("incrementer " + i, () -> {
                for (int k = 0; k < n; k++) {
                    m.lock();
                    try {
                        counter[0]++;
                    } finally {
                        m.unlock();
                    }
                }
            });
        }
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(4L * n, counter[0]);
        assertFalse(m.isLocked());
    }

    @Test
    void manyTimedOutWaitersLeaveNothingLinkedAndTheLockUsable() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        AtomicLong timedOut = new AtomicLong();
        Runner[] rs = new Runner[4];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("timing out " + i, () -> {
                for (int k = 0; k < 20; k++) {
                    if (!m.tryLock(1, TimeUnit.MILLISECONDS)) {
                        timedOut.incrementAndGet();
                    }
                }
            });
        }
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(80, timedOut.get());
        m.unlock();
        Runner after = runLocked("after", m, () -> { });
        after.join();
        assertEquals(0, org.lwp4j.kern.GlobalLot.table().linkedWaiters());
    }

    @Test
    void aSleeperIsNotStarvedByTwoThreadsHammeringTheLock() throws Exception {
        Mutex m = new Mutex();
        AtomicBoolean stop = new AtomicBoolean();
        long[] counter = new long[1];
        Runner[] hammers = new Runner[2];
        for (int i = 0; i < hammers.length; i++) {
            hammers[i] = run("hammer " + i, () -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SyncTestSupport.WAIT_MILLIS);
                while (!stop.get() && System.nanoTime() - end < 0) {
                    m.lock();
                    counter[0]++;
                    m.unlock();
                }
            });
        }
        AtomicBoolean got = new AtomicBoolean();
        Runner late = runLocked("late", m, () -> {
            got.set(true);
            stop.set(true);
        });
        late.join();
        for (Runner r : hammers) {
            r.join();
        }
        assertTrue(got.get(), "the late locker got the lock while the others kept taking it");
    }
}
