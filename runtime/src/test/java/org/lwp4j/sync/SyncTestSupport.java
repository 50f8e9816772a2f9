package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;

/** Bounded waits and helper threads for the synchronizer tests. */
final class SyncTestSupport {
    /** How long any wait in these tests may take before it fails (never a speed assertion). */
    static final long WAIT_MILLIS = 20_000;

    private SyncTestSupport() {
    }

    interface Body {
        void run() throws Throwable;
    }

    /** A wait that an interrupt ends with InterruptedException. */
    interface InterruptibleWait {
        void run() throws InterruptedException;
    }

    /** A started thread whose failure, if any, {@link #join} rethrows. */
    static final class Runner {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Runner(String name, Body body) {
            thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, name);
            thread.start();
        }

        void join() throws InterruptedException {
            thread.join(WAIT_MILLIS);
            assertFalse(thread.isAlive(), thread.getName() + " did not finish within " + WAIT_MILLIS + " ms");
            Throwable t = failure.get();
            if (t != null) {
                throw new AssertionError(thread.getName() + " failed", t);
            }
        }
    }

    static Runner run(String name, Body body) {
        return new Runner(name, body);
    }

    /** A started thread that takes {@code lock}, runs {@code section} holding it, and unlocks. */
    static Runner runLocked(String name, Lock lock, Body section) {
        return run(name, () -> {
            lock.lock();
            section.run();
            lock.unlock();
        });
    }

    static void await(BooleanSupplier cond, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reached within " + WAIT_MILLIS + " ms: " + what.get());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Wait until {@code t} is blocked in LockSupport with a blocker that {@code blocker} accepts. */
    static void awaitBlockedOn(Thread t, Predicate<Object> blocker, String what) {
        await(() -> {
            Object b = LockSupport.getBlocker(t);
            return b != null && blocker.test(b);
        }, () -> t.getName() + " blocked on " + what + ", blocker is " + LockSupport.getBlocker(t)
                + ", state " + t.getState());
    }

    static void awaitBlockedOn(Thread t, Object blocker) {
        awaitBlockedOn(t, b -> b == blocker, String.valueOf(blocker));
    }

    /**
     * Start {@code wait} on a thread named {@code name}, wait until it is blocked on
     * {@code blocker}, interrupt it, and assert that the wait threw InterruptedException.
     */
    static void assertInterruptedWhileBlocked(String name, Object blocker, InterruptibleWait wait)
            throws InterruptedException {
        AtomicBoolean threw = new AtomicBoolean();
        Runner waiter = run(name, () -> {
            try {
                wait.run();
            } catch (InterruptedException e) {
                threw.set(true);
            }
        });
        awaitBlockedOn(waiter.thread, blocker);
        waiter.thread.interrupt();
        waiter.join();
        assertTrue(threw.get());
    }

    static LwpException expectErrno(Errno errno, Executable call) {
        LwpException e = assertThrows(LwpException.class, call, "expected " + errno);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    static long later() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    }
}
