package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Property: Mutex excludes. Actors increment a plain field under the lock (read, then write:
 * an increment that overlaps another loses one); the arbiter reads the sum.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t MutexExclusionTest -m sanity}
 */
public class MutexExclusionTest {
    private MutexExclusionTest() {
    }

    /** lock() against lock(). */
    @JCStressTest
    @Description("two lock(); x++; unlock() in parallel")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "each increment under the lock alone")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "the critical sections overlapped")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class LockLock {
        final Mutex m = new Mutex();
        int x;

        @Actor
        public void a() {
            Locked.run(m, () -> x++);
        }

        @Actor
        public void b() {
            Locked.run(m, () -> x++);
        }

        @Arbiter
        public void sum(I_Result r) {
            r.r1 = x;
        }
    }

    /** tryLock() against lock(): tryLock fails or excludes. Reported: tryLock's answer, the sum. */
    @JCStressTest
    @Description("tryLock(); x++ against lock(); x++")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "tryLock got it; both increments counted")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "tryLock found it held and did nothing")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "tryLock's section overlapped lock()'s")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class TryLockLock {
        final Mutex m = new Mutex();
        int x;
        int got;

        @Actor
        public void a() {
            if (m.tryLock()) {
                got = 1;
                x++;
                m.unlock();
            }
        }

        @Actor
        public void b() {
            Locked.run(m, () -> x++);
        }

        @Arbiter
        public void sum(II_Result r) {
            r.r1 = got;
            r.r2 = x;
        }
    }
}
