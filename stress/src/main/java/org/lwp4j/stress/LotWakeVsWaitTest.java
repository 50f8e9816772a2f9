package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.lwp4j.ParkingLot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: the parking lot loses no wake between {@code validate} and the sleep. A waiter sleeps
 * on a hint while a flag is clear; a waker sets the flag and then calls {@code wake(hint, n)}.
 * Either validate saw the flag (INVALID, nobody to wake) or the wake found the waiter asleep
 * (UNPARKED, one woken); the waiter never sleeps on.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t LotWakeVsWaitTest -m quick}
 */
public class LotWakeVsWaitTest {
    private LotWakeVsWaitTest() {
    }

    /** wait(hint, !flag) racing (flag = true; wake(hint, 1)). Reported: the wait, the count woken. */
    @JCStressTest
    @Description("ParkingLot.wait(validate) racing a condition change and wake(hint, 1)")
    @Outcome(id = "INVALID, 0", expect = ACCEPTABLE, desc = "validate saw the change; nobody slept")
    @Outcome(id = "UNPARKED, 1", expect = ACCEPTABLE, desc = "the wake found the waiter asleep")
    @Outcome(id = "TIMED_OUT, 0", expect = FORBIDDEN, desc = "lost wake: slept past the change and the wake")
    @Outcome(expect = FORBIDDEN, desc = "a wake counted without a waiter, or another outcome")
    @State
    public static class OneWaiter {
        volatile boolean changed;

        @Actor
        public void waiter(LL_Result r) {
            Actors.self();
            r.r1 = ParkingLot.wait(this, () -> !changed, Actors.lostAfter());
        }

        @Actor
        public void waker(LL_Result r) {
            Actors.self();
            changed = true;
            r.r2 = ParkingLot.wake(this, 1);
        }
    }

    /** Liveness: a waiter whose condition changes and is woken terminates. */
    @JCStressTest(Mode.Termination)
    @Description("a ParkingLot waiter terminates once its condition changes and wake is called")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the waiter saw the change")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake: the waiter sleeps on")
    @Outcome(expect = FORBIDDEN, desc = "the actor failed")
    @State
    public static class Termination {
        volatile boolean changed;

        @Actor
        public void waiter() {
            Actors.asOneCallLwp(lid -> {
                while (!changed) {
                    ParkingLot.wait(this, () -> !changed, Lwp.FOREVER);
                }
            });
        }

        @Signal
        public void waker() {
            Actors.self();
            changed = true;
            ParkingLot.wake(this, 1);
        }
    }
}
