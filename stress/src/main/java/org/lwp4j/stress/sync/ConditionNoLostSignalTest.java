package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.locks.Condition;
import org.lwp4j.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * Property: await/signal loses no signal. A waiter awaits a flag under the mutex with a timed
 * await that a correct run always beats; a signaller sets the flag and signals (or signals
 * all) under the mutex. The waiter must see the flag.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t ConditionNoLostSignalTest -m sanity}
 */
public class ConditionNoLostSignalTest {
    private ConditionNoLostSignalTest() {
    }

    /**
     * The shared state of both variants: a flag under a mutex and its condition. The waiter
     * awaits the flag with a timed await that a correct run always beats; the signaller raises
     * it and signals (or signals all) under the mutex.
     */
    static final class Flag {
        final Mutex m = new Mutex();
        final Condition c = m.newCondition();
        boolean up;

        /** Whether the waiter saw the flag within the lost-wake-up time. */
        boolean await() {
            m.lock();
            try {
                long left = Lost.UNIT.toNanos(Lost.after());
                while (!up) {
                    if (left <= 0) {
                        return false;
                    }
                    left = c.awaitNanos(left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                m.unlock();
            }
        }

        void raise(boolean all) {
            Locked.run(m, () -> {
                up = true;
                if (all) {
                    c.signalAll();
                } else {
                    c.signal();
                }
            });
        }
    }

    /** signal() racing one await. Reported: whether the waiter saw the flag in time. */
    @JCStressTest
    @Description("await(flag) racing flag = true; signal()")
    @Outcome(id = "true", expect = ACCEPTABLE, desc = "the waiter saw the flag")
    @Outcome(id = "false", expect = FORBIDDEN, desc = "the signal was lost")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Signal {
        final Flag f = new Flag();

        @Actor
        public void waiter(Z_Result r) {
            r.r1 = f.await();
        }

        @Actor
        public void signaller() {
            f.raise(false);
        }
    }

    /** signalAll() (a requeue onto the mutex) racing an await. Reported: the waiter's answer. */
    @JCStressTest
    @Description("await(flag) racing flag = true; signalAll(), which moves the waiter onto the mutex")
    @Outcome(id = "true", expect = ACCEPTABLE, desc = "the waiter saw the flag")
    @Outcome(id = "false", expect = FORBIDDEN, desc = "lost: the signal, or the mutex wake after the requeue")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class SignalAll {
        final Flag f = new Flag();

        @Actor
        public void waiter(Z_Result r) {
            r.r1 = f.await();
        }

        @Actor
        public void signaller() {
            f.raise(true);
        }
    }
}
