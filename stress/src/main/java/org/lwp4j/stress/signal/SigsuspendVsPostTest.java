package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Sig;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.Signals;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: sigsuspend racing the post of the signal it unmasks never sleeps through it: a
 * signal posted before the call (pending, masked) or during it ends it with EINTR after the
 * handler ran once.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t SigsuspendVsPostTest -m quick}
 */
public class SigsuspendVsPostTest {
    private SigsuspendVsPostTest() {
    }

    /**
     * A fresh child whose sleeper LWP masks SIGUSR1, with a SIGUSR1 handler that counts. One
     * actor enters the child, masks SIGUSR1 (EARLY if the signal was already handled then) and
     * calls sigsuspend(0). The other sends SIGUSR1 and, should the
     * first not be done within 5 s (a lost wake-up), kills the child, which ends the
     * sigsuspend with LwpExit (KILLED).
     */
    @JCStressTest
    @Description("sigsuspend(0) vs kill(SIGUSR1): EINTR after exactly one handler run")
    @Outcome(id = "EINTR, 1", expect = ACCEPTABLE, desc = "the handler ran inside sigsuspend, which answered EINTR")
    @Outcome(id = "EARLY, 1", expect = ACCEPTABLE, desc = "sent before the mask: handled before sigsuspend")
    @Outcome(id = "KILLED, .*", expect = FORBIDDEN, desc = "sigsuspend slept through the signal")
    @Outcome(expect = FORBIDDEN, desc = "another answer, or the handler ran twice or never")
    @State
    public static class Race {
        final AtomicInteger handled = new AtomicInteger();
        final int child = Actors.forkMasked(Sig.SIGUSR1, handled);
        volatile String suspended;

        @Actor
        public void suspender() {
            String out;
            try {
                out = Actors.in(child, () -> {
                    Signals.sigprocmask(Sig.SIG_BLOCK, Signals.sigmask(Sig.SIGUSR1));
                    if (handled.get() != 0) {
                        return "EARLY";
                    }
                    try {
                        Signals.sigsuspend(0);
                        return "RETURNED";
                    } catch (LwpException e) {
                        return e.errno().name();
                    }
                });
            } catch (LwpExit e) {
                out = "KILLED";
            }
            suspended = out;
        }

        @Actor
        public void poster() {
            Actors.kill(child, Sig.SIGUSR1);
            if (!Actors.yieldUntil(() -> suspended != null)) {
                Actors.kill(child, Sig.SIGKILL);
            }
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            Actors.killAndReap(child);
            r.r1 = suspended;
            r.r2 = handled.get();
        }
    }
}
