package org.lwp4j.stress.kern;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.kern.ExitQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LZ_Result;

/**
 * Property: the dead-LWP hand-off ({@code ExitQueue}, a Treiber stack reversed by its one
 * consumer) hands every offered item to the consumer exactly once, in offer order per producer,
 * while producers race each other and the consumer's polls; and the consumer's sleep protocol
 * holds: some offer answers "was empty" whenever the consumer found the queue empty before it.
 *
 * <p>Producer A offers 1 then 3; the consumer, a producer too, offers 2 and then polls twice
 * (racing A's offers: a poll takes what is there and never waits for A); the arbiter drains the
 * rest. (Two actors: a third would not run on the 2-CPU machines this project is tested on.) r1 is the order the items came out in; r2 whether an offer answered true
 * (was empty): it must, since the queue starts empty.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t ExitQueueHandOffTest -m quick}
 */
@JCStressTest
@Description("ExitQueue: each item exactly once, FIFO per producer, an empty queue is reported")
@Outcome(id = {"123, true", "132, true", "213, true"}, expect = ACCEPTABLE,
        desc = "every item once, A's 1 before its 3, in some interleaving with B's 2")
@Outcome(id = "..., false", expect = FORBIDDEN, desc = "no offer saw the queue empty: a sleeping consumer would not be woken")
@Outcome(expect = FORBIDDEN, desc = "an item lost, duplicated, or A's items out of order")
@State
public class ExitQueueHandOffTest {
    private final ExitQueue<ExitQueue.Box<Integer>> q = new ExitQueue<>();
    private final StringBuilder out = new StringBuilder(); // the consumer's, then the arbiter's
    private volatile boolean emptyA, emptyA3, emptyB2;

    @Actor
    public void producerA() {
        emptyA = q.offer(new ExitQueue.Box<>(1));
        emptyA3 = q.offer(new ExitQueue.Box<>(3));
    }

    @Actor
    public void consumer() {
        emptyB2 = q.offer(new ExitQueue.Box<>(2));
        for (int i = 0; i < 2; i++) {
            ExitQueue.Box<Integer> e = q.poll();
            if (e != null) {
                out.append(e.item);
            }
        }
    }

    @Arbiter
    public void drain(LZ_Result r) {
        for (ExitQueue.Box<Integer> e; (e = q.poll()) != null; ) {
            out.append(e.item);
        }
        r.r1 = out.toString();
        r.r2 = emptyA || emptyA3 || emptyB2;
    }
}
