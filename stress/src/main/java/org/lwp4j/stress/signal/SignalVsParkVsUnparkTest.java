package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lwp4j.Lwp;
import org.lwp4j.ParkResult;
import org.lwp4j.Sig;
import org.lwp4j.SigInfo;
import org.lwp4j.Signals;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Property: a caught signal and an unpark racing a park: the park ends with exactly one
 * outcome, neither wake-up is lost, and each is delivered once. If the signal ended the park
 * (INTERRUPTED), its handler ran on the parked LWP before park returned and the unpark stays
 * pending; if the unpark ended it (or was pending), the handler runs at a later safe point.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t SignalVsParkVsUnparkTest -m quick}
 */
public class SignalVsParkVsUnparkTest {
    private SignalVsParkVsUnparkTest() {
    }

    /**
     * Two LWPs of one process: one parks (its private object counts SIGUSR1 deliveries to it),
     * the other unparks it and sends it SIGUSR1 with {@code _lwp_kill}, in either order. (Two
     * actors, not three, so that the test runs on two CPUs.) The arbiter reports the
     * park's outcome, the handler runs seen when park returned, whether an unpark was still
     * pending afterwards (ALREADY) or not (TIMED_OUT), and the handler runs in all.
     */
    @JCStressTest
    @Description("_lwp_kill vs _lwp_unpark vs _lwp_park: one outcome, nothing lost, each delivered once")
    @Outcome(id = "UNPARKED, [01], TIMED_OUT, 1", expect = ACCEPTABLE,
            desc = "the unpark woke the sleep; the handler ran before the park or at the next safe point")
    @Outcome(id = "ALREADY, [01], TIMED_OUT, 1", expect = ACCEPTABLE,
            desc = "the unpark came before the park; the handler ran before or after it")
    @Outcome(id = "INTERRUPTED, 1, ALREADY, 1", expect = ACCEPTABLE,
            desc = "the signal ended the sleep and its handler ran first; the later unpark stays pending")
    @Outcome(id = "TIMED_OUT, .*", expect = FORBIDDEN, desc = "both wake-ups lost")
    @Outcome(id = "INTERRUPTED, 0, .*", expect = FORBIDDEN, desc = "park returned before the handler ran")
    @Outcome(id = "INTERRUPTED, 1, TIMED_OUT, .*", expect = FORBIDDEN, desc = "the unpark was lost")
    @Outcome(id = ".*, [^1]", expect = FORBIDDEN, desc = "the signal was lost or delivered twice")
    @Outcome(expect = FORBIDDEN, desc = "any other outcome (an unpark delivered twice, an actor failed)")
    @State
    public static class Race {
        final AtomicInteger handled = new AtomicInteger();
        volatile int parker;
        /** The waker sends both, in an order chosen per state; the park races both. */
        final boolean signalFirst = ThreadLocalRandom.current().nextBoolean();
        volatile boolean woken;
        ParkResult parked, leftOver;
        int handledAtReturn, handledAtEnd;

        @Actor
        public void park() {
            Actors.runInParent(() -> {
                Lwp.setPrivate((Consumer<SigInfo>) info -> handled.incrementAndGet());
                parker = Lwp.self();
                parked = Lwp.parkUntil(Actors.lostAfter(), this);
                handledAtReturn = handled.get();
                Actors.await(() -> woken);
                leftOver = Actors.takePendingMark();
                handledAtEnd = handled.get();
                Lwp.setPrivate(null);
            });
        }

        @Actor
        public void wake() {
            Actors.runInParent(() -> {
                Actors.await(() -> parker != 0);
                if (signalFirst) {
                    Signals.lwpKill(parker, Sig.SIGUSR1);
                    Lwp.unpark(parker, this);
                } else {
                    Lwp.unpark(parker, this);
                    Signals.lwpKill(parker, Sig.SIGUSR1);
                }
                woken = true;
            });
        }

        @Arbiter
        public void arbiter(LLLL_Result r) {
            r.r1 = parked;
            r.r2 = handledAtReturn;
            r.r3 = leftOver;
            r.r4 = handledAtEnd;
        }
    }
}
