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
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: {@code Lwp.await(ready, ...)} loses no wake-up. A waker that makes the condition
 * true and then unparks (or names the waiter as its hand-off target) always ends the await
 * with UNPARKED, whether the waiter was still checking, spinning on the condition, or asleep;
 * a stale permit (an unpark that came while the waiter spun) is taken, never doubled; and a
 * wakeup racing an await always ends it INTERRUPTED, even one that found the waiter spinning,
 * which a plain park answers ALREADY.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t AwaitNeverLostTest -m quick}
 */
public class AwaitNeverLostTest {
    private AwaitNeverLostTest() {
    }

    /**
     * The waker makes the condition true, then unparks, at a random phase: {@code before} the
     * await begins, {@code racing} it, or {@code after} the waiter shows as sleeping (it has
     * spun and blocked). Reported: the phase, the await's outcome, and whether a permit was
     * left pending once both sides were done (ALREADY: the unpark came while the waiter did not
     * sleep; TIMED_OUT: nothing left).
     */
    @JCStressTest
    @Description("await vs make-ready-then-unpark before, during and after: never lost")
    @Outcome(id = "before, UNPARKED, ALREADY", expect = ACCEPTABLE,
            desc = "ready at once; the unpark stays pending, as with park, and was taken afterwards")
    @Outcome(id = "racing, UNPARKED, (ALREADY|TIMED_OUT)", expect = ACCEPTABLE,
            desc = "the await saw the condition; the unpark was pending or had woken or been taken by it")
    @Outcome(id = "after, UNPARKED, TIMED_OUT", expect = ACCEPTABLE,
            desc = "the unpark woke the sleeping await; nothing left")
    @Outcome(id = ".*, TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: the await never saw the condition")
    @Outcome(expect = FORBIDDEN, desc = "wrong outcome for the phase")
    @State
    public static class Phases {
        static final String[] PHASE = {"before", "racing", "after"};
        final int phase = ThreadLocalRandom.current().nextInt(3);
        volatile int waiter;
        volatile boolean ready;
        volatile boolean unparked;
        ParkResult awaited;
        ParkResult leftOver;

        @Actor
        public void await() {
            waiter = Actors.self();
            if (phase == 0) {
                Actors.await(() -> unparked);
            }
            awaited = Lwp.await(() -> ready, Actors.lostAfter(), 0, this);
            Actors.await(() -> unparked);
            leftOver = Actors.takePendingMark();
        }

        @Actor
        public void wake() {
            int w = Actors.peer(() -> waiter);
            if (phase == 2) {
                LwpCtl c = Lwp.ctl(w);
                Actors.await(() -> c.state() == Lwp.State.SLEEPING);
            }
            ready = true;
            Lwp.unpark(w, this);
            unparked = true;
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r1 = PHASE[phase];
            r.r2 = awaited;
            r.r3 = leftOver;
        }
    }

    /**
     * A round trip of hand-off awaits, as the ping-pong benchmark plays it: A passes the ball
     * and awaits it back naming B as its hand-off target; B awaits the ball, passes it back,
     * and unparks A. Each side's stale permits are taken afterwards. Both awaits answer UNPARKED.
     */
    @JCStressTest
    @Description("a round trip of hand-off awaits")
    @Outcome(id = "UNPARKED, UNPARKED", expect = ACCEPTABLE, desc = "each side saw the ball")
    @Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wake-up: B's unpark did not reach A")
    @Outcome(id = ".*, TIMED_OUT", expect = FORBIDDEN, desc = "lost wake-up: A's hand-off did not reach B")
    @Outcome(expect = FORBIDDEN, desc = "no other outcome is possible")
    @State
    public static class RoundTrip {
        private static final Object HINT = "await round trip";
        volatile int a;
        volatile int b;
        /** Who holds the ball: 0 A, 1 B, 2 A again. */
        volatile int ball;
        volatile int done;

        @Actor
        public void a(LL_Result r) {
            a = Actors.self();
            int partner = Actors.peer(() -> b);
            ball = 1;
            r.r1 = Lwp.await(() -> ball == 2, Actors.lostAfter(), partner, HINT);
            finish();
        }

        @Actor
        public void b(LL_Result r) {
            b = Actors.self();
            int partner = Actors.peer(() -> a);
            r.r2 = Lwp.await(() -> ball == 1, Actors.lostAfter(), 0, HINT);
            ball = 2;
            Lwp.unpark(partner, HINT);
            finish();
        }

        /** Once both sides are done, take this side's stale permit, if any. */
        private void finish() {
            synchronized (this) {
                done++;
            }
            Actors.await(() -> done == 2);
            Actors.takePendingMark();
        }
    }

    /**
     * A wakeup racing an await whose condition never holds: the wakeup finds the waiter asleep
     * (OK: the sleep ends INTERRUPTED) or not (ENODEV: its marks stay pending and the await,
     * spinning or about to sleep, sees them and answers INTERRUPTED). Never TIMED_OUT.
     */
    @JCStressTest
    @Description("await racing wakeup")
    @Outcome(id = "INTERRUPTED, (OK|ENODEV)", expect = ACCEPTABLE, desc = "the wakeup ended the await")
    @Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "lost wakeup: the await took its marks as a permit")
    @Outcome(expect = FORBIDDEN, desc = "no other outcome is possible")
    @State
    public static class VsWakeup {
        volatile int waiter;

        @Actor
        public void await(LL_Result r) {
            waiter = Actors.self();
            r.r1 = Lwp.await(() -> false, Actors.lostAfter(), 0, this);
        }

        @Actor
        public void wakeup(LL_Result r) {
            int w = Actors.peer(() -> waiter);
            r.r2 = Actors.errnoOf(() -> Lwp.wakeup(w));
        }
    }

    /**
     * Liveness: an await that a make-ready-then-unpark follows terminates. The await may see
     * the condition before the unpark is sent, so the one-call LWP stays until it has been
     * (else the unpark would find it gone: ESRCH).
     */
    @JCStressTest(Mode.Termination)
    @Description("an await followed by make-ready-then-unpark terminates")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the await returned")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "lost wake-up: the await never returned")
    @Outcome(expect = FORBIDDEN, desc = "the actor failed")
    @State
    public static class Termination {
        volatile int waiter;
        volatile boolean ready;
        volatile boolean sent;

        @Actor
        public void await() {
            Actors.asOneCallLwp(lid -> {
                waiter = lid;
                Lwp.await(() -> ready, this);
                Actors.await(() -> sent);
            });
        }

        @Signal
        public void wake() {
            ready = true;
            Lwp.unpark(Actors.peer(() -> waiter), this);
            sent = true;
        }
    }
}
