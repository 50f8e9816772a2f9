package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.IdType;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.Wait;
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
 * Property: SIGSTOP and SIGCONT sent at once: the child ends in the state of whichever came
 * last, and what its parent's wait reports agrees with it. A stop report never survives the
 * continue that ended the stop, and a continue is reported only after a stop was complete.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t StopContOrderTest -m quick}
 */
public class StopContOrderTest {
    private StopContOrderTest() {
    }

    /**
     * A fresh child of the stress parent (one LWP, parked) gets SIGSTOP from one actor and
     * SIGCONT from the other, both as LWPs of the parent. The arbiter then probes the child
     * with SIGUSR1, whose handler runs only if the child is not stopped, and collects the
     * parent's job-control reports (WUNTRACED | WCONTINUED | WNOHANG) until either the probe
     * ran (RUNNING) or a stop was reported (STOPPED), then once more. It reports the final
     * state and the reports in order: S for a stop, C for a continue, - for none.
     */
    @JCStressTest
    @Description("SIGSTOP vs SIGCONT: the last one wins, and wait agrees")
    @Outcome(id = "STOPPED, S", expect = ACCEPTABLE, desc = "the stop came last: stopped, reported once")
    @Outcome(id = "RUNNING, -", expect = ACCEPTABLE,
            desc = "the continue came last, before the stop was complete (or before it was sent)")
    @Outcome(id = "RUNNING, C", expect = ACCEPTABLE,
            desc = "the continue came last, after the stop was complete; its report replaced the stop's")
    @Outcome(id = "RUNNING, .*S.*", expect = FORBIDDEN, desc = "a stop reported after the continue that ended it")
    @Outcome(id = "STOPPED, .*C.*", expect = FORBIDDEN, desc = "a continue reported for a process still stopped")
    @Outcome(expect = FORBIDDEN, desc = "stuck, or any other outcome")
    @State
    public static class Race {
        final int child = Actors.forkSleeper();

        @Actor
        public void stop() {
            Actors.runInParent(() -> Signals.kill(child, Sig.SIGSTOP));
        }

        @Actor
        public void cont() {
            Actors.runInParent(() -> Signals.kill(child, Sig.SIGCONT));
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            Actors.inParent(() -> {
                Signals.kill(child, Sig.SIGUSR1);
                StringBuilder reports = new StringBuilder();
                String state = "STUCK";
                long giveUp = Actors.stuckAfter();
                while (System.nanoTime() - giveUp < 0) {
                    boolean probed = Actors.PROBED.contains(child);
                    WaitResult w = poll();
                    if (w != null) {
                        reports.append(w.stopped() ? "S" : w.continued() ? "C" : "?");
                        if (w.stopped()) {
                            state = "STOPPED";
                            break;
                        }
                    }
                    if (probed) {
                        state = "RUNNING";
                        break;
                    }
                    Actors.pause();
                }
                for (WaitResult w; (w = poll()) != null; ) {
                    reports.append(w.stopped() ? "S" : w.continued() ? "C" : "?");
                }
                r.r1 = state;
                r.r2 = reports.length() == 0 ? "-" : reports.toString();
                Signals.kill(child, Sig.SIGKILL);
                Proc.waitpid(child, 0);
                Actors.PROBED.remove(child);
                return null;
            });
        }

        private WaitResult poll() {
            WaitResult w = Proc.wait(IdType.P_PID, child, Wait.WUNTRACED | Wait.WCONTINUED | Wait.WNOHANG);
            return w.isNone() ? null : w;
        }
    }
}
