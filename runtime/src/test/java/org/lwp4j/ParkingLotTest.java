package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitSleeping;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The keyed parking lot: wait(validate), wake(n) newest first, requeue, and their errors. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ParkingLotTest {
    private static final String HINT = "lot-hint";

    /**
     * Start waiters on {@code hint} one after another, each asleep before the next starts, so
     * that their queue order is known. Each adds its lid to {@code woken} once UNPARKED.
     */
    private static int[] waiters(int n, Object hint, ConcurrentLinkedQueue<Integer> woken) {
        int[] lids = new int[n];
        for (int i = 0; i < n; i++) {
            lids[i] = Lwp.create(() -> {
                if (ParkingLot.wait(hint, () -> true, later()) == ParkResult.UNPARKED) {
                    woken.add(Lwp.self());
                }
            });
            awaitSleeping(lids[i]);
        }
        return lids;
    }

    @Test
    void waitReturnsInvalidWithoutSleepingWhenValidateAnswersFalse(Supervisor s, Supervisor.Attachment a) {
        AtomicInteger calls = new AtomicInteger();
        int parks = Lwp.ctl().parkCount();
        assertEquals(ParkResult.INVALID, ParkingLot.wait(HINT, () -> {
            calls.incrementAndGet();
            return false;
        }, later()));
        assertEquals(1, calls.get(), "validate runs once");
        assertEquals(parks, Lwp.ctl().parkCount(), "no sleep was begun");
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void wakeWakesNewestFirstAndReturnsHowManyItWoke(Supervisor.Attachment a) {
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(3, HINT, woken);
        assertEquals(1, ParkingLot.wake(HINT, 1));
        assertEquals(lids[2], Lwp.waitFor(lids[2]));
        assertEquals(List.of(lids[2]), List.copyOf(woken), "the newest waiter is woken first (LIFO)");
        assertEquals(1, ParkingLot.wake(HINT, 1));
        assertEquals(lids[1], Lwp.waitFor(lids[1]));
        assertEquals(List.of(lids[2], lids[1]), List.copyOf(woken));
        assertEquals(1, ParkingLot.wake(HINT, 5), "only one was left");
        assertEquals(lids[0], Lwp.waitFor(lids[0]));
        assertEquals(0, ParkingLot.wake(HINT, 5));
    }

    @Test
    void wakeOfAHintWithNoWaitersReturnsZero(Supervisor.Attachment a) {
        assertEquals(0, ParkingLot.wake("nobody", 1));
        assertEquals(0, ParkingLot.wakeAll("nobody"));
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(1, HINT, woken);
        assertEquals(0, ParkingLot.wake("another hint", 1), "waiters of other hints are not woken");
        assertEquals(0, ParkingLot.wake(HINT, 0), "a wake of zero wakes nobody");
        assertEquals(Lwp.State.SLEEPING, Lwp.ctl(lids[0]).state());
        assertEquals(1, ParkingLot.wakeAll(HINT));
        assertEquals(lids[0], Lwp.waitFor(lids[0]));
    }

    @Test
    void wakeAllWakesEverySleeper(Supervisor.Attachment a) {
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(4, HINT, woken);
        assertEquals(4, ParkingLot.wakeAll(HINT));
        for (int lid : lids) {
            assertEquals(lid, Lwp.waitFor(lid));
        }
        assertEquals(4, woken.size());
    }

    @Test
    void hintsCompareWithEquals(Supervisor.Attachment a) {
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(1, new String("equal-hint"), woken);
        assertEquals(1, ParkingLot.wake(new String("equal-hint"), 1));
        assertEquals(lids[0], Lwp.waitFor(lids[0]));
    }

    @Test
    void requeueWakesNWakeAndMovesNMove(Supervisor s, Supervisor.Attachment a) {
        Object from = "from", to = "to";
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(4, from, woken);
        assertEquals(new ParkingLot.Requeued(1, 2), ParkingLot.requeue(from, to, 1, 2));
        assertEquals(lids[3], Lwp.waitFor(lids[3]), "the newest was woken");
        assertEquals(to, Lwp.ctl(lids[2]).waitChannel(), "a moved waiter sleeps on the new hint");
        assertEquals(to, Lwp.ctl(lids[1]).waitChannel());
        assertEquals(from, Lwp.ctl(lids[0]).waitChannel(), "the oldest stayed");
        assertEquals(1, ParkingLot.wake(from, 10));
        assertEquals(lids[0], Lwp.waitFor(lids[0]));
        assertEquals(2, ParkingLot.wake(to, 10), "a wake of the new hint wakes the moved ones");
        assertEquals(lids[2], Lwp.waitFor(lids[2]));
        assertEquals(lids[1], Lwp.waitFor(lids[1]));
        assertEquals(4, woken.size());
        assertEquals(new ParkingLot.Requeued(0, 0), ParkingLot.requeue(from, to, 3, 3), "nobody left");
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void requeueWithNothingToWakeOnlyMoves(Supervisor.Attachment a) {
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(2, "a", woken);
        assertEquals(new ParkingLot.Requeued(0, 2), ParkingLot.requeue("a", "b", 0, 5));
        assertEquals(0, ParkingLot.wake("a", 5));
        assertEquals(2, ParkingLot.wake("b", 5));
        for (int lid : lids) {
            assertEquals(lid, Lwp.waitFor(lid));
        }
    }

    @Test
    void negativeCountsAreEinval(Supervisor.Attachment a) {
        expectErrno(Errno.EINVAL, () -> ParkingLot.wake(HINT, -1));
        expectErrno(Errno.EINVAL, () -> ParkingLot.requeue("a", "b", -1, 0));
        expectErrno(Errno.EINVAL, () -> ParkingLot.requeue("a", "b", 0, -1));
        assertThrows(NullPointerException.class, () -> ParkingLot.wait(HINT, null, later()));
    }

    @Test
    void waitTimesOutAndAPastDeadlineDoesNotRunValidate(Supervisor s, Supervisor.Attachment a) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.wait(HINT, () -> true, deadline));
        assertTrue(System.nanoTime() - deadline >= 0, "not before the deadline");
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.wait(HINT, () -> ran.getAndSet(true), System.nanoTime() - 1));
        assertFalse(ran.get());
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void aPendingUnparkMakesAWaitReturnAlreadyAndUnparkWakesAWaiter(Supervisor s, Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT);
        assertEquals(ParkResult.ALREADY, ParkingLot.wait(HINT, () -> true, later()));
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> r.set(ParkingLot.wait(HINT, () -> true, later())));
        awaitSleeping(t);
        Lwp.unpark(t, HINT);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void interruptEndsAWaitButNotAnUninterruptibleOne(Supervisor.Attachment a) {
        AtomicReference<Thread> th = new AtomicReference<>();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        int t = Lwp.create(() -> {
            th.set(Thread.currentThread());
            r.set(ParkingLot.wait(HINT, () -> true, later()));
        });
        awaitSleeping(t);
        th.get().interrupt();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());

        r.set(null);
        int u = Lwp.create(() -> {
            th.set(Thread.currentThread());
            r.set(ParkingLot.waitUninterruptibly("u", () -> true, later()));
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        awaitSleeping(u);
        th.get().interrupt();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        assertEquals(Lwp.State.SLEEPING, Lwp.ctl(u).state(), "an interrupt does not end it");
        assertEquals(1, ParkingLot.wake("u", 1));
        assertEquals(u, Lwp.waitFor(u));
        assertEquals(ParkResult.UNPARKED, r.get());
        assertTrue(interruptKept.get(), "the interrupt status is kept for the caller");
    }

    @Test
    void hintsAreKeyedPerProcess(Supervisor s, Supervisor.Attachment a) throws Exception {
        ConcurrentLinkedQueue<Integer> woken = new ConcurrentLinkedQueue<>();
        int[] lids = waiters(1, HINT, woken);
        AtomicInteger foreignWake = new AtomicInteger(-1);
        Thread other = new Thread(() -> {
            try (var b = s.attachNewProcess()) {
                foreignWake.set(ParkingLot.wakeAll(HINT));
            }
        });
        other.start();
        other.join(TimeUnit.SECONDS.toMillis(20));
        assertEquals(0, foreignWake.get(), "another process's wake finds no waiter");
        assertEquals(Lwp.State.SLEEPING, Lwp.ctl(lids[0]).state());
        assertEquals(1, ParkingLot.wake(HINT, 1));
        assertEquals(lids[0], Lwp.waitFor(lids[0]));
    }

    @Test
    void theBlockerOfAWaiterIsItsHint(Supervisor.Attachment a) {
        Object hint = new Object();
        AtomicReference<Thread> th = new AtomicReference<>();
        int t = Lwp.create(() -> {
            th.set(Thread.currentThread());
            ParkingLot.wait(hint, () -> true, later());
        });
        awaitSleeping(t);
        assertSame(hint, Lwp.ctl(t).waitChannel());
        await(() -> LockSupport.getBlocker(th.get()) != null, "blocked in LockSupport");
        assertSame(hint, LockSupport.getBlocker(th.get()));
        assertEquals(1, ParkingLot.wake(hint, 1));
        assertEquals(t, Lwp.waitFor(t));
    }

    @Test
    void aValidateThatThrowsLeavesNothingBehind(Supervisor s, Supervisor.Attachment a) {
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> ParkingLot.wait(HINT, () -> { throw boom; }, later())));
        assertEquals(0, s.sleepStats().linkedWaiters());
        assertEquals(0, ParkingLot.wake(HINT, 1));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(ParkResult.TIMED_OUT, ParkingLot.wait(HINT, () -> true, deadline), "the lock was released");
    }

    /**
     * A wake that follows a change of the condition is never lost: the waiter either sees the
     * change in validate or is found asleep by the wake. Each round the waker waits for the
     * waiter to reach the round, then changes the condition and wakes, racing validate.
     */
    @Test
    void noWakeIsLostBetweenValidateAndSleep(Supervisor.Attachment a) {
        int rounds = 2_000;
        AtomicInteger reached = new AtomicInteger();
        AtomicInteger go = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        Object hint = new Object();
        int t = Lwp.create(() -> {
            for (int i = 1; i <= rounds && lost.get() == 0; i++) {
                int round = i;
                reached.set(round);
                while (go.get() < round) {
                    ParkResult r = ParkingLot.wait(hint, () -> go.get() < round,
                            System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
                    if (r == ParkResult.TIMED_OUT) {
                        lost.incrementAndGet();
                        break;
                    }
                }
            }
        });
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int i = 1; i <= rounds && lost.get() == 0; i++) {
            for (int spins = 0; reached.get() < i && lost.get() == 0; spins++) {
                assertTrue(System.nanoTime() - end < 0, "the waiter never reached round " + i);
                if (spins > 100) {
                    Thread.yield();
                }
            }
            go.set(i);
            ParkingLot.wake(hint, 1);
        }
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(0, lost.get(), "wake-ups lost");
    }
}
