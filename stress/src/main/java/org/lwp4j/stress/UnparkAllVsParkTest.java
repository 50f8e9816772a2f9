package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: {@code unparkAll} racing parkers loses no wake-up: each id that names an LWP is
 * unparked (woken if asleep, else left pending), ids that name nothing are skipped.
 *
 * <p>One actor parks; the other unparks, in one call, that parker, an unknown id and itself, and
 * then parks itself. Reported: the parker's outcome, the caller's own park, and the count of
 * ids that named an LWP.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t UnparkAllVsParkTest -m quick}
 */
@JCStressTest
@Description("unparkAll racing a parker, with the caller's own id and an unknown id")
@Outcome(id = "UNPARKED, ALREADY, 2", expect = ACCEPTABLE, desc = "woke the sleeping parker; own unpark pending")
@Outcome(id = "ALREADY, ALREADY, 2", expect = ACCEPTABLE, desc = "the parker found its unpark pending")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up of the parker")
@Outcome(id = ".*, TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost unpark of the caller's own id")
@Outcome(expect = FORBIDDEN, desc = "wrong count, or another outcome")
@State
public class UnparkAllVsParkTest {
    /** An id no LWP has in these tests. */
    private static final int NOBODY = 999_999;

    volatile int parker;

    @Actor
    public void park(LLL_Result r) {
        parker = Actors.self();
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), this);
    }

    @Actor
    public void unparkAll(LLL_Result r) {
        int p = Actors.peer(() -> parker);
        r.r3 = Lwp.unparkAll(new int[] {p, NOBODY, Actors.self()}, this);
        r.r2 = Lwp.parkUntil(Actors.lostAfter(), this);
    }
}
