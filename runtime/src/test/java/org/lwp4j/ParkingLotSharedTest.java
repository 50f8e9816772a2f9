package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.kern.GlobalLot;

/**
 * Process-shared parking-lot keys (a futex without FUTEX_PRIVATE_FLAG): keyed by the object
 * alone, across processes and supervisors, usable from plain threads, never meeting a private
 * key, and safe points on an LWP.
 */
@Timeout(60)
class ParkingLotSharedTest {
    /** A plain thread waiting on a shared key; its answer lands in {@code result}. */
    private static Thread plainWaiter(Object key, boolean interruptible, AtomicReference<Object> result) {
        Thread t = new Thread(() -> {
            ParkResult r = interruptible ? ParkingLot.waitShared(key, () -> true, later())
                    : ParkingLot.waitSharedUninterruptibly(key, () -> true, later());
            result.set(r + (Thread.currentThread().isInterrupted() ? "+interrupted" : ""));
        }, "plain shared waiter");
        t.start();
        return t;
    }

    private static void awaitSleepers(Object key, int n) {
        await(() -> sleepersOn(key) == n, () -> n + " sleeper(s) on " + key + ", are " + sleepersOn(key));
    }

    /** Sleepers whose wait channel is {@code key}, counted by waking nobody: via thread states. */
    private static int sleepersOn(Object key) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (java.util.concurrent.locks.LockSupport.getBlocker(t) == key) {
                n++;
            }
        }
        return n;
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.MILLISECONDS.toMillis(LwpTestSupport.WAIT_MILLIS));
        assertFalse(t.isAlive(), t.getName() + " did not finish");
    }

    @Test
    void anLwpOfOneProcessWakesAnLwpOfAnotherOnASharedKey() {
        Object key = new Object();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            int child = Proc.fork(() -> {
                ParkResult r = ParkingLot.waitShared(key, () -> true, later());
                Proc.exit(r == ParkResult.UNPARKED ? 7 : 1);
            });
            awaitSleepers(key, 1);
            assertEquals(0, ParkingLot.wake(key, 1), "a private wake does not reach a shared sleeper");
            assertEquals(1, ParkingLot.wakeShared(key, 1));
            ProcTestSupport.reapExited(child, 7);
        }
    }

    @Test
    void aPlainThreadAndAnLwpOfAnotherSupervisorMeetOnASharedKey() throws Exception {
        Object key = new Object();
        AtomicReference<Object> plain = new AtomicReference<>();
        Thread t = plainWaiter(key, true, plain);
        awaitSleepers(key, 1);
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            assertEquals(1, ParkingLot.wakeShared(key, 1), "an LWP wakes a plain thread");
            join(t);
            assertEquals("UNPARKED", plain.get());

            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<ParkResult> lwp = new AtomicReference<>();
            Lwp.create(() -> {
                lwp.set(ParkingLot.waitShared(key, () -> true, later()));
                done.countDown();
            });
            awaitSleepers(key, 1);
            try (Supervisor other = Supervisor.start()) {
                AtomicBoolean ok = new AtomicBoolean();
                Thread waker = new Thread(() -> ok.set(ParkingLot.wakeAllShared(key) == 1), "plain waker");
                waker.start();
                join(waker);
                assertTrue(ok.get(), "a plain thread wakes an LWP");
            }
            awaitLatch(done, "the LWP's shared wait");
            assertEquals(ParkResult.UNPARKED, lwp.get());
        }
    }

    @Test
    void aPrivateWaitIsNotWokenByASharedWakeOfAnEqualHint() {
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            String hint = "same-hint";
            AtomicReference<ParkResult> r = new AtomicReference<>();
            int lid = Lwp.create(() -> r.set(ParkingLot.wait(hint, () -> true, later())));
            await(() -> Lwp.ctl(lid).state() == Lwp.State.SLEEPING, "the private waiter sleeps");
            assertEquals(0, ParkingLot.wakeShared(hint, 1));
            assertEquals(1, ParkingLot.wake(hint, 1));
            Lwp.waitFor(lid);
            assertEquals(ParkResult.UNPARKED, r.get());
        }
    }

    @Test
    void requeueSharedWakesAndMovesAcrossSharedKeys() throws Exception {
        Object from = new Object(), to = new Object();
        AtomicReference<Object> r1 = new AtomicReference<>(), r2 = new AtomicReference<>();
        Thread t1 = plainWaiter(from, true, r1);
        awaitSleepers(from, 1);
        Thread t2 = plainWaiter(from, true, r2);
        awaitSleepers(from, 2);
        ParkingLot.Requeued q = ParkingLot.requeueShared(from, to, 1, 1);
        assertEquals(new ParkingLot.Requeued(1, 1), q);
        assertEquals(1, ParkingLot.wakeShared(to, 5), "the moved sleeper is found on the new key");
        join(t1);
        join(t2);
        assertEquals("UNPARKED", r1.get());
        assertEquals("UNPARKED", r2.get());
    }

    @Test
    void negativeCountsAreEinvalAndChangeNothing() throws Exception {
        Object key = new Object();
        AtomicReference<Object> r = new AtomicReference<>();
        Thread t = plainWaiter(key, true, r);
        awaitSleepers(key, 1);
        expectErrno(Errno.EINVAL, () -> ParkingLot.wakeShared(key, -1));
        expectErrno(Errno.EINVAL, () -> ParkingLot.requeueShared(key, "x", -1, 0));
        expectErrno(Errno.EINVAL, () -> ParkingLot.requeueShared(key, "x", 0, -2));
        assertEquals(1, sleepersOn(key), "nothing was woken or moved");
        assertEquals(1, ParkingLot.wakeShared(key, 1));
        join(t);
    }

    @Test
    void aPlainThreadsWaitTimesOutIsInterruptedOrKeepsItsInterrupt() throws Exception {
        Object key = new Object();
        assertEquals(ParkResult.INVALID, ParkingLot.waitShared(key, () -> false, later()));
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.waitShared(key, () -> ran.getAndSet(true), System.nanoTime() - 1));
        assertFalse(ran.get(), "a past deadline does not run validate");
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.waitShared(key, () -> true,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5)));

        AtomicReference<Object> intr = new AtomicReference<>();
        Thread t = plainWaiter(key, true, intr);
        awaitSleepers(key, 1);
        t.interrupt();
        join(t);
        assertEquals("INTERRUPTED", intr.get(), "the interrupt ends it and is consumed");

        AtomicReference<Object> kept = new AtomicReference<>();
        Thread u = plainWaiter(key, false, kept);
        awaitSleepers(key, 1);
        u.interrupt();
        Thread.sleep(20);
        assertEquals(1, ParkingLot.wakeShared(key, 1), "an uninterruptible wait outlasts the interrupt");
        join(u);
        assertEquals("UNPARKED+interrupted", kept.get());
        assertEquals(0, GlobalLot.table().linkedWaiters());
    }

    @Test
    void sigkillEndsAnLwpsSharedWait() {
        Object key = new Object();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            int child = Proc.fork(() -> {
                for (;;) {
                    ParkingLot.waitShared(key, () -> true, Lwp.FOREVER);
                }
            });
            awaitSleepers(key, 1);
            Signals.kill(child, Sig.SIGKILL);
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.signaled(), "SIGKILL ends the shared wait at its safe point: " + r);
        }
    }
}
