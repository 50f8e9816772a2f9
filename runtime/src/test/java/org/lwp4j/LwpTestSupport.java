package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.function.Executable;

/** Bounded waits and errno assertions shared by the tests. */
final class LwpTestSupport {
    /** How long any wait in these tests may take before it fails (never a speed assertion). */
    static final long WAIT_MILLIS = 20_000;

    private LwpTestSupport() {
    }

    /** Poll {@code cond} until it holds; fail with {@code what} after {@link #WAIT_MILLIS}. */
    static void await(BooleanSupplier cond, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reached within " + WAIT_MILLIS + " ms: " + what.get());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what.get());
            }
        }
    }

    static void await(BooleanSupplier cond, String what) {
        await(cond, () -> what);
    }

    /** A deadline far enough away ({@link #WAIT_MILLIS}) that reaching it means a wake-up was lost. */
    static long later() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    }

    /**
     * Create an LWP that waits for {@code go} ({@code what} names it), then parks (bounded) on
     * {@code hint}; the park's answer goes to {@code r}.
     */
    static int createParkerAfter(CountDownLatch go, String what, Object hint, AtomicReference<ParkResult> r) {
        return Lwp.create(() -> {
            awaitLatch(go, what);
            r.set(Lwp.parkUntil(later(), hint));
        });
    }

    /** Create an LWP that parks (bounded) on "child"; its lid goes to {@code child} too. */
    static int createSleepingChild(AtomicInteger child) {
        int c = Lwp.create(() -> Lwp.parkUntil(later(), "child"));
        child.set(c);
        return c;
    }

    /** A sleep of the calling LWP until an absolute deadline: the call a shared check puts through its paces. */
    @FunctionalInterface
    interface TimedSleep {
        ParkResult until(long deadline);
    }

    /**
     * {@code sleep}'s deadline is read against the supervisor's clock: with the clock frozen at
     * 1,000, 999 has passed, and a sleeper until 5,000 stays asleep however long real time runs,
     * then times out once the clock reaches 5,000.
     */
    static void deadlineIsReadAgainstTheSupervisorClock(SupervisorExtension.Supervisors sups, TimedSleep sleep) {
        AtomicLong now = new AtomicLong(1_000);
        Supervisor s = sups.start(Supervisor.builder().clock(now::get));
        try (var a = s.attachNewProcess()) {
            assertEquals(ParkResult.TIMED_OUT, sleep.until(999), "past on the supervisor's clock");
            AtomicReference<ParkResult> r = new AtomicReference<>();
            int t = Lwp.create(() -> r.set(sleep.until(5_000)));
            awaitSleeping(t);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            assertEquals(Lwp.State.SLEEPING, Lwp.ctl(t).state(), "the clock has not reached the deadline");
            assertNull(r.get());
            now.set(5_000);
            assertEquals(t, Lwp.waitFor(t));
            assertEquals(ParkResult.TIMED_OUT, r.get());
        }
    }

    /** Thread.interrupt ends an LWP's {@code sleep} (until {@link #later()}) INTERRUPTED, and the status is consumed. */
    static void interruptEndsTheSleepAndIsConsumed(TimedSleep sleep) {
        AtomicReference<Thread> th = new AtomicReference<>();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean(true);
        int t = Lwp.create(() -> {
            th.set(Thread.currentThread());
            r.set(sleep.until(later()));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        awaitSleeping(t);
        th.get().interrupt();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
        assertFalse(stillInterrupted.get(), "the interrupt status is consumed by the INTERRUPTED outcome");
    }

    /** Wait until LWP {@code lid} sleeps. */
    static void awaitSleeping(int lid) {
        await(() -> Lwp.ctl(lid).state() == Lwp.State.SLEEPING, () -> "lwp " + lid + " asleep, is " + Lwp.ctl(lid));
    }

    /**
     * Wait for {@code release} uninterruptibly (a kill interrupts an LWP's thread, and the
     * caller must stay here until released), then restore the interrupt status.
     */
    static void awaitUninterruptibly(CountDownLatch release) {
        boolean interrupted = false;
        for (;;) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Times {@code call} while an exited LWP's platform thread {@code t} is kept alive: holds
     * t's monitor, which the JVM's thread teardown takes to notify joiners, opens {@code letExit}
     * (the LWP's body waits on it, then ends), waits until t is blocked in its teardown, and
     * runs {@code call}. Checks that t was still alive after it, lets go, and waits for t to end.
     *
     * @return the nanoseconds {@code call} took
     */
    private static long timeWhileHeldInTeardown(Thread t, CountDownLatch letExit, Runnable call) {
        long took;
        synchronized (t) {
            letExit.countDown();
            await(() -> t.getState() == Thread.State.BLOCKED,
                    () -> "the exited LWP's thread is held in its teardown: " + t.getState());
            long start = System.nanoTime();
            call.run();
            took = System.nanoTime() - start;
            assertTrue(t.isAlive(), "the thread cannot end while the test holds its monitor");
        }
        await(() -> !t.isAlive(), "the thread ends once the test lets go of its monitor");
        return took;
    }

    /**
     * Start an LWP or a process with {@code start}, which runs the body it is given (the body
     * records its thread and waits until the test lets it end), then time {@code collect} of
     * the id {@code start} answered while that thread is held in its teardown
     * ({@link #timeWhileHeldInTeardown}). {@code what} names it in failure messages.
     *
     * @return the nanoseconds {@code collect} took
     */
    static long timeCollectWhileHeldInTeardown(String what, ToIntFunction<Runnable> start, IntConsumer collect) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        int id = start.applyAsInt(() -> {
            thread.set(Thread.currentThread());
            awaitLatch(go, "the test lets the " + what + " exit");
        });
        await(() -> thread.get() != null, "the " + what + " runs");
        return timeWhileHeldInTeardown(thread.get(), go, () -> collect.accept(id));
    }

    /** Await a latch from inside an LWP body or a test thread, bounded. */
    static void awaitLatch(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released within " + WAIT_MILLIS + " ms: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** True once the LWP behind {@code c} sleeps on the kernel or park channel named {@code channel}. */
    static boolean sleepsOn(LwpCtl c, String channel) {
        Object w = c.waitChannel();
        return c.state() == Lwp.State.SLEEPING && w != null && channel.equals(w.toString());
    }

    /** Wait until LWP {@code lid} sleeps on wait channel {@code channel} ({@link #sleepsOn}). */
    static void awaitSleepsOn(int lid, String channel) {
        await(() -> sleepsOn(Lwp.ctl(lid), channel), () -> "lwp " + lid + " asleep on " + channel + ": " + Lwp.ctl(lid));
    }

    /** Wait until the LWP sleeps in {@code _lwp_wait} or {@code _lwp_suspend} (p_lwpcv). */
    static void awaitInLwpWait(LwpCtl c) {
        await(() -> sleepsOn(c, "lwpwait"), () -> "lwp " + c.lid() + " asleep on lwpwait, is " + c);
    }

    /** Wait until the LWP is a zombie or gone. */
    static void awaitExited(LwpCtl c) {
        await(() -> c.state() == Lwp.State.ZOMBIE || c.state() == Lwp.State.DEAD,
                () -> "lwp " + c.lid() + " exited, is " + c);
    }

    /**
     * Create a joinable LWP in the caller's process that exits at once, and wait until it is a
     * zombie (its control block is taken while it still lives: ctl of a zombie is ESRCH).
     */
    static LwpCtl createZombie() {
        CountDownLatch go = new CountDownLatch(1);
        int lid = Lwp.create(() -> awaitLatch(go, "zombie to be"));
        LwpCtl c = Lwp.ctl(lid);
        go.countDown();
        awaitExited(c);
        return c;
    }

    /** What an LWP's {@code _lwp_wait} answered: the lid it collected, or its error. */
    static final class WaitOutcome {
        final AtomicInteger lid = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        /** A body that waits for the LWP {@code target} names when it runs, and records the answer. */
        Runnable waitFor(AtomicInteger target) {
            return () -> {
                try {
                    lid.set(Lwp.waitFor(target.get()));
                } catch (LwpException e) {
                    error.set(e);
                }
            };
        }

        Runnable waitFor(int target) {
            return waitFor(new AtomicInteger(target));
        }

        /** The errno the wait answered, or null. */
        Errno errno() {
            Throwable t = error.get();
            return t instanceof LwpException ? ((LwpException) t).errno() : null;
        }
    }

    /**
     * An LWP of another process, entered by a thread of its own, parked on a hint for at most
     * 300 ms while the test calls across to it; {@link #finish} lets the process end.
     */
    static final class ForeignParker {
        private final AtomicInteger lid = new AtomicInteger();
        private final AtomicReference<ParkResult> result = new AtomicReference<>();
        private final CountDownLatch tried = new CountDownLatch(1);
        private final Thread thread;

        /** Start it in a new process of {@code sup}; returns once its LWP exists. */
        ForeignParker(Supervisor sup, Object hint, String what) {
            thread = new Thread(() -> {
                try (var b = sup.attachNewProcess()) {
                    int p = Lwp.create(() -> result.set(
                            Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300), hint)));
                    lid.set(p);
                    awaitLatch(tried, what);
                    Lwp.waitFor(p);
                }
            });
            thread.start();
            await(() -> lid.get() != 0, "the other process's LWP");
        }

        /** The parked LWP's id (in its own process). */
        int lid() {
            return lid.get();
        }

        /** Let the other process end, wait for it (bounded); answers what its park returned. */
        ParkResult finish() throws InterruptedException {
            tried.countDown();
            thread.join(WAIT_MILLIS);
            assertFalse(thread.isAlive(), "the other process finished");
            return result.get();
        }
    }

    /** Run {@code call}, expect an LwpException with {@code errno}, return it. */
    static LwpException expectErrno(Errno errno, Executable call) {
        LwpException e = assertThrows(LwpException.class, call, "expected " + errno);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    /** As {@link #expectErrno(Errno, Executable)}, saying what the case is. */
    static LwpException expectErrno(Errno errno, Executable call, String what) {
        LwpException e = assertThrows(LwpException.class, call, what + ": expected " + errno);
        assertEquals(errno, e.errno(), what + ": " + e.getMessage());
        return e;
    }
}
