package org.lwp4j.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.Supervisor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One supervisor per trial (per fork and parameter set), shared by every thread of the
 * benchmark. Its limits are raised so that the crowd and wait benchmarks can hold 10,000 LWPs
 * and processes.
 *
 * <p>Teardown order: JMH tears a {@code Scope.Benchmark} state down on whichever worker gets
 * there first, possibly while another worker has not yet detached. So the threads that attach
 * ({@link Attached}) are counted, and {@link #close()} waits (bounded) until they have all
 * left before closing the supervisor. Close then joins every LWP thread it started; if one
 * never reached a safe point, close fails with EBUSY and the trial fails loudly instead of
 * leaking threads into the next benchmark.
 */
@State(Scope.Benchmark)
public class SupervisorState {
    static final int MAX = 1 << 15;
    static final long DETACH_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    Supervisor sup;
    final AtomicInteger attached = new AtomicInteger();

    @Setup(Level.Trial)
    public void start() {
        sup = Supervisor.builder()
                .maxProc(MAX)
                .maxProcPerUid(MAX)
                .maxLwpPerProc(MAX)
                .closeTimeout(Duration.ofSeconds(30))
                .start();
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        long deadline = System.nanoTime() + DETACH_WAIT_NANOS;
        while (attached.get() > 0 && deadline - System.nanoTime() > 0) {
            Thread.sleep(1);
        }
        sup.close();
        if (!sup.liveThreads().isEmpty()) {
            throw new IllegalStateException("threads left after close: " + sup.liveThreads());
        }
    }
}
