package org.lwp4j.stress.exec;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.lwp4j.exec.LwpExecutorService;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LII_Result;

/**
 * Property: a task given to {@link LwpExecutorService#execute} while {@code shutdownNow} runs
 * is never lost: it is rejected, or answered by shutdownNow, or run; exactly one of them. And
 * the pool terminates.
 *
 * <p>The pool (one LWP of the stress parent) is made per state. One actor executes a task that
 * counts its run; the other calls shutdownNow. The arbiter awaits termination (bounded): r1 is
 * ACCEPTED / REJECTED (STUCK if the pool never terminated), r2 how many tasks shutdownNow
 * answered, r3 how many times the task ran.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t ShutdownNowVsExecuteTest -m quick}
 */
@JCStressTest
@Description("execute racing shutdownNow: the task is rejected, handed back or run, exactly once")
@Outcome(id = "ACCEPTED, 1, 0", expect = ACCEPTABLE, desc = "queued, then handed back by shutdownNow")
@Outcome(id = "ACCEPTED, 0, 1", expect = ACCEPTABLE, desc = "a worker took it before shutdownNow")
@Outcome(id = "REJECTED, 0, 0", expect = ACCEPTABLE, desc = "shutdownNow came first")
@Outcome(id = "ACCEPTED, 0, 0", expect = FORBIDDEN, desc = "lost: accepted, neither run nor handed back")
@Outcome(expect = FORBIDDEN, desc = "run twice, handed back and run, or the pool never terminated")
@State
public class ShutdownNowVsExecuteTest {
    final LwpExecutorService pool = Actors.inParent(() -> new LwpExecutorService(1));
    volatile int ran;
    volatile String accepted = "?";
    volatile int handedBack;

    @Actor
    public void executor() {
        try {
            pool.execute(() -> ran++);
            accepted = "ACCEPTED";
        } catch (RejectedExecutionException e) {
            accepted = "REJECTED";
        }
    }

    @Actor
    public void stopper() {
        handedBack = pool.shutdownNow().size();
    }

    @Arbiter
    public void arbiter(LII_Result r) {
        boolean done;
        try {
            done = pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            done = false;
        }
        r.r1 = done ? accepted : "STUCK";
        r.r2 = handedBack;
        r.r3 = ran;
    }
}
