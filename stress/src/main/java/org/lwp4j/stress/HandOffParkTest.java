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
 * Property: a hand-off park ({@code park(deadline, unparkLid, ...)}) unparks its target before
 * it sleeps, so a ping-pong of hand-offs loses no wake-up. Actor A parks and, once woken, unparks
 * B; actor B parks with a hand-off to A. Both parks return UNPARKED or ALREADY.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t HandOffParkTest -m quick}
 */
@JCStressTest
@Description("park racing a hand-off park that names it")
@Outcome(id = "(UNPARKED|ALREADY), (UNPARKED|ALREADY)", expect = ACCEPTABLE,
        desc = "each park was woken, or found its unpark pending")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: the hand-off did not reach A")
@Outcome(id = ".*, TIMED_OUT", expect = FORBIDDEN, desc = "lost wake-up: A's unpark did not reach B")
@Outcome(expect = FORBIDDEN, desc = "no other outcome is possible")
@State
public class HandOffParkTest {
    private static final Object HINT_A = "hand-off A";
    private static final Object HINT_B = "hand-off B";

    volatile int a;
    volatile int b;

    @Actor
    public void parkThenUnparkB(LL_Result r) {
        a = Actors.self();
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), HINT_A);
        Lwp.unpark(b, HINT_B); // b was published before B's hand-off, which A's park waited for
    }

    @Actor
    public void handOffParkB(LL_Result r) {
        b = Actors.self();
        int partner = Actors.peer(() -> a);
        r.r2 = Lwp.park(Actors.lostAfter(), partner, HINT_B, HINT_A);
    }
}
