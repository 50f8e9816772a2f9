package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.ParkResult;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: an unpark sent before, during or after a park is never lost, and is delivered
 * exactly once. The park returns UNPARKED (it was asleep) or ALREADY (the unpark was pending),
 * never TIMED_OUT; once both sides are done no second copy of the unpark is left pending.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t UnparkNeverLostTest -m quick}
 */
public class UnparkNeverLostTest {
    private UnparkNeverLostTest() {
    }

    /**
     * Each state picks the phase of the unpark at random: {@code before} (it returns before the
     * park begins), {@code racing} (no hand-shake), {@code after} (it is sent once the parker
     * shows as sleeping). After both actors, the arbiter reports the phase, the park's outcome,
     * and whether the parker still had an unpark pending (ALREADY) or not (TIMED_OUT).
     */
    @JCStressTest
    @Description("park vs unpark before, during and after: never lost, delivered once")
    @Outcome(id = "before, ALREADY, TIMED_OUT", expect = ACCEPTABLE,
            desc = "the unpark was pending and consumed without sleeping; nothing left")
    @Outcome(id = "racing, UNPARKED, TIMED_OUT", expect = ACCEPTABLE, desc = "the unpark woke the sleep; nothing left")
    @Outcome(id = "racing, ALREADY, TIMED_OUT", expect = ACCEPTABLE, desc = "the unpark came first; nothing left")
    @Outcome(id = "after, UNPARKED, TIMED_OUT", expect = ACCEPTABLE, desc = "the unpark woke the sleep; nothing left")
    @Outcome(id = ".*, TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: the park never saw the unpark")
    @Outcome(id = ".*, ALREADY", expect = FORBIDDEN, desc = "the unpark was delivered twice (consumed and still pending)")
    @Outcome(expect = FORBIDDEN, desc = "wrong outcome for the phase (a pending unpark woke a sleep, or the reverse)")
    @State
    public static class Phases {
        static final String[] PHASE = {"before", "racing", "after"};
        final int phase = ThreadLocalRandom.current().nextInt(3);
        volatile int parker;
        volatile boolean unparked;
        ParkResult parked;
        ParkResult leftOver;

        @Actor
        public void park() {
            parker = Actors.self();
            if (phase == 0) {
                Actors.await(() -> unparked);
            }
            parked = Lwp.parkUntil(Actors.lostAfter(), this);
            Actors.await(() -> unparked);
            leftOver = Actors.takePendingMark();
        }

        @Actor
        public void unpark() {
            int p = Actors.peer(() -> parker);
            if (phase == 2) {
                LwpCtl c = Lwp.ctl(p);
                Actors.await(() -> c.state() == Lwp.State.SLEEPING);
            }
            Lwp.unpark(p, this);
            unparked = true;
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r1 = PHASE[phase];
            r.r2 = parked;
            r.r3 = leftOver;
        }
    }

    /** Liveness: a park that an unpark follows terminates (a lost unpark leaves it stale). */
    @JCStressTest(Mode.Termination)
    @Description("a park followed by an unpark terminates")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the park returned")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the park never returned")
    @Outcome(expect = FORBIDDEN, desc = "the actor failed")
    @State
    public static class Termination {
        volatile int parker;

        @Actor
        public void park() {
            Actors.asOneCallLwp(lid -> {
                parker = lid;
                Lwp.park(this);
            });
        }

        @Signal
        public void unpark() {
            Lwp.unpark(Actors.peer(() -> parker), this);
        }
    }
}
