package org.lwp4j.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lwp4j.Lwp;
import org.lwp4j.ParkResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unpark, then park on the pending permit: the park consumes it and returns at once.
 *
 * <ul>
 *   <li>{@code lwp}: {@code Lwp.unpark(self, hint)} then {@code Lwp.park(hint)}, which answers
 *       ALREADY. Two lwp4j calls, each a safe point: find the LWP (own process, lock-free map),
 *       set the pending bit in its park word, then consume it with one CAS.</li>
 *   <li>{@code lockSupport} (baseline): {@code LockSupport.unpark(current)} then
 *       {@code LockSupport.park(blocker)}.</li>
 * </ul>
 * Goal (issue 3): lwp within 1.2 x of lockSupport, and 0 B/op under {@code -prof gc}.
 *
 * <pre>java -jar park-bench/target/benchmarks.jar PermitBench -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PermitBench {
    private final Object hint = new Object() {
        @Override
        public String toString() {
            return "PermitBench";
        }
    };

    /** Counts the (impossible) parks that did not find the permit; checked at teardown. */
    private long notAlready;

    @Benchmark
    public ParkResult lwp(Attached.Init me) {
        Lwp.unpark(me.lid, hint);
        ParkResult r = Lwp.park(hint);
        if (r != ParkResult.ALREADY) {
            notAlready++;
        }
        return r;
    }

    @Benchmark
    public void lockSupport() {
        LockSupport.unpark(Thread.currentThread());
        LockSupport.park(hint);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (notAlready != 0) {
            throw new IllegalStateException(notAlready + " parks did not consume the pending permit");
        }
    }
}
