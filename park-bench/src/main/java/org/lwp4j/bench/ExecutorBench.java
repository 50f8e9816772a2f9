package org.lwp4j.bench;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lwp4j.exec.LwpExecutorService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code submit(task).get()} of a task that does nothing, on one pool kept for the trial:
 * <ul>
 *   <li>{@code lwpExecutor}: {@link LwpExecutorService} of 2 LWPs in init (the JMH thread is an
 *       LWP of init, {@link Attached.Init}, so that it can make the pool);</li>
 *   <li>{@code cachedPool} (baseline): {@code Executors.newCachedThreadPool()};</li>
 *   <li>{@code fixedPool} (baseline): {@code Executors.newFixedThreadPool(2)}, the same shape
 *       as the LWP pool (a LinkedBlockingQueue and 2 workers).</li>
 * </ul>
 * Every get is bounded ({@link ThreadStartBench#WAIT_SECONDS}).
 *
 * <pre>
 * java -jar park-bench/target/benchmarks.jar ExecutorBench
 * </pre>
 */
public class ExecutorBench extends MicrosBench {
    private static final Runnable NOTHING = () -> { };

    /** A JDK pool, one per trial. */
    @State(Scope.Benchmark)
    public static class JdkPools {
        ExecutorService cached;
        ExecutorService fixed;

        @Setup(Level.Trial)
        public void start() {
            cached = Executors.newCachedThreadPool();
            fixed = Executors.newFixedThreadPool(2);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            cached.shutdown();
            fixed.shutdown();
            if (!cached.awaitTermination(30, TimeUnit.SECONDS) || !fixed.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a JDK pool still runs after 30 s");
            }
        }
    }

    /** The LWP pool, made by the JMH thread as an LWP of init. */
    @State(Scope.Thread)
    public static class LwpPool {
        LwpExecutorService pool;

        @Setup(Level.Trial)
        public void make(Attached.Init attached) {
            pool = new LwpExecutorService(2);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the LWP pool still runs after 30 s");
            }
        }
    }

    @Benchmark
    public Object lwpExecutor(LwpPool s) throws InterruptedException, ExecutionException, TimeoutException {
        return s.pool.submit(NOTHING).get(ThreadStartBench.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public Object cachedPool(JdkPools s) throws InterruptedException, ExecutionException, TimeoutException {
        return s.cached.submit(NOTHING).get(ThreadStartBench.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public Object fixedPool(JdkPools s) throws InterruptedException, ExecutionException, TimeoutException {
        return s.fixed.submit(NOTHING).get(ThreadStartBench.WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
