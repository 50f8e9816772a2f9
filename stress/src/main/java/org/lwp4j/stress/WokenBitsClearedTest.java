package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Property: a sleep that a waker ended leaves its bits in the park word (SLEEPING with WOKEN)
 * until the next sleep clears them, and nobody takes that word for a sleeper. Actor S parks,
 * reads its own state, parks again, then looks for a leftover permit; actor W unparks S once,
 * waits until S is past its first park, and unparks it again, racing the second park, which
 * begins on the word the first left. Both parks end (UNPARKED or ALREADY), S sees itself
 * RUNNING between them, and no permit is left over (the second unpark is neither lost on the
 * stale word nor counted twice).
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t WokenBitsClearedTest -m quick}
 */
@JCStressTest
@Description("an unpark racing the park after a woken park")
@Outcome(id = "(UNPARKED|ALREADY), RUNNING, (UNPARKED|ALREADY), TIMED_OUT", expect = ACCEPTABLE,
        desc = "each unpark ended one park, or was pending for it")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: the first unpark")
@Outcome(id = ".*, .*, TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: the second unpark, on the stale word")
@Outcome(id = ".*, SLEEPING, .*", expect = FORBIDDEN, desc = "a running LWP seen asleep: stale bits read as a sleep")
@Outcome(id = ".*, .*, .*, (UNPARKED|ALREADY)", expect = FORBIDDEN, desc = "a permit left over")
@Outcome(expect = FORBIDDEN, desc = "no other outcome is possible")
@State
public class WokenBitsClearedTest {
    private static final Object HINT = "woken bits";

    volatile int s;
    volatile boolean pastFirst;

    @Actor
    public void sleeper(LLLL_Result r) {
        s = Actors.self();
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), HINT);
        r.r2 = Lwp.ctl().state();
        pastFirst = true;
        r.r3 = Lwp.parkUntil(Actors.lostAfter(), HINT);
        r.r4 = Actors.takePendingMark();
    }

    @Actor
    public void waker() {
        Actors.self();
        Actors.await(() -> s != 0);
        Lwp.unpark(s, HINT);
        Actors.await(() -> pastFirst);
        Lwp.unpark(s, HINT);
    }
}
