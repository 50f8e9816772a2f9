package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: pending unparks do not accumulate. Two unparks race to the same LWP while it is not
 * parked (one sent by the LWP itself, one by the other actor); afterwards its first park
 * returns ALREADY and a second look finds nothing pending (TIMED_OUT): one permit, not two.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t PermitsDoNotAccumulateTest -m quick}
 */
@JCStressTest
@Description("two racing unparks leave one pending unpark")
@Outcome(id = "ALREADY, TIMED_OUT", expect = ACCEPTABLE, desc = "one permit: consumed by the first park")
@Outcome(id = "ALREADY, ALREADY", expect = FORBIDDEN, desc = "permits accumulated")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "both unparks were lost")
@Outcome(expect = FORBIDDEN, desc = "no other outcome is possible")
@State
public class PermitsDoNotAccumulateTest {
    volatile int target;
    volatile boolean otherSent;

    @Actor
    public void self(LL_Result r) {
        int me = Actors.self();
        target = me;
        Lwp.unpark(me, this);
        Actors.await(() -> otherSent);
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), this);
        r.r2 = Actors.takePendingMark();
    }

    @Actor
    public void other() {
        Lwp.unpark(Actors.peer(() -> target), this);
        otherSent = true;
    }
}
