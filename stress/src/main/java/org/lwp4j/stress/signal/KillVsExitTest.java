package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Sig;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Property: a terminating signal racing the process's own exit: the process exits exactly once,
 * with the status of whichever came first (exit code 3, or SIGTERM); kill succeeds whether it
 * finds the process live, exiting or a zombie.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t KillVsExitTest -m quick}
 */
public class KillVsExitTest {
    private KillVsExitTest() {
    }

    /**
     * A fresh child of the stress parent (one LWP, parked). One actor, as an LWP of the parent,
     * sends it SIGTERM; the other enters the child as an LWP and calls exit(3) (LATE if the
     * child was already exiting when it tried to enter). The arbiter reaps the child and reports
     * kill's answer, the exiting actor's fate, the status and how many process exits ran.
     */
    @JCStressTest
    @Description("kill(SIGTERM) vs exit(3): one exit, the status of the first")
    @Outcome(id = "OK, EXIT, 3, 1", expect = ACCEPTABLE, desc = "exit came first; kill found it exiting or a zombie")
    @Outcome(id = "OK, EXIT, SIGTERM, 1", expect = ACCEPTABLE,
            desc = "the actor got in, but the signal was taken first; its exit only ended its LWP")
    @Outcome(id = "OK, LATE, SIGTERM, 1", expect = ACCEPTABLE, desc = "killed before the actor could get in")
    @Outcome(id = ".*, .*, .*, [^1]", expect = FORBIDDEN, desc = "not exactly one process exit")
    @Outcome(id = "ESRCH, .*", expect = FORBIDDEN, desc = "kill missed a process that was not reaped yet")
    @Outcome(expect = FORBIDDEN, desc = "a status that does not match who came first, stuck, or an actor failed")
    @State
    public static class Race {
        final int child;
        volatile String killed = "?", exited = "?";

        public Race() {
            child = Actors.forkSleeper();
            Actors.countExits(child);
        }

        @Actor
        public void kill() {
            killed = Actors.kill(child, Sig.SIGTERM);
        }

        @Actor
        public void exit() {
            exited = Actors.exitIn(child, 3);
        }

        @Arbiter
        public void arbiter(LLLL_Result r) {
            r.r3 = Actors.statusOf(Actors.reapBounded(child));
            r.r1 = killed;
            r.r2 = exited;
            r.r4 = Actors.exitsOf(child);
        }
    }
}
