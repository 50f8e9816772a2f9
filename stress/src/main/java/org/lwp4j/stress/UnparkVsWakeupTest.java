package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import org.lwp4j.Lwp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: two wakers racing one park (an unpark and a wakeup, sent in an order each state
 * picks at random) give it exactly one outcome, and the waker that lost leaves its mark pending
 * rather than vanishing. Reported: the park's outcome, the wakeup's answer, and whether a mark
 * was still pending once both were sent.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t UnparkVsWakeupTest -m quick}
 */
@JCStressTest
@Description("unpark and wakeup racing one park")
@Outcome(id = "UNPARKED, ENODEV, ALREADY", expect = ACCEPTABLE,
        desc = "the unpark woke the sleep; the wakeup found it not sleeping and left its marks")
@Outcome(id = "INTERRUPTED, OK, ALREADY", expect = ACCEPTABLE,
        desc = "the wakeup woke the sleep; the unpark came after and stayed pending")
@Outcome(id = "ALREADY, ENODEV, TIMED_OUT", expect = ACCEPTABLE,
        desc = "both came before the park, which consumed both marks at once")
@Outcome(id = "ALREADY, ENODEV, ALREADY", expect = ACCEPTABLE,
        desc = "one came before the park (consumed), the other after it (pending)")
@Outcome(id = "(UNPARKED|INTERRUPTED), .*, TIMED_OUT", expect = FORBIDDEN, desc = "the losing waker's mark vanished")
@Outcome(id = "UNPARKED, OK, .*", expect = FORBIDDEN, desc = "both wakers claimed the same sleep")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up")
@Outcome(expect = FORBIDDEN, desc = "the park and the wakers disagree")
@State
public class UnparkVsWakeupTest {
    final boolean unparkFirst = ThreadLocalRandom.current().nextBoolean();
    volatile int parker;
    volatile boolean sent;

    @Actor
    public void park(LLL_Result r) {
        parker = Actors.self();
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), this);
        Actors.await(() -> sent);
        r.r3 = Actors.takePendingMark();
    }

    @Actor
    public void wakers(LLL_Result r) {
        int p = Actors.peer(() -> parker);
        if (unparkFirst) {
            Lwp.unpark(p, this);
            r.r2 = Actors.errnoOf(() -> Lwp.wakeup(p));
        } else {
            r.r2 = Actors.errnoOf(() -> Lwp.wakeup(p));
            Lwp.unpark(p, this);
        }
        sent = true;
    }
}
