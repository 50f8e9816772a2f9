package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Sig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.LwpException;
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
 * Property: a signal sent while an LWP enters sigtimedwait for it is never lost: it is taken by
 * the wait, or (sent before the LWP masked it) handled by the LWP's handler first; never both,
 * never neither.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t SigwaitVsKillTest -m quick}
 */
public class SigwaitVsKillTest {
    private SigwaitVsKillTest() {
    }

    /**
     * A fresh child whose sleeper LWP masks SIGUSR1 (inherited from the forking LWP). One actor
     * enters the child as a new LWP (unmasked), masks SIGUSR1 and, unless the child's handler
     * already ran, waits for it with sigtimedwait (5 s: past that, the signal was lost); the
     * other sends SIGUSR1 to the child.
     */
    @JCStressTest
    @Description("sigtimedwait(SIGUSR1) vs kill(SIGUSR1): taken or handled, exactly once")
    @Outcome(id = "SIGUSR1, 0", expect = ACCEPTABLE, desc = "taken by the wait")
    @Outcome(id = "HANDLED, 1", expect = ACCEPTABLE, desc = "sent before the mask: the handler ran first")
    @Outcome(id = "EAGAIN, 0", expect = FORBIDDEN, desc = "lost: neither taken nor handled")
    @Outcome(expect = FORBIDDEN, desc = "taken and handled, or an actor failed")
    @State
    public static class Race {
        final AtomicInteger handled = new AtomicInteger();
        final int child = Actors.forkMasked(Sig.SIGUSR1, handled);
        volatile String waited = "?";

        @Actor
        public void waiter() {
            waited = Actors.in(child, () -> {
                Signals.sigprocmask(Sig.SIG_BLOCK, Signals.sigmask(Sig.SIGUSR1));
                if (handled.get() != 0) {
                    return "HANDLED";
                }
                try {
                    return Sig.name(Signals.sigtimedwait(Signals.sigmask(Sig.SIGUSR1),
                            TimeUnit.SECONDS.toNanos(5)).signo());
                } catch (LwpException e) {
                    return e.errno().name();
                }
            });
        }

        @Actor
        public void killer() {
            Actors.kill(child, Sig.SIGUSR1);
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            Actors.killAndReap(child);
            r.r1 = waited;
            r.r2 = handled.get();
        }
    }
}
