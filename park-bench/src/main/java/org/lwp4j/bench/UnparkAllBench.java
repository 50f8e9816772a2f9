package org.lwp4j.bench;

import java.util.concurrent.locks.LockSupport;
import org.lwp4j.Lwp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The waker's cost of waking 1024 parked sleepers in one go.
 *
 * <ul>
 *   <li>{@code lwp}: one {@code Lwp.unparkAll(lids, hint)} call naming 1024 LWPs parked in
 *       {@code Lwp.park(hint)};</li>
 *   <li>{@code lockSupport} (baseline): a loop of {@code LockSupport.unpark(thread)} over 1024
 *       plain threads parked in {@code LockSupport.park(hint)}.</li>
 * </ul>
 * Only the wake call is timed. {@code Sleepers.start} returns once every sleeper is blocked in
 * park, and after each call a {@code @TearDown(Level.Invocation)} waits until every sleeper has
 * woken and is blocked in park again, so each call wakes 1024 threads that really sleep (waking an LWP that is still spinning, or a thread
 * that has not run since its last unpark, would cost far less). {@code Level.Invocation}
 * is acceptable here: a call takes milliseconds, far above the timestamp cost JMH warns about.
 * The woken sleepers compete with the waker for the two cores in both variants alike.
 *
 * <p>Goal (issue 3): lwp at most 1.2 x lockSupport.
 *
 * <pre>java -jar park-bench/target/benchmarks.jar UnparkAllBench</pre>
 */
public class UnparkAllBench extends MicrosBench {
    static final int N = Lwp.UNPARK_MAX;
    static final Object HINT = new Object() {
        @Override
        public String toString() {
            return "UnparkAllBench";
        }
    };

    /** 1024 LWPs of init parked on HINT. */
    @State(Scope.Thread)
    public static class LwpCrowd {
        Sleepers sleepers;
        private SupervisorState env;

        /**
         * Taking the waker's Attached.Init makes JMH attach the benchmark thread first and tear
         * this state down before it detaches. (The benchmark method must not take Attached.Init
         * too: JMH would make a second instance and attach the thread twice.)
         */
        @Setup(Level.Trial)
        public void start(SupervisorState env, Attached.Init waker) throws Exception {
            this.env = env;
            sleepers = Sleepers.start(env.sup, Sleepers.Kind.LWP, N, i -> HINT);
        }

        @TearDown(Level.Invocation)
        public void awaitParked() {
            sleepers.awaitParked();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            sleepers.stop(env.sup);
        }
    }

    /** 1024 plain threads parked with LockSupport. */
    @State(Scope.Thread)
    public static class PlainCrowd {
        Sleepers sleepers;

        @Setup(Level.Trial)
        public void start() throws Exception {
            sleepers = Sleepers.start(null, Sleepers.Kind.PLAIN, N, i -> HINT);
        }

        @TearDown(Level.Invocation)
        public void awaitParked() {
            sleepers.awaitParked();
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            sleepers.stop(null);
        }
    }

    @Benchmark
    public int lwp(LwpCrowd crowd) {
        return Lwp.unparkAll(crowd.sleepers.lids, HINT);
    }

    @Benchmark
    public void lockSupport(PlainCrowd crowd) {
        for (Thread t : crowd.sleepers.threads) {
            LockSupport.unpark(t);
        }
    }
}
