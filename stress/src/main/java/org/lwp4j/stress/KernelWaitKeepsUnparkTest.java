package org.lwp4j.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Lwp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Property: an unpark sent while its target sleeps in the kernel (here in {@code _lwp_wait})
 * is not swallowed by that sleep; it stays pending for the target's next park (NetBSD's
 * LW_UNPARKED for an LWP not on the park sleep queue).
 *
 * <p>The target starts a child that parks, and waits for it with {@code waitFor}. The other
 * actor unparks the target (while it is on its way into, or inside, {@code waitFor}: the child
 * cannot have exited yet), then unparks the child. The target then parks: ALREADY.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t KernelWaitKeepsUnparkTest -m quick}
 */
@JCStressTest
@Description("unpark of an LWP inside _lwp_wait stays pending for its next park")
@Outcome(id = "ALREADY", expect = ACCEPTABLE, desc = "the unpark was kept for the park")
@Outcome(id = "TIMED_OUT", expect = FORBIDDEN, desc = "lost wake-up: the kernel wait swallowed the unpark")
@Outcome(expect = FORBIDDEN, desc = "the unpark came before the park began, so it cannot have woken a sleep")
@State
public class KernelWaitKeepsUnparkTest {
    private static final Object CHILD_HINT = "kernel-wait child";

    volatile int target;
    volatile int child;

    @Actor
    public void target(L_Result r) {
        target = Actors.self();
        int c = Lwp.create(() -> Lwp.parkUntil(Actors.lostAfter(), CHILD_HINT));
        child = c;
        Lwp.waitFor(c);
        r.r1 = Lwp.parkUntil(Actors.lostAfter(), this);
    }

    @Actor
    public void unparker() {
        int c = Actors.peer(() -> child);
        Lwp.unpark(target, this);
        Lwp.unpark(c, CHILD_HINT);
    }
}
