package org.lwp4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings of the benchmarks that measure whole operations (a round trip, a start and
 * join, a reap): average time in microseconds, 3 warm-up and 5 measured iterations of 1 s, one
 * fork. JMH's run annotations are inherited, so a benchmark class that extends this one runs
 * with them unless it annotates its own; command-line options ({@code -f}, {@code -wi},
 * {@code -i}, {@code -r}) override both. It holds no state and no benchmark methods.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class MicrosBench {
    protected MicrosBench() {
    }
}
