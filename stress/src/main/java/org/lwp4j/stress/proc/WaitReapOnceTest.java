package org.lwp4j.stress.proc;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Wait;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: two LWPs of a parent racing to wait for the same zombie child: exactly one reaps it;
 * the other finds no such child any more (ECHILD). Never both, never neither.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t WaitReapOnceTest -m quick}
 */
public class WaitReapOnceTest {
    private WaitReapOnceTest() {
    }

    /** Both waiters block-wait (waitpid without WNOHANG) for the zombie. */
    @JCStressTest
    @Description("two blocking waits race for one zombie: exactly one reaps it")
    @Outcome(id = "REAPED, ECHILD", expect = ACCEPTABLE, desc = "the first waiter reaped it")
    @Outcome(id = "ECHILD, REAPED", expect = ACCEPTABLE, desc = "the second waiter reaped it")
    @Outcome(id = "REAPED, REAPED", expect = FORBIDDEN, desc = "reaped twice")
    @Outcome(id = "ECHILD, ECHILD", expect = FORBIDDEN, desc = "the zombie was lost")
    @Outcome(expect = FORBIDDEN, desc = "a wait failed otherwise, or reported another child")
    @State
    public static class Blocking {
        final int child = Actors.forkZombie(3);

        @Actor
        public void waiter1(LL_Result r) {
            r.r1 = Actors.waitOutcome(child, 0);
        }

        @Actor
        public void waiter2(LL_Result r) {
            r.r2 = Actors.waitOutcome(child, 0);
        }
    }

    /** Both waiters poll (WNOHANG): the loser must not be told "none yet". */
    @JCStressTest
    @Description("two WNOHANG waits race for one zombie: exactly one reaps it")
    @Outcome(id = "REAPED, ECHILD", expect = ACCEPTABLE, desc = "the first waiter reaped it")
    @Outcome(id = "ECHILD, REAPED", expect = ACCEPTABLE, desc = "the second waiter reaped it")
    @Outcome(id = "REAPED, REAPED", expect = FORBIDDEN, desc = "reaped twice")
    @Outcome(id = ".*NONE.*", expect = FORBIDDEN, desc = "a zombie (or a claimed one) reported as still running")
    @Outcome(expect = FORBIDDEN, desc = "lost, or a wait failed otherwise")
    @State
    public static class NoHang {
        final int child = Actors.forkZombie(4);

        @Actor
        public void waiter1(LL_Result r) {
            r.r1 = Actors.waitOutcome(child, Wait.WNOHANG);
        }

        @Actor
        public void waiter2(LL_Result r) {
            r.r2 = Actors.waitOutcome(child, Wait.WNOHANG);
        }
    }

    /** A WNOWAIT look races a reap: the look sees the zombie or nothing; the reap always gets it. */
    @JCStressTest
    @Description("WNOWAIT vs a reap: the reap always succeeds, the look sees it or ECHILD")
    @Outcome(id = "SEEN, REAPED", expect = ACCEPTABLE, desc = "looked before the reap")
    @Outcome(id = "ECHILD, REAPED", expect = ACCEPTABLE, desc = "looked after the reap")
    @Outcome(expect = FORBIDDEN, desc = "the look consumed the zombie, or the reap failed")
    @State
    public static class NoWaitVsReap {
        final int child = Actors.forkZombie(5);

        @Actor
        public void look(LL_Result r) {
            r.r1 = Actors.waitOutcome(child, Wait.WNOWAIT);
        }

        @Actor
        public void reap(LL_Result r) {
            r.r2 = Actors.waitOutcome(child, 0);
        }
    }
}
