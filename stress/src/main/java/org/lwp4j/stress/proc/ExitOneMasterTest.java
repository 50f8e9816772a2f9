package org.lwp4j.stress.proc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.WaitResult;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Property: two LWPs of one process calling exit at once: exactly one performs the process exit
 * (one at-exit hook run, one zombie), and the process's status is the one that LWP passed; the
 * other LWP just ends. An LWP that arrives once the exit has begun cannot join the process.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t ExitOneMasterTest -m quick}
 */
public class ExitOneMasterTest {
    private ExitOneMasterTest() {
    }

    /**
     * Each actor enters the process (a fresh child of the stress parent that parks until its
     * exit) as an attached LWP and calls exit with its own status. The arbiter reports each
     * actor's fate (EXIT: it called exit and was unwound; LATE: the process was already exiting
     * when it tried to enter), the status the parent reaped and how many process exits the
     * at-exit hook saw.
     */
    @JCStressTest
    @Description("exit racing exit: one master, its status, one at-exit run")
    @Outcome(id = "EXIT, EXIT, 1, 1", expect = ACCEPTABLE, desc = "both raced; actor 1 was the master")
    @Outcome(id = "EXIT, EXIT, 2, 1", expect = ACCEPTABLE, desc = "both raced; actor 2 was the master")
    @Outcome(id = "EXIT, LATE, 1, 1", expect = ACCEPTABLE, desc = "actor 1 exited before actor 2 got in")
    @Outcome(id = "LATE, EXIT, 2, 1", expect = ACCEPTABLE, desc = "actor 2 exited before actor 1 got in")
    @Outcome(id = ".*, .*, .*, [^1]", expect = FORBIDDEN, desc = "not exactly one process exit")
    @Outcome(expect = FORBIDDEN, desc = "wrong status for who was there, or an actor failed")
    @State
    public static class TwoExits {
        final int proc;
        volatile String a1 = "?", a2 = "?";

        public TwoExits() {
            proc = Actors.forkSleeper();
            Actors.countExits(proc);
        }

        @Actor
        public void exit1() {
            a1 = Actors.exitIn(proc, 1);
        }

        @Actor
        public void exit2() {
            a2 = Actors.exitIn(proc, 2);
        }

        @Arbiter
        public void arbiter(LLLL_Result r) {
            int[] exits = {-1};
            WaitResult w = Actors.reapBounded(proc, () -> exits[0] = Actors.exitsOf(proc));
            r.r1 = a1;
            r.r2 = a2;
            r.r3 = w == null ? "STUCK" : w.exited() ? String.valueOf(w.exitStatus()) : w.toString();
            r.r4 = exits[0];
        }
    }
}
