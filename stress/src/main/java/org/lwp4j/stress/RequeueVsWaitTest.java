package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import org.lwp4j.ParkingLot;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: requeue and wake lose no sleeper. A waiter sleeps on hint {@code from} while a flag
 * is clear. The other actor sets the flag and then, in a way each state picks at random, either
 * moves the sleeper ({@code requeue(from, to, 0, 1)}) and wakes it on {@code to}
 * ({@code wake(to, 1)}), or wakes it through the requeue itself ({@code requeue(from, to, 1, 1)}).
 * The waiter either saw the flag (INVALID) or was moved and woken, or woken: never left asleep,
 * never woken twice, never moved where no wake follows.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t RequeueVsWaitTest -m quick}
 */
@JCStressTest
@Description("ParkingLot.wait racing requeue-then-wake, or requeue-wake")
@Outcome(id = "move, INVALID, moved 0 woken 0", expect = ACCEPTABLE, desc = "validate saw the change; nobody slept")
@Outcome(id = "move, UNPARKED, moved 1 woken 1", expect = ACCEPTABLE, desc = "moved to the new hint and woken there")
@Outcome(id = "wake, INVALID, moved 0 woken 0", expect = ACCEPTABLE, desc = "validate saw the change; nobody slept")
@Outcome(id = "wake, UNPARKED, moved 0 woken 1", expect = ACCEPTABLE, desc = "woken by the requeue")
@Outcome(id = ".*, TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake: the sleeper was missed or moved out of reach")
@Outcome(expect = FORBIDDEN, desc = "counts that do not match what the waiter saw")
@State
public class RequeueVsWaitTest {
    final boolean viaMove = ThreadLocalRandom.current().nextBoolean();
    final Object from = new Object();
    final Object to = new Object();
    volatile boolean changed;

    @Actor
    public void waiter(LLL_Result r) {
        Actors.self();
        r.r2 = ParkingLot.wait(from, () -> !changed, Actors.lostAfter());
    }

    @Actor
    public void requeuer(LLL_Result r) {
        Actors.self();
        changed = true;
        int moved, woken;
        if (viaMove) {
            moved = ParkingLot.requeue(from, to, 0, 1).moved();
            woken = ParkingLot.wake(to, 1);
        } else {
            ParkingLot.Requeued q = ParkingLot.requeue(from, to, 1, 1);
            moved = q.moved();
            woken = q.woken();
        }
        r.r1 = viaMove ? "move" : "wake";
        r.r3 = "moved " + moved + " woken " + woken;
    }
}
