package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.expectErrno;
import static org.lwp4j.sync.SyncTestSupport.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Errno;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** Once: exactly one initialiser, waiting callers, retry after a throw, recursion, errors. */
@Timeout(60)
class OnceTest {
    @Test
    void concurrentCallersRunTheInitialiserExactlyOnceAndAllSeeIt() throws Exception {
        Once once = new Once();
        AtomicInteger runs = new AtomicInteger();
        int[] value = {0};
        AtomicInteger sawIt = new AtomicInteger();
        Runner[] rs = new Runner[6];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("caller " + i, () -> {
                once.run(() -> {
                    runs.incrementAndGet();
                    value[0] = 42;
                });
                if (value[0] == 42) {
                    sawIt.incrementAndGet();
                }
            });
        }
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(1, runs.get());
        assertEquals(6, sawIt.get(), "every caller returns after the initialiser and sees its writes");
        assertTrue(once.isDone());
        once.run(() -> runs.incrementAndGet());
        assertEquals(1, runs.get(), "a done Once runs nothing");
        assertTrue(once.toString().endsWith("[done]"), once.toString());
    }

    @Test
    void aThrowingInitialiserReachesItsCallerAndTheNextCallerRetries() {
        Once once = new Once();
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> once.run(() -> {
            throw boom;
        })));
        assertFalse(once.isDone());
        AtomicInteger runs = new AtomicInteger();
        once.run(runs::incrementAndGet);
        assertEquals(1, runs.get(), "the next caller ran its own initialiser");
        assertTrue(once.isDone());
    }

    @Test
    void aWaiterRunsItsOwnInitialiserWhenTheRunningOneThrows() throws Exception {
        Once once = new Once();
        CountDownLatch inside = new CountDownLatch(1), fail = new CountDownLatch(1);
        AtomicReference<Throwable> first = new AtomicReference<>();
        Runner runner = run("runner", () -> {
            try {
                once.run(() -> {
                    inside.countDown();
                    try {
                        fail.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("first");
                });
            } catch (IllegalStateException e) {
                first.set(e);
            }
        });
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        AtomicInteger second = new AtomicInteger();
        Runner waiter = run("waiter", () -> once.run(second::incrementAndGet));
        awaitBlockedOn(waiter.thread, once);
        assertEquals(0, second.get(), "it waits while the first runs");
        fail.countDown();
        runner.join();
        waiter.join();
        assertEquals("first", first.get().getMessage());
        assertEquals(1, second.get());
        assertTrue(once.isDone());
    }

    @Test
    void runFromItsOwnInitialiserIsEdeadlkAndNullIsRefused() {
        Once once = new Once();
        assertThrows(NullPointerException.class, () -> once.run(null));
        AtomicInteger inner = new AtomicInteger();
        once.run(() -> expectErrno(Errno.EDEADLK, () -> once.run(inner::incrementAndGet)));
        assertEquals(0, inner.get());
        assertTrue(once.isDone());
    }

    @Test
    void waitingIsNotEndedByAnInterruptWhichIsKept() throws Exception {
        Once once = new Once();
        CountDownLatch inside = new CountDownLatch(1), finish = new CountDownLatch(1);
        Runner runner = run("runner", () -> once.run(() -> {
            inside.countDown();
            try {
                finish.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        AtomicReference<Boolean> kept = new AtomicReference<>();
        Runner waiter = run("waiter", () -> {
            once.run(() -> { });
            kept.set(Thread.currentThread().isInterrupted() && once.isDone());
        });
        awaitBlockedOn(waiter.thread, once);
        waiter.thread.interrupt();
        awaitBlockedOn(waiter.thread, once);
        finish.countDown();
        runner.join();
        waiter.join();
        assertTrue(kept.get());
    }
}
