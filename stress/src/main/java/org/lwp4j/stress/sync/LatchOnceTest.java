package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.sync.Latch;
import org.lwp4j.sync.Once;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Properties: the Latch opens for every waiter once counted down (no lost wake, and what was
 * written before the count-downs is seen after await); Once runs its initialiser exactly once
 * and every caller returns after it.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t LatchOnceTest -m sanity}
 */
public class LatchOnceTest {
    private LatchOnceTest() {
    }

    /** Two count-downs racing an await. Reported: await's answer, what it saw, the count. */
    @JCStressTest
    @Description("Latch(2): x = 1; countDown(); y = 1; countDown() racing await()")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "await returned after both, seeing both writes")
    @Outcome(expect = FORBIDDEN, desc = "a lost wake, a write not seen, or a wrong count")
    @State
    public static class Latched {
        final Latch l = new Latch(2);
        int x, y;
        int opened, seen;

        @Actor
        public void counter() {
            x = 1;
            l.countDown();
            y = 1;
            l.countDown();
        }

        @Actor
        public void waiter() {
            if (Lost.within(l::await)) {
                opened = 1;
                seen = x + y;
            }
        }

        @Arbiter
        public void check(III_Result r) {
            r.r1 = opened;
            r.r2 = seen;
            r.r3 = (int) l.getCount();
        }
    }

    /** Two callers of run. Reported: initialiser runs, callers that saw its write. */
    @JCStressTest
    @Description("two Once.run(init) in parallel")
    @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "one run; both callers returned after it")
    @Outcome(expect = FORBIDDEN, desc = "ran twice or not at all, or a caller returned early")
    @State
    public static class OnceRun {
        final Once once = new Once();
        int runs;
        int value;
        int sawA, sawB;

        void init() {
            runs++;
            value = 42;
        }

        @Actor
        public void a() {
            once.run(this::init);
            sawA = value == 42 ? 1 : 0;
        }

        @Actor
        public void b() {
            once.run(this::init);
            sawB = value == 42 ? 1 : 0;
        }

        @Arbiter
        public void check(II_Result r) {
            r.r1 = runs;
            r.r2 = sawA + sawB;
        }
    }
}
