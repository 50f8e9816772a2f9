package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.await;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.run;

import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** Mutex conditions: every await form, signal, signalAll (requeue), errors, interrupts. */
@Timeout(60)
class MutexConditionTest {
    @Test
    void awaitAndSignalWithoutTheMutexAreIllegalMonitorState() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1000));
        assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitUntil(new Date()));
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertFalse(m.isLocked(), "nothing was taken");
    }

    @Test
    void aSignalledWaiterReturnsHoldingTheMutex() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean held = new AtomicBoolean();
        Runner waiter = run("waiter", () -> {
            m.lock();
            try {
                while (!ready.get()) {
                    c.await();
                }
                held.set(m.isHeldByCurrentThread());
            } finally {
                m.unlock();
            }
        });
        awaitBlockedOn(waiter.thread, c);
        m.lock();
        try {
            ready.set(true);
            c.signal();
            assertTrue(m.isHeldByCurrentThread(), "signal does not let go of the mutex");
        } finally {
            m.unlock();
        }
        waiter.join();
        assertTrue(held.get());
    }

    @Test
    void signalAllMovesEveryWaiterOntoTheMutexAndEachReturnsInTurn() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicBoolean go = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), done = new AtomicInteger();
        Runner[] rs = new Runner[3];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("waiter " + i, () -> {
                m.lock();
                try {
                    while (!go.get()) {
                        c.await();
                    }
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    inside.decrementAndGet();
                    done.incrementAndGet();
                } finally {
                    m.unlock();
                }
            });
            awaitBlockedOn(rs[i].thread, c);
        }
        m.lock();
        try {
            go.set(true);
            c.signalAll();
            Thread.sleep(10); // give a woken waiter time to show (not synchronisation)
            assertEquals(0, done.get(), "nobody returns while the signaller holds the mutex");
            for (Runner r : rs) {
                assertTrue(r.thread.isAlive(), "moved onto the mutex, still asleep");
            }
        } finally {
            m.unlock();
        }
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(3, done.get());
        assertEquals(1, most.get(), "one at a time");
    }

    @Test
    void signalWakesOneWaiterAtATime() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicInteger tickets = new AtomicInteger(), done = new AtomicInteger();
        Runner[] rs = new Runner[2];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("waiter " + i, () -> {
                m.lock();
                try {
                    while (tickets.get() == 0) {
                        c.await();
                    }
                    tickets.decrementAndGet();
                    done.incrementAndGet();
                } finally {
                    m.unlock();
                }
            });
            awaitBlockedOn(rs[i].thread, c);
        }
        for (int k = 1; k <= 2; k++) {
            m.lock();
            try {
                tickets.incrementAndGet();
                c.signal();
            } finally {
                m.unlock();
            }
            int want = k;
            await(() -> done.get() == want, () -> "waiters done: " + done.get() + ", want " + want);
        }
        for (Runner r : rs) {
            r.join();
        }
    }

    @Test
    void aSignalWithNoWaitersIsNotKeptForALaterAwait() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        try {
            c.signal();
            c.signalAll();
            assertFalse(c.await(10, TimeUnit.MILLISECONDS), "no signal was pending");
            assertTrue(m.isHeldByCurrentThread());
        } finally {
            m.unlock();
        }
    }

    @Test
    void timedAwaitsTimeOutHoldingTheMutex() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        try {
            assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(10)) <= 0, "awaitNanos ran out");
            assertTrue(m.isHeldByCurrentThread());
            assertTrue(c.awaitNanos(0) <= 0, "zero does not wait");
            assertFalse(c.await(5, TimeUnit.MILLISECONDS));
            assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1000)), "a past date");
            assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() + 10)));
            assertThrows(NullPointerException.class, () -> c.awaitUntil(null));
            assertThrows(NullPointerException.class, () -> c.await(1, null));
            assertTrue(m.isHeldByCurrentThread());
        } finally {
            m.unlock();
        }
    }

    @Test
    void anInterruptedAwaitThrowsAfterTakingTheMutexBack() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicBoolean heldInCatch = new AtomicBoolean();
        Runner waiter = run("waiter", () -> {
            m.lock();
            try {
                c.await();
            } catch (InterruptedException e) {
                heldInCatch.set(m.isHeldByCurrentThread() && !Thread.currentThread().isInterrupted());
            } finally {
                m.unlock();
            }
        });
        awaitBlockedOn(waiter.thread, c);
        waiter.thread.interrupt();
        waiter.join();
        assertTrue(heldInCatch.get(), "the mutex is held in the catch block, the status cleared");
        m.lock();
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, c::await, "interrupted on entry");
            assertTrue(m.isHeldByCurrentThread(), "entry check keeps the mutex");
        } finally {
            m.unlock();
        }
    }

    @Test
    void awaitUninterruptiblyOutlastsAnInterruptAndKeepsTheStatus() throws Exception {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicBoolean go = new AtomicBoolean(), kept = new AtomicBoolean();
        Runner waiter = run("waiter", () -> {
            m.lock();
            try {
                while (!go.get()) {
                    c.awaitUninterruptibly();
                }
                kept.set(Thread.currentThread().isInterrupted());
            } finally {
                m.unlock();
            }
        });
        awaitBlockedOn(waiter.thread, c);
        waiter.thread.interrupt();
        awaitBlockedOn(waiter.thread, c);
        m.lock();
        try {
            go.set(true);
            c.signal();
        } finally {
            m.unlock();
        }
        waiter.join();
        assertTrue(kept.get());
    }

    @Test
    void producersAndConsumersHandOverEveryItem() throws Exception {
        Mutex m = new Mutex();
        Condition notEmpty = m.newCondition(), notFull = m.newCondition();
        int[] slot = {0};
        boolean[] full = {false};
        AtomicLong sum = new AtomicLong();
        int n = 2000;
        Runner producer = run("producer", () -> {
            for (int i = 1; i <= n; i++) {
                m.lock();
                try {
                    while (full[0]) {
                        notFull.await();
                    }
                    slot[0] = i;
                    full[0] = true;
                    notEmpty.signal();
                } finally {
                    m.unlock();
                }
            }
        });
        Runner consumer = run("consumer", () -> {
            for (int i = 1; i <= n; i++) {
                m.lock();
                try {
                    while (!full[0]) {
                        notEmpty.await();
                    }
                    sum.addAndGet(slot[0]);
                    full[0] = false;
                    notFull.signal();
                } finally {
                    m.unlock();
                }
            }
        });
        producer.join();
        consumer.join();
        assertEquals((long) n * (n + 1) / 2, sum.get());
    }
}
