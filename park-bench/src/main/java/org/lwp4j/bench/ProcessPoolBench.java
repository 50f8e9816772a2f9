package org.lwp4j.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lwp4j.exec.ProcessPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link ProcessPool}: the cost per task (a fork, the task, the exit and the reap) of a batch
 * of {@link #BATCH} tasks that return a constant, submitted at once and then all awaited, with
 * {@code processes} = 1 or 2 at a time (the pool against itself). The JMH thread is the first
 * LWP of a process of its own ({@link Attached.Process}): init would reap the children itself.
 *
 * <pre>
 * java -jar park-bench/target/benchmarks.jar ProcessPoolBench
 * </pre>
 */
public class ProcessPoolBench extends MicrosBench {
    /** Tasks per benchmark call; the score is divided by it (operationsPerInvocation). */
    static final int BATCH = 16;

    /** The pool, made by the JMH thread in its own process. */
    @State(Scope.Thread)
    public static class Pool {
        @Param({"1", "2"})
        int processes;
        ProcessPool pool;

        @Setup(Level.Trial)
        public void make(Attached.Process attached) {
            pool = new ProcessPool(processes);
        }
    }

    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public int perTask(Pool s) throws InterruptedException, ExecutionException, TimeoutException {
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] fs = new CompletableFuture[BATCH];
        for (int i = 0; i < BATCH; i++) {
            fs[i] = s.pool.submit(() -> 1);
        }
        int sum = 0;
        for (CompletableFuture<Integer> f : fs) {
            sum += f.get(ThreadStartBench.WAIT_SECONDS, TimeUnit.SECONDS);
        }
        return sum;
    }
}
