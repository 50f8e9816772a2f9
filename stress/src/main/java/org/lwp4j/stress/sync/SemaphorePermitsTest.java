package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.sync.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Property: Semaphore conserves permits and loses no wake. Contenders take a permit (timed,
 * bounded far beyond a correct run), increment a plain field, and give it back; afterwards
 * every permit is back and no increment was lost.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t SemaphorePermitsTest -m sanity}
 */
public class SemaphorePermitsTest {
    private SemaphorePermitsTest() {
    }

    static int takeIncrementGive(Semaphore s, int[] x) {
        if (!Lost.within(s::tryAcquire)) {
            return 0;
        }
        x[0]++;
        s.release();
        return 1;
    }

    /** One permit, two contenders. Reported: how many got it, the sum, the permits left. */
    @JCStressTest
    @Description("Semaphore(1) as a mutex: two acquire; x++; release")
    @Outcome(id = "2, 2, 1", expect = ACCEPTABLE, desc = "both got the permit in turn; it is back")
    @Outcome(expect = FORBIDDEN, desc = "a wake lost, an overlap, or a permit lost or made")
    @State
    public static class OnePermit {
        final Semaphore s = new Semaphore(1);
        final int[] x = {0};
        int a, b;

        @Actor
        public void a() {
            a = takeIncrementGive(s, x);
        }

        @Actor
        public void b() {
            b = takeIncrementGive(s, x);
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = a + b;
            r.r2 = x[0];
            r.r3 = s.availablePermits();
        }
    }

    /** acquire(2) against two release(1) in a row. Reported: acquired in time, permits left. */
    @JCStressTest
    @Description("acquire(2) racing release(); release() from zero")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the acquirer got both permits")
    @Outcome(expect = FORBIDDEN, desc = "the wake for the second permit was lost, or permits miscounted")
    @State
    public static class TwoReleases {
        final Semaphore s = new Semaphore(0);
        int got;

        @Actor
        public void acquirer() {
            got = Lost.within((time, unit) -> s.tryAcquire(2, time, unit)) ? 1 : 0;
        }

        @Actor
        public void releaser() {
            s.release();
            s.release();
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = got;
            r.r2 = s.availablePermits();
        }
    }

    /** acquire() against release(): the release wakes the one sleeper. Reported: acquired, permits left. */
    @JCStressTest
    @Description("acquire() racing release() from zero (the wake-one path)")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the acquirer got the permit")
    @Outcome(expect = FORBIDDEN, desc = "the wake was lost, or permits miscounted")
    @State
    public static class OneRelease {
        final Semaphore s = new Semaphore(0);
        int got;

        @Actor
        public void acquirer() {
            got = Lost.within(s::tryAcquire) ? 1 : 0;
        }

        @Actor
        public void releaser() {
            s.release();
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = got;
            r.r2 = s.availablePermits();
        }
    }
}
