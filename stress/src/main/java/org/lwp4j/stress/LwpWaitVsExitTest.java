package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Property: {@code _lwp_wait} does not miss the exit of the LWP it waits for. The exiting LWP
 * makes itself a zombie under the process lock and wakes the waiters after releasing it; a
 * waiter that looked before the exit linked itself on the wait channel before it released that
 * lock, so the wake finds it.
 *
 * <p>The waiter creates a child that spins until released, publishes it, and waits for it. The
 * other actor releases the child, so that the child's exit races the waiter's check and sleep,
 * then gives the waiter five seconds to finish. If it has not, it wakes the waiter with
 * {@code _lwp_wakeup}, which ends the wait with EINTR: a lost wake-up shows as an outcome
 * instead of a hang.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t LwpWaitVsExitTest -m quick}
 */
@JCStressTest
@Description("_lwp_wait racing the exit of its target: the waiter always collects it")
@Outcome(id = "COLLECTED", expect = ACCEPTABLE, desc = "the waiter collected the child")
@Outcome(id = "EINTR", expect = FORBIDDEN, desc = "lost wake-up: the waiter slept through the exit")
@Outcome(expect = FORBIDDEN, desc = "any other answer")
@State
public class LwpWaitVsExitTest {
    volatile int waiter;
    volatile int child;
    volatile boolean release;
    volatile boolean finished;

    @Actor
    public void waiter(L_Result r) {
        waiter = Actors.self();
        int c = Lwp.create(() -> Actors.await(() -> release));
        child = c;
        String out;
        try {
            int got = Lwp.waitFor(c);
            out = got == c ? "COLLECTED" : "collected " + got;
        } catch (LwpException e) {
            out = e.errno().name();
        }
        finished = true;
        r.r1 = out;
    }

    @Actor
    public void exiter() {
        Actors.peer(() -> child);
        release = true;
        if (!Actors.yieldUntil(() -> finished)) {
            Lwp.wakeup(waiter);
        }
    }
}
