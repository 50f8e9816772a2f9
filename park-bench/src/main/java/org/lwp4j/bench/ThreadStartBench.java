package org.lwp4j.bench;

import java.util.concurrent.TimeUnit;
import org.lwp4j.Lwp;
import org.lwp4j.Proc;
import org.lwp4j.WaitResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start a thread of execution that does nothing, let it end, and collect it.
 *
 * <ul>
 *   <li>{@code lwp}: {@code Lwp.create(body)}; the body returns (the LWP exits);
 *       {@code Lwp.waitFor(lid)} collects the zombie. The caller is an LWP of init.</li>
 *   <li>{@code process}: {@code Proc.fork(body)} (a new process, child of the caller's,
 *       whose first LWP runs the body); the body returns, so the process exits with status 0;
 *       {@code Proc.waitpid(pid, 0)} reaps the zombie. The caller is the first LWP of a
 *       process of its own ({@link Attached.Process}), as init reaps its children by itself.</li>
 *   <li>{@code thread} (baseline): {@code new Thread(body).start()}, then {@code join()}.</li>
 * </ul>
 * The LWP's platform thread is joined afterwards by the supervisor's dead-LWP reaper, off the
 * caller's path (DragonFly's deadlwp task); that work competes for the same two cores and so
 * shows in the score.
 *
 * <p>Goal (issue 4): lwp at most 1.1 x thread; process is reported beside them (no goal).
 *
 * <pre>java -jar park-bench/target/benchmarks.jar ThreadStartBench</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadStartBench {
    private static final Runnable NOTHING = () -> { };

    @Benchmark
    public int lwp(Attached.Init me) {
        int lid = Lwp.create(NOTHING);
        return Lwp.waitFor(lid);
    }

    @Benchmark
    public WaitResult process(Attached.Process me) {
        int pid = Proc.fork(NOTHING);
        return Proc.waitpid(pid, 0);
    }

    @Benchmark
    public Thread thread() throws InterruptedException {
        Thread t = new Thread(NOTHING);
        t.start();
        t.join();
        return t;
    }
}
