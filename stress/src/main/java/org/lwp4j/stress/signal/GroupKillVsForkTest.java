package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Errno;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.Supervisor;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Property: a group signal sent while a member of the group forks is not missed by the child:
 * SIGKILL to the group while its process F forks leaves no child of F alive.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t GroupKillVsForkTest -m quick}
 */
public class GroupKillVsForkTest {
    private GroupKillVsForkTest() {
    }

    /**
     * F is a fresh child of the stress parent that leads a process group of its own. One actor
     * enters F as an LWP and forks a sleeping child (NOFORK if F was killed first: the fork or
     * the entry failed); the other sends SIGKILL to F's group from the parent. The arbiter
     * reaps F and reports the fork's fate, F's status, and whether F's child is GONE (killed and
     * reaped by init) or still ALIVE after a bounded wait.
     */
    @JCStressTest
    @Description("killpg(SIGKILL) vs fork in the group: no child survives")
    @Outcome(id = "FORKED, SIGKILL, GONE", expect = ACCEPTABLE,
            desc = "the child was made and killed (as a group member, or by the signal carried at fork)")
    @Outcome(id = "NOFORK, SIGKILL, -", expect = ACCEPTABLE, desc = "F was killed before its fork could make a child")
    @Outcome(id = "FORKED, .*, ALIVE", expect = FORBIDDEN, desc = "the child missed the group signal")
    @Outcome(expect = FORBIDDEN, desc = "stuck, or any other outcome")
    @State
    public static class Race {
        final int f;
        volatile int kid;
        volatile String fork = "?";

        public Race() {
            f = Actors.inParent(() -> Proc.fork(() -> {
                Proc.setpgid(0, 0);
                Actors.parkForever();
            }));
            Actors.runInParent(() -> Actors.await(() -> Proc.getpgid(f) == f));
        }

        @Actor
        public void forkInF() {
            Supervisor.Attachment a;
            try {
                a = Actors.SUPERVISOR.attach(f);
            } catch (LwpException e) {
                fork = "NOFORK";
                return;
            }
            boolean ended = false;
            try {
                kid = Proc.fork(Actors::parkForever);
                fork = "FORKED";
            } catch (LwpExit e) {
                fork = "NOFORK"; // F was killed at the fork's safe point; this LWP has ended
                ended = true;
            } catch (LwpException e) {
                fork = "NOFORK";
            } catch (Throwable t) {
                fork = t.toString();
            }
            if (!ended) {
                try {
                    Lwp.detach(a.lid());
                } catch (LwpExit | LwpException e) {
                    // F is being killed: this LWP ends with it
                }
            }
            a.close();
        }

        @Actor
        public void killGroup() {
            Actors.runInParent(() -> Signals.killpg(f, Sig.SIGKILL));
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r2 = Actors.statusOf(Actors.reapBounded(f));
            r.r1 = fork;
            r.r3 = kid == 0 ? "-" : Actors.inParent(this::kidFate);
        }

        /** GONE once kill(kid, 0) answers ESRCH (dead and reaped), ALIVE if that never happens. */
        private String kidFate() {
            long giveUp = Actors.stuckAfter();
            while (System.nanoTime() - giveUp < 0) {
                try {
                    Signals.kill(kid, 0);
                } catch (LwpException e) {
                    if (e.errno() == Errno.ESRCH) {
                        return "GONE";
                    }
                    return e.errno().name();
                }
                Actors.pause();
            }
            Signals.kill(kid, Sig.SIGKILL); // do not leave it behind
            return "ALIVE";
        }
    }
}
