package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.assertInterruptedWhileBlocked;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.expectErrno;
import static org.lwp4j.sync.SyncTestSupport.run;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Errno;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** Semaphore: permits taken and given, waits, try forms, interrupts, range errors. */
@Timeout(60)
class SemaphoreTest {
    @Test
    void permitsAreTakenAndGivenBackInAnyNumber() throws Exception {
        Semaphore s = new Semaphore(3);
        assertEquals(3, s.availablePermits());
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire(2));
        assertFalse(s.tryAcquire(), "none left");
        s.release(2);
        s.acquire();
        s.acquireUninterruptibly();
        assertEquals(0, s.availablePermits());
        s.release();
        s.release(4);
        assertEquals(5, s.drainPermits());
        assertEquals(0, s.drainPermits());
        assertTrue(s.tryAcquire(0), "zero permits are always there");
        assertTrue(s.toString().contains("permits = 0"), s.toString());
    }

    @Test
    void aNegativeStartOwesReleases() {
        Semaphore s = new Semaphore(-2);
        assertEquals(-2, s.availablePermits());
        assertFalse(s.tryAcquire());
        s.release(3);
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
    }

    @Test
    void negativeCountsAndOverflowAreRefusedAndChangeNothing() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(1 << 29));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-(1 << 29) - 1));
        Semaphore s = new Semaphore(1);
        assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquireUninterruptibly(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        expectErrno(Errno.EINVAL, () -> s.release((1 << 29) - 1));
        expectErrno(Errno.EINVAL, () -> s.release(Integer.MAX_VALUE));
        assertEquals(1, s.availablePermits(), "nothing changed");
        s.release((1 << 29) - 2);
        assertEquals((1 << 29) - 1, s.availablePermits(), "the top itself is allowed");
        assertEquals((1 << 29) - 1, new Semaphore((1 << 29) - 1).availablePermits());
        assertEquals(-(1 << 29), new Semaphore(-(1 << 29)).availablePermits());
        assertThrows(NullPointerException.class, () -> s.tryAcquire(1, null));
    }

    @Test
    void anAcquirerWaitsUntilEnoughPermitsAreReleased() throws Exception {
        Semaphore s = new Semaphore(0);
        AtomicBoolean got = new AtomicBoolean();
        Runner waiter = run("acquire(3)", () -> {
            s.acquire(3);
            got.set(true);
        });
        awaitBlockedOn(waiter.thread, s);
        s.release(2);
        awaitBlockedOn(waiter.thread, s); // two are not enough: asleep again
        assertFalse(got.get());
        s.release();
        waiter.join();
        assertTrue(got.get());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void oneReleaseServesTheWaiterItSatisfiesWhateverOthersWant() throws Exception {
        Semaphore s = new Semaphore(0);
        Runner big = run("acquire(5)", () -> assertFalse(s.tryAcquire(5, 300, TimeUnit.MILLISECONDS)));
        awaitBlockedOn(big.thread, s);
        Runner small = run("acquire(1)", s::acquire);
        awaitBlockedOn(small.thread, s);
        s.release();
        small.join();
        big.join();
        assertEquals(0, s.availablePermits());
    }

    @Test
    void timedAndInterruptedAcquisitionsEndAsJucSays() throws Exception {
        Semaphore s = new Semaphore(0);
        assertFalse(s.tryAcquire(10, TimeUnit.MILLISECONDS));
        assertFalse(s.tryAcquire(2, 0, TimeUnit.MILLISECONDS));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, s::acquire);
        assertFalse(Thread.interrupted());
        assertInterruptedWhileBlocked("interrupted", s, s::acquire);
        AtomicBoolean kept = new AtomicBoolean();
        Runner unint = run("uninterruptible", () -> {
            s.acquireUninterruptibly();
            kept.set(Thread.currentThread().isInterrupted());
        });
        awaitBlockedOn(unint.thread, s);
        unint.thread.interrupt();
        awaitBlockedOn(unint.thread, s);
        s.release();
        unint.join();
        assertTrue(kept.get(), "acquired, the interrupt status kept");
        assertEquals(0, s.availablePermits(), "the interrupted waiter took nothing");
    }

    @Test
    void aReleaseWakesOneSleeperPerPermit() throws Exception {
        Semaphore s = new Semaphore(0);
        java.util.concurrent.atomic.AtomicInteger got = new java.util.concurrent.atomic.AtomicInteger();
        Runner[] rs = new Runner[3];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("acquire " + i, () -> {
                s.acquire();
                got.incrementAndGet();
            });
            awaitBlockedOn(rs[i].thread, s);
        }
        s.release(2);
        SyncTestSupport.await(() -> got.get() == 2, () -> "two acquired, " + got.get() + " did");
        Thread.sleep(10); // give a third, wrongly woken, time to show (not synchronisation)
        assertEquals(2, got.get(), "the third still waits");
        assertEquals(0, s.availablePermits());
        s.release();
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(3, got.get());
    }
}
