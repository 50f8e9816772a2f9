package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitSleeping;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Lwp.await(ready, deadline, unparkLid, hint)}: each outcome, the hand-off, stale permits,
 * wakeups, a condition that throws, each error. The races are in the jcstress
 * {@code AwaitNeverLostTest}; the spin's speed in {@code PingPongBench} ({@code lwpAwait}).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class AwaitTest {
    private static final String HINT = "await-test-hint";

    /** A deadline {@code ms} from now. */
    private static long in(long ms) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** Create an LWP that awaits {@code ready} (bounded), its answer going to {@code r}; wait until it sleeps. */
    private static int asleep(BooleanSupplier ready, AtomicReference<ParkResult> r) {
        int t = Lwp.create(() -> r.set(Lwp.await(ready, later(), 0, HINT)));
        awaitSleeping(t);
        return t;
    }

    @Test
    void aConditionThatHoldsAnswersAtOnceWithoutSleepingOrTakingAPendingUnpark(Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT);
        int parks = Lwp.ctl().parkCount();
        AtomicInteger asked = new AtomicInteger();
        assertEquals(ParkResult.UNPARKED, Lwp.await(() -> asked.incrementAndGet() > 0, later(), 0, HINT));
        assertEquals(1, asked.get(), "one call of ready");
        assertEquals(ParkResult.UNPARKED, Lwp.await(() -> true, HINT));
        assertEquals(parks, Lwp.ctl().parkCount(), "no sleep was begun");
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the pending unpark is still there");
    }

    @Test
    void theUnparkThatFollowsTheConditionWakesTheSleeper(Supervisor.Attachment a) {
        AtomicBoolean ready = new AtomicBoolean();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(ready::get, r);
        ready.set(true);
        Lwp.unpark(t, HINT);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void anUnparkBeforeTheConditionHoldsIsTakenAndTheWaitGoesOn(Supervisor.Attachment a) {
        AtomicBoolean ready = new AtomicBoolean();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(ready::get, r);
        LwpCtl c = Lwp.ctl(t);
        int parks = c.parkCount();
        Lwp.unpark(t, HINT);
        await(() -> c.parkCount() > parks && c.state() == Lwp.State.SLEEPING,
                () -> "the await asleep again after the early unpark, is " + c);
        assertNull(r.get(), "an unpark alone does not end an await");
        ready.set(true);
        Lwp.unpark(t, HINT);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void aStalePermitIsTakenByTheNextAwaitThatSleeps(Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT); // as an unpark that came while an earlier await spun
        assertEquals(ParkResult.TIMED_OUT, Lwp.await(() -> false, in(30), 0, HINT));
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(in(20), HINT), "the permit was taken, not left or doubled");
    }

    @Test
    void aPassedDeadlineTimesOutAtOnceWithoutTakingAPendingUnpark(Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT);
        int parks = Lwp.ctl().parkCount();
        assertEquals(ParkResult.TIMED_OUT, Lwp.await(() -> false, System.nanoTime() - 1, 0, HINT));
        assertEquals(ParkResult.TIMED_OUT, Lwp.await(() -> false, Long.MIN_VALUE, 0, HINT));
        assertEquals(ParkResult.UNPARKED, Lwp.await(() -> true, Long.MIN_VALUE, 0, HINT), "ready is asked first");
        assertEquals(parks, Lwp.ctl().parkCount(), "no sleep was begun");
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the pending unpark is still there");
    }

    @Test
    void aTimeoutComesNotBeforeTheDeadlineAndAfterALastLookAtTheCondition(Supervisor s, Supervisor.Attachment a) {
        long deadline = in(30);
        AtomicLong lastAsked = new AtomicLong();
        assertEquals(ParkResult.TIMED_OUT, Lwp.await(() -> {
            lastAsked.set(System.nanoTime());
            return false;
        }, deadline, 0, HINT));
        assertTrue(System.nanoTime() - deadline >= 0, "returned before its deadline");
        assertTrue(lastAsked.get() - deadline >= 0, "ready was not asked after the deadline");
        assertEquals(0, s.sleepStats().linkedWaiters(), "the timed-out waiter left the table");
    }

    @Test
    void theDeadlineIsReadAgainstTheSupervisorClock(SupervisorExtension.Supervisors sups) {
        LwpTestSupport.deadlineIsReadAgainstTheSupervisorClock(sups, d -> Lwp.await(() -> false, d, 0, HINT));
    }

    @Test
    void aWakeupEndsASleepingAwaitInterrupted(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(() -> false, r);
        Lwp.wakeup(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
    }

    @Test
    void aWakeupThatFoundTheCallerAwakeEndsItsNextAwaitWhereAParkWouldSeeAPermit(Supervisor.Attachment a) {
        expectErrno(Errno.ENODEV, () -> Lwp.wakeup(Lwp.self()), "not asleep: the marks stay pending");
        assertEquals(ParkResult.INTERRUPTED, Lwp.await(() -> false, later(), 0, HINT),
                "the wakeup is not taken for a permit");
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(in(20), HINT), "both marks were taken");
    }

    @Test
    void threadInterruptEndsAnAwaitInterruptedAndIsConsumed(Supervisor.Attachment a) {
        LwpTestSupport.interruptEndsTheSleepAndIsConsumed(d -> Lwp.await(() -> false, d, 0, HINT));

        Thread.currentThread().interrupt();
        assertEquals(ParkResult.INTERRUPTED, Lwp.await(() -> false, later(), 0, HINT), "set before the call");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aSuspensionEndsAnAwaitAtItsSafePoint(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = asleep(() -> false, r);
        LwpCtl c = Lwp.ctl(t);
        Lwp.suspend(t);
        await(() -> c.state() == Lwp.State.SUSPENDED, () -> "suspended, is " + c);
        assertNull(r.get(), "the await answers only once the LWP runs again");
        Lwp.resume(t);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.INTERRUPTED, r.get());
    }

    @Test
    void theHandOffUnparksItsTargetBeforeTheWait(Supervisor.Attachment a) {
        int me = Lwp.self();
        AtomicBoolean passed = new AtomicBoolean();
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> {
            r.set(Lwp.parkUntil(later(), HINT));
            passed.set(true);
            Lwp.unpark(me, HINT);
        });
        awaitSleeping(t);
        assertEquals(ParkResult.UNPARKED, Lwp.await(passed::get, later(), t, HINT));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get(), "the target was woken by the hand-off");
    }

    @Test
    void aHandOffToAMissingLwpIsEsrchAndNothingChanges(Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT);
        int parks = Lwp.ctl().parkCount();
        AtomicInteger asked = new AtomicInteger();
        expectErrno(Errno.ESRCH, () -> Lwp.await(() -> asked.incrementAndGet() < 0, later(), 9_999, HINT));
        assertEquals(0, asked.get(), "ready was not asked");
        assertEquals(parks, Lwp.ctl().parkCount());
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the failed call did not wait");
    }

    @Test
    void aNullConditionIsRefusedBeforeTheHandOff(Supervisor.Attachment a) {
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = Lwp.create(() -> r.set(Lwp.parkUntil(later(), HINT)));
        awaitSleeping(t);
        assertThrows(NullPointerException.class, () -> Lwp.await(null, later(), t, HINT));
        assertThrows(NullPointerException.class, () -> Lwp.await(null, HINT));
        assertEquals(Lwp.State.SLEEPING, Lwp.ctl(t).state(), "the target was not unparked");
        Lwp.unpark(t, HINT);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.UNPARKED, r.get());
    }

    @Test
    void aThreadThatIsNotAnLwpIsRefused() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread th = new Thread(() -> {
            try {
                Lwp.await(() -> true, HINT);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        th.start();
        th.join(LwpTestSupport.WAIT_MILLIS);
        assertFalse(th.isAlive(), "the call returned");
        assertInstanceOf(IllegalStateException.class, thrown.get());
    }

    @Test
    void aConditionThatThrowsPropagatesAndLeavesTheLwpAwakeWithNoPermitLost(Supervisor s, Supervisor.Attachment a) {
        Lwp.unpark(Lwp.self(), HINT);
        RuntimeException boom = new IllegalStateException("ready failed");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Lwp.await(() -> {
            throw boom;
        }, later(), 0, HINT)));
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the first ask throws before anything changes");

        AtomicInteger asked = new AtomicInteger();
        AtomicReference<Object> after = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                Lwp.await(() -> {
                    if (asked.incrementAndGet() > 1 && Lwp.ctl().parkCount() > 0) {
                        throw boom;
                    }
                    return false;
                }, later(), 0, HINT);
                after.set("returned");
            } catch (IllegalStateException e) {
                after.set(Lwp.ctl().state() == Lwp.State.RUNNING ? Lwp.parkUntil(in(5_000), HINT) : "asleep");
            }
        });
        awaitSleeping(t);
        Lwp.unpark(t, HINT); // taken by the sleep, then ready throws: the permit is pending again
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, after.get(), "the permit the await took was given back");
        assertEquals(0, s.sleepStats().linkedWaiters(), "nothing left in the table");
    }
}
