package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.lwp4j.Lwp;
import org.lwp4j.ParkResult;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: an unpark, a deadline and a {@code Thread.interrupt} racing one park give exactly
 * one outcome, and each event is accounted for exactly once: what the park did not consume is
 * still there afterwards (the interrupt status stays set, the unpark stays pending), and what it
 * reports it has consumed.
 *
 * <p>The parker parks with a deadline a few microseconds away; the other actor sends the unpark
 * and the interrupt, in an order each state picks at random. Once both are sent the parker
 * reports its outcome, whether its interrupt status was still set, and whether an unpark was
 * still pending.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t UnparkTimeoutInterruptTest -m quick}
 */
@JCStressTest
@Description("unpark vs deadline vs interrupt: exactly one outcome, nothing lost or doubled")
@Outcome(id = "UNPARKED, interrupt kept, unpark spent", expect = ACCEPTABLE, desc = "the unpark woke the sleep first")
@Outcome(id = "ALREADY, interrupt kept, unpark spent", expect = ACCEPTABLE, desc = "the unpark was pending when the park began")
@Outcome(id = "INTERRUPTED, interrupt spent, unpark kept", expect = ACCEPTABLE, desc = "the interrupt ended the sleep first")
@Outcome(id = "TIMED_OUT, interrupt kept, unpark kept", expect = ACCEPTABLE, desc = "the deadline passed first")
@Outcome(id = ".*, interrupt spent, unpark spent", expect = FORBIDDEN, desc = "one event was consumed without being reported")
@Outcome(id = "UNPARKED, .*, unpark kept", expect = FORBIDDEN, desc = "the unpark was delivered twice")
@Outcome(id = "INTERRUPTED, interrupt kept, .*", expect = FORBIDDEN, desc = "INTERRUPTED without consuming the interrupt")
@Outcome(expect = FORBIDDEN, desc = "two outcomes mixed")
@State
public class UnparkTimeoutInterruptTest {
    private static final long SHORT = TimeUnit.MICROSECONDS.toNanos(50);

    final boolean unparkFirst = ThreadLocalRandom.current().nextBoolean();
    volatile Thread parkerThread;
    volatile int parker;
    volatile boolean sent;

    @Actor
    public void park(LLL_Result r) {
        parkerThread = Thread.currentThread();
        parker = Actors.self();
        r.r1 = Lwp.parkUntil(System.nanoTime() + SHORT, this);
        Actors.await(() -> sent);
        r.r2 = Thread.interrupted() ? "interrupt kept" : "interrupt spent";
        r.r3 = Actors.takePendingMark() == ParkResult.ALREADY ? "unpark kept" : "unpark spent";
    }

    @Actor
    public void unparkAndInterrupt() {
        int p = Actors.peer(() -> parker);
        if (unparkFirst) {
            Lwp.unpark(p, this);
            parkerThread.interrupt();
        } else {
            parkerThread.interrupt();
            Lwp.unpark(p, this);
        }
        sent = true;
    }
}
