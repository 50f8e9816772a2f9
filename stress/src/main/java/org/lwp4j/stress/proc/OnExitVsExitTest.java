package org.lwp4j.stress.proc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.WaitResult;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: {@code Proc.onExit} racing the process's exit is never lost: whether the future is
 * asked for before, during or after the exit (the kill, the zombie, its last LWP leaving), it
 * completes, with the report of the kill, and the zombie is still there to be reaped (WNOWAIT).
 *
 * <p>Each actor acts as an LWP of the parent for its call. One asks for the future of a sleeping child of the stress parent; the other kills the
 * child. The arbiter reaps the child as the parent (bounded) and then reads the future (bounded):
 * r1 is the future's report, r2 the reaped one.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t OnExitVsExitTest -m quick}
 */
@JCStressTest
@Description("onExit racing the exit: the future completes with the kill, the zombie is still reapable")
@Outcome(id = "KILLED, KILLED", expect = ACCEPTABLE, desc = "the future and the reap both saw the kill")
@Outcome(id = "LOST, .*", expect = FORBIDDEN, desc = "the future never completed")
@Outcome(expect = FORBIDDEN, desc = "wrong report, an error, or the zombie was gone")
@State
public class OnExitVsExitTest {
    final int proc = Actors.forkSleeper();
    volatile CompletableFuture<WaitResult> future;
    volatile String error;

    @Actor
    public void asker() {
        try {
            future = Actors.inParent(() -> Proc.onExit(proc));
        } catch (RuntimeException e) {
            error = e.toString();
        }
    }

    @Actor
    public void killer() {
        Actors.runInParent(() -> Signals.kill(proc, Sig.SIGKILL));
    }

    private String describe(WaitResult r) {
        return r == null ? "STUCK" : r.pid() == proc && r.signaled() && r.termSig() == Sig.SIGKILL ? "KILLED" : r.toString();
    }

    @Arbiter
    public void arbiter(LL_Result r) {
        WaitResult reaped = Actors.reapBounded(proc);
        r.r2 = describe(reaped);
        if (error != null) {
            r.r1 = error;
            return;
        }
        try {
            r.r1 = describe(future.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            r.r1 = "LOST";
        } catch (Exception e) {
            r.r1 = e.toString();
        }
    }
}
