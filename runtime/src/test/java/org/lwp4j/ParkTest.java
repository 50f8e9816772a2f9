package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitSleeping;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.LwpTestSupport.ForeignParker;

/** {@code _lwp_park} and {@code _lwp_unpark}: each outcome, the hand-off, each error. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ParkTest {
    private static final String HINT = "park-test-hint";

    private static void awaitState(int lid, Lwp.State st) {
        await(() -> Lwp.ctl(lid).state() == st, () -> "lwp " + lid + " " + st + ", is " + Lwp.ctl(lid));
    }

    /** Create an LWP that parks (bounded) on {@code hint}, its answer going to {@code r}; wait until it sleeps. */
    private static int asleep(Object hint, AtomicReference<ParkResult> r) {
        int t = Lwp.create(() -> r.set(Lwp.parkUntil(later(), hint)));
        awaitSleeping(t);
        return t;
    }

    @Test
    void unparkOfAParkedLwpReturnsUnparked(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(HINT, r);
        Lwp.unpark(t, HINT);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void unparkWakesWhateverHintTheTargetParkedOn(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        Object parkedOn = new Object();
        int t = asleep(parkedOn, r);
        Lwp.unpark(t, "some other hint");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void pendingUnparkIsConsumedAndPermitsDoNotAccumulate(Supervisor.Attachment a) {
        int me = Lwp.self();
        Lwp.unpark(me, HINT);
        Lwp.unpark(me, HINT);
        int parks = Lwp.ctl().parkCount();
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the pending unpark is consumed");
        assertEquals(parks, Lwp.ctl().parkCount(), "ALREADY does not sleep");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(deadline, HINT), "a second unpark was not kept");
    }

    @Test
    void unparkBeforeTheTargetParksLeavesItPending(Supervisor.Attachment a) {
        CountDownLatch unparked = new CountDownLatch(1);
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = LwpTestSupport.createParkerAfter(unparked, "the unpark", HINT, r);
        Lwp.unpark(t, HINT);
        unparked.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get());
    }

    @Test
    void aPastDeadlineTimesOutAtOnceWithoutSleepingOrConsumingAPendingUnpark(Supervisor.Attachment a) {
        int parks = Lwp.ctl().parkCount();
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() - 1, HINT));
        assertEquals(ParkResult.TIMED_OUT, Lwp.park(System.nanoTime() - TimeUnit.SECONDS.toNanos(1), 0, HINT, null));
        assertEquals(parks, Lwp.ctl().parkCount(), "no sleep was begun");
        Lwp.unpark(Lwp.self(), HINT);
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() - 1, HINT));
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the pending unpark is still there");
    }

    @Test
    void aShortDeadlineTimesOutNotBeforeTheDeadline(Supervisor s, Supervisor.Attachment a) {
        int parks = Lwp.ctl().parkCount();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(deadline, HINT));
        assertTrue(System.nanoTime() - deadline >= 0, "returned before its deadline");
        assertEquals(parks + 1, Lwp.ctl().parkCount(), "one sleep was begun");
        assertEquals(0, s.sleepStats().linkedWaiters(), "the timed-out waiter left the table");
    }

    @Test
    void theDeadlineIsReadAgainstTheSupervisorClock(SupervisorExtension.Supervisors sups) {
        LwpTestSupport.deadlineIsReadAgainstTheSupervisorClock(sups, d -> Lwp.parkUntil(d, HINT));
    }

    @Test
    void threadInterruptEndsAParkWithInterruptedAndIsConsumed(Supervisor.Attachment a) {
        LwpTestSupport.interruptEndsTheSleepAndIsConsumed(d -> Lwp.parkUntil(d, HINT));
    }

    @Test
    void parkWithTheInterruptStatusSetReturnsInterruptedAtOnce(Supervisor s, Supervisor.Attachment a) {
        Thread.currentThread().interrupt();
        assertEquals(ParkResult.INTERRUPTED, Lwp.parkUntil(later(), HINT));
        assertFalse(Thread.interrupted(), "consumed");
        assertEquals(0, s.sleepStats().linkedWaiters());
    }

    @Test
    void aHandOffParkUnparksItsTargetFirst(Supervisor.Attachment a) {
        int me = Lwp.self();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            r.set(Lwp.parkUntil(later(), "t"));
            Lwp.unpark(me, "back");
        });
        awaitSleeping(t);
        ParkResult mine = Lwp.park(later(), t, "back", "t");
        assertTrue(mine == ParkResult.UNPARKED || mine == ParkResult.ALREADY, mine.toString());
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get(), "the target was woken by the hand-off");
    }

    @Test
    void aParkOnTheHintOfTheLastParkDoesNotCallItsHashCodeAgain(Supervisor.Attachment a) {
        AtomicInteger calls = new AtomicInteger();
        Object hint = new Object() {
            @Override
            public int hashCode() {
                calls.incrementAndGet();
                return 7;
            }
        };
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() + ms, hint));
        assertEquals(1, calls.get(), "the first park on the hint hashes it");
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() + ms, hint));
        assertEquals(1, calls.get(), "a park on the last park's hint reuses its hash");
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() + ms, HINT));
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(System.nanoTime() + ms, hint));
        assertEquals(2, calls.get(), "after a park on another hint it is hashed again");
    }

    @Test
    void aHandOffWakesTheLidAskedForAndNotTheLastTarget(Supervisor.Attachment a) {
        theNextTargetIsTheLidAskedFor(lid -> {
            Lwp.unpark(Lwp.self(), HINT); // so that the hand-off's own park returns at once
            assertEquals(ParkResult.ALREADY, Lwp.park(later(), lid, HINT, "t"));
        });
    }

    /**
     * Wake t1 with {@code wake}, then, while t1 is live and asleep again, t2: the one woken must
     * be t2, the lid asked for, and not t1, the last target (KLwp.handoffTarget).
     */
    private static void theNextTargetIsTheLidAskedFor(IntConsumer wake) {
        AtomicReference<ParkResult> first = new AtomicReference<>(), second = new AtomicReference<>();
        int t1 = Lwp.create(() -> {
            first.set(Lwp.parkUntil(later(), "t1"));
            second.set(Lwp.parkUntil(later(), "t1")); // live and asleep while the next wake goes to t2
        });
        AtomicReference<ParkResult> r2 = new AtomicReference<>();
        int t2 = asleep("t2", r2);
        awaitSleeping(t1);
        wake.accept(t1);
        await(() -> first.get() != null && Lwp.ctl(t1).state() == Lwp.State.SLEEPING,
                () -> "t1 woke and slept again: " + first + ", " + Lwp.ctl(t1));
        assertEquals(ParkResult.UNPARKED, first.get(), "the first wake woke t1");
        wake.accept(t2);
        assertEquals(t2, Lwp.waitFor(t2));
        assertEquals(ParkResult.UNPARKED, r2.get(), "the second wake woke t2, not the last target");
        assertNull(second.get(), "t1 was not woken by the wake meant for t2");
        Lwp.unpark(t1, "t1");
        assertEquals(t1, Lwp.waitFor(t1));
        assertEquals(ParkResult.UNPARKED, second.get());
    }

    @Test
    void aHandOffToTheLastTargetOnceItHasExitedIsEsrchAndDoesNotPark(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep("t", r);
        Lwp.unpark(Lwp.self(), HINT);
        assertEquals(ParkResult.ALREADY, Lwp.park(later(), t, HINT, "t"));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
        Lwp.unpark(Lwp.self(), HINT);
        int parks = Lwp.ctl().parkCount();
        expectErrno(Errno.ESRCH, () -> Lwp.park(later(), t, HINT, "t"));
        assertEquals(parks, Lwp.ctl().parkCount(), "the refused hand-off did not park");
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the pending unpark is still there");
    }

    @Test
    void anUnparkWakesTheLidAskedForAndNotTheLastTarget(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r1 = new AtomicReference<>(), r2 = new AtomicReference<>();
        int t1 = asleep("t1", r1);
        int t2 = asleep("t2", r2);
        Lwp.unpark(t1, "t1");
        assertEquals(t1, Lwp.waitFor(t1));
        assertEquals(ParkResult.UNPARKED, r1.get());
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(t1, "t1")); // the last target, exited
        Lwp.unpark(t2, "t2");
        assertEquals(t2, Lwp.waitFor(t2));
        assertEquals(ParkResult.UNPARKED, r2.get(), "the unpark woke t2, not the last target");
    }

    @Test
    void anUnparkAfterOneToALiveLwpWakesTheOtherOne(Supervisor.Attachment a) {
        theNextTargetIsTheLidAskedFor(lid -> Lwp.unpark(lid, "t"));
    }

    @Test
    void aHandOffToAMissingLwpIsEsrchAndDoesNotPark(Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT); // a pending unpark a park would consume
        int parks = Lwp.ctl().parkCount();
        expectErrno(Errno.ESRCH, () -> Lwp.park(later(), 9_999, HINT, null));
        assertEquals(parks, Lwp.ctl().parkCount());
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the failed call did not park");
    }

    @Test
    void unparkOfAnUnknownLwpIsEsrch(Supervisor.Attachment a) {
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(9_999, HINT));
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(0, HINT));
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(-1, HINT));
        int t = Lwp.create(() -> { });
        assertEquals(t, Lwp.waitFor(t));
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(t, HINT));
    }

    @Test
    void unparkOfAnLwpOfAnotherProcessIsEsrchAndDoesNotWakeIt(Supervisor s, Supervisor.Attachment a) throws Exception {
        ForeignParker other = new ForeignParker(s, HINT, "the foreign unpark");
        int lid = other.lid();
        assertNotEquals(Lwp.self(), lid, "ids differ from ours, so ESRCH is not about self");
        expectErrno(Errno.ESRCH, () -> Lwp.unpark(lid, HINT));
        assertEquals(ParkResult.TIMED_OUT, other.finish(), "the foreign LWP was not woken");
    }

    @Test
    void theBlockerAndTheWaitChannelNameTheHint(Supervisor.Attachment a) {
        Object hint = new Object() {
            @Override
            public String toString() {
                return "my-condition";
            }
        };
        AtomicReference<Thread> th = new AtomicReference<>();
        int t = Lwp.create(() -> {
            th.set(Thread.currentThread());
            Lwp.parkUntil(later(), hint);
        });
        awaitSleeping(t);
        assertSame(hint, Lwp.ctl(t).waitChannel(), "published before the LWP shows as sleeping");
        await(() -> LockSupport.getBlocker(th.get()) != null, "the LWP blocked in LockSupport");
        assertSame(hint, LockSupport.getBlocker(th.get()));
        assertNull(Lwp.ctl().waitChannel(), "a running LWP has no wait channel");
        Lwp.unpark(t, hint);
        assertEquals(t, Lwp.waitFor(t));
    }

    @Test
    void aNullHintIsAllowed(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(null, r);
        assertNotNull(Lwp.ctl(t).waitChannel(), "a placeholder names the no-hint park");
        Lwp.unpark(t, null);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void anUnparkSentToASuspendedLwpIsKeptForItsNextPark(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            Lwp.suspend(Lwp.self());
            r.set(Lwp.parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), HINT));
        });
        awaitState(t, Lwp.State.SUSPENDED);
        Lwp.unpark(t, HINT); // the LWP sleeps in a kernel wait, not in park
        LwpCtl c = Lwp.ctl(t);
        Lwp.resume(t);
        await(() -> c.state() != Lwp.State.SUSPENDED, "resumed");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get(), "the unpark was swallowed by the suspension");
    }

    @Test
    void anUnparkSentToAnLwpInLwpWaitIsKeptForItsNextPark(Supervisor.Attachment a) {
        AtomicInteger child = new AtomicInteger();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            int c = LwpTestSupport.createSleepingChild(child);
            Lwp.waitFor(c);
            r.set(Lwp.parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), HINT));
        });
        LwpCtl ctl = Lwp.ctl(t);
        awaitInLwpWait(ctl);
        Lwp.unpark(t, HINT);
        assertEquals(Lwp.State.SLEEPING, ctl.state(), "_lwp_wait goes on");
        awaitSleeping(child.get());
        Lwp.unpark(child.get(), "child");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get(), "the unpark was swallowed by _lwp_wait");
    }
}
