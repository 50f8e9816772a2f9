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

    static boolean awaitFlag(Mutex m, Condition c, boolean[] flag) {
        m.lock();
        try {
            long left = Lost.UNIT.toNanos(Lost.after());
            while (!flag[0]) {
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

    /** signal() racing one await. Reported: whether the waiter saw the flag in time. */
    @JCStressTest
    @Description("await(flag) racing flag = true; signal()")
    @Outcome(id = "true", expect = ACCEPTABLE, desc = "the waiter saw the flag")
    @Outcome(id = "false", expect = FORBIDDEN, desc = "the signal was lost")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Signal {
        final Mutex m = new Mutex();
        final Condition c = m.newCondition();
        final boolean[] flag = {false};

        @Actor
        public void waiter(Z_Result r) {
            r.r1 = awaitFlag(m, c, flag);
        }

        @Actor
        public void signaller() {
            m.lock();
            flag[0] = true;
            c.signal();
            m.unlock();
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
        final Mutex m = new Mutex();
        final Condition c = m.newCondition();
        final boolean[] flag = {false};

        @Actor
        public void waiter(Z_Result r) {
            r.r1 = awaitFlag(m, c, flag);
        }

        @Actor
        public void signaller() {
            m.lock();
            flag[0] = true;
            c.signalAll();
            m.unlock();
        }
    }
}
