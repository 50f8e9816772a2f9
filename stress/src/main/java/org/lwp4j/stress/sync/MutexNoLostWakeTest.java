package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * Property: an unlock never loses the wake of a sleeper. Each actor takes the lock with a timed
 * tryLock whose bound a correct run always beats, holds it briefly (long enough that the other
 * often parks), and releases it; both must get it.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t MutexNoLostWakeTest -m sanity}
 */
public class MutexNoLostWakeTest {
    private MutexNoLostWakeTest() {
    }

    static boolean takeHoldRelease(Mutex m) {
        if (!Lost.within(m::tryLock)) {
            return false;
        }
        for (int i = 0; i < 50; i++) {
            Thread.onSpinWait();
        }
        m.unlock();
        return true;
    }

    /** Two contenders. Reported: whether each got the lock in time. */
    @JCStressTest
    @Description("two timed lockers racing; each must be woken by the other's unlock")
    @Outcome(id = "true, true", expect = ACCEPTABLE, desc = "both got the lock")
    @Outcome(id = "false, true", expect = FORBIDDEN, desc = "a's wake was lost")
    @Outcome(id = "true, false", expect = FORBIDDEN, desc = "b's wake was lost")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class TwoLockers {
        final Mutex m = new Mutex();

        @Actor
        public void a(ZZ_Result r) {
            r.r1 = takeHoldRelease(m);
        }

        @Actor
        public void b(ZZ_Result r) {
            r.r2 = takeHoldRelease(m);
        }
    }

    /** A plain lock() holding longer against a timed locker. Reported: the timed locker's answer. */
    @JCStressTest
    @Description("lock(); hold; unlock() racing a timed tryLock")
    @Outcome(id = "true", expect = ACCEPTABLE, desc = "the timed locker got the lock")
    @Outcome(id = "false", expect = FORBIDDEN, desc = "its wake was lost")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class LockAgainstTimed {
        final Mutex m = new Mutex();

        @Actor
        public void holder() {
            m.lock();
            for (int i = 0; i < 500; i++) {
                Thread.onSpinWait();
            }
            m.unlock();
        }

        @Actor
        public void timed(Z_Result r) {
            r.r1 = takeHoldRelease(m);
        }
    }
}
