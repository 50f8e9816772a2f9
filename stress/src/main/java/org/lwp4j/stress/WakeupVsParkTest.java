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
 * Property: {@code wakeup} racing a park agrees with it. Either the wakeup found the LWP
 * asleep (it answers OK and the park returns INTERRUPTED), or it did not (ENODEV: its marks stay
 * pending and the park returns ALREADY). Never both, never neither. Reported: the park's
 * outcome, the wakeup's answer.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t WakeupVsParkTest -m quick}
 */
@JCStressTest
@Description("park racing wakeup")
@Outcome(id = "INTERRUPTED, OK", expect = ACCEPTABLE, desc = "the wakeup woke the sleeping park")
@Outcome(id = "ALREADY, ENODEV", expect = ACCEPTABLE, desc = "not asleep yet: the marks stayed pending for the park")
@Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up")
@Outcome(id = ".*, EBUSY", expect = FORBIDDEN, desc = "a park is an interruptible sleep")
@Outcome(expect = FORBIDDEN, desc = "the park and the wakeup disagree")
@State
public class WakeupVsParkTest {
    volatile int parker;

    @Actor
    public void park(LL_Result r) {
        parker = Actors.self();
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), this);
    }

    @Actor
    public void wakeup(LL_Result r) {
        int p = Actors.peer(() -> parker);
        r.r2 = Actors.errnoOf(() -> Lwp.wakeup(p));
    }
}
