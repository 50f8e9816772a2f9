package org.lwp4j.stress.kern;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.Lwp;
import org.lwp4j.Supervisor;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Property: a create that takes a thread from the LWP cache always gets one that runs its LWP,
 * even while that thread is returning to the cache and, its idle time being zero, leaving it
 * at once (LwpCache: IDLE, RESERVED and RETIRED are decided under the cache's monitor, and a
 * RESERVED thread waits for its hand-off without a bound).
 *
 * <p>The returner creates an LWP that ends at once and collects it: its thread goes back to
 * the cache and, with an idle time of zero, tries to leave it right away. The creator creates
 * an LWP at the same time, which may take that thread. The creator then gives its LWP five
 * seconds to run (a thread that left the cache after being taken would never run it) and
 * collects it if it ran. The outcome says whether the creator's LWP ran, and whether it ran on
 * the thread the returner's LWP had just left.
 *
 * <p>The supervisor is this test's own (idle time zero), not {@code Actors.SUPERVISOR}; the
 * actor threads attach to it as LWPs of init on first use and stay attached (jcstress runs each
 * test in its own JVM).
 *
 * <p>Run (in stress/target/jcstress-run):
 * {@code java -jar ../jcstress.jar -m sanity -sc false -t LwpCacheTakeVsRetireTest}
 */
@JCStressTest
@Description("LWP cache: a create taking a thread that returns to the cache and leaves it at once")
@Outcome(id = "RAN NEW", expect = ACCEPTABLE, desc = "the creator's LWP ran on another thread")
@Outcome(id = "RAN REUSED", expect = ACCEPTABLE_INTERESTING,
        desc = "the creator's LWP ran on the thread the returner's LWP had just left")
@Outcome(id = "NEVER RAN", expect = FORBIDDEN, desc = "the create took a thread that ended: its LWP never ran")
@Outcome(expect = FORBIDDEN, desc = "any other answer")
@State
public class LwpCacheTakeVsRetireTest {
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(5);
    static final Supervisor SUP = Supervisor.builder().lwpCacheIdle(Duration.ZERO).start();
    private static final ThreadLocal<Supervisor.Attachment> ME = new ThreadLocal<>();

    volatile Thread returned;
    volatile boolean returnerDone;

    private static void attach() {
        if (ME.get() == null) {
            ME.set(SUP.attach());
        }
    }

    @Actor
    public void returner() {
        attach();
        int lid = Lwp.create(() -> returned = Thread.currentThread());
        Lwp.waitFor(lid);
        returnerDone = true;
    }

    @Actor
    public void creator(L_Result r) {
        attach();
        AtomicInteger ran = new AtomicInteger();
        Thread[] on = new Thread[1];
        int lid = Lwp.create(() -> {
            on[0] = Thread.currentThread();
            ran.incrementAndGet();
        });
        long giveUp = System.nanoTime() + RUN_NANOS;
        while (ran.get() == 0 && System.nanoTime() - giveUp < 0) {
            Thread.yield();
        }
        if (ran.get() == 0) {
            r.r1 = "NEVER RAN"; // lid left for the JVM's end: this run has failed
            return;
        }
        Lwp.waitFor(lid);
        giveUp = System.nanoTime() + RUN_NANOS;
        while (!returnerDone && System.nanoTime() - giveUp < 0) {
            Thread.yield();
        }
        r.r1 = ran.get() != 1 ? "RAN " + ran.get() + " TIMES" : on[0] == returned ? "RAN REUSED" : "RAN NEW";
    }
}
