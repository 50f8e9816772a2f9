package org.lwp4j.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lwp4j.Lwp;
import org.lwp4j.Proc;
import org.lwp4j.WaitResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

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
 *   <li>{@code thread} (baseline): {@code new Thread(body).start()}, then {@code join()};</li>
 *   <li>{@code cachedPool} (baseline): {@code submit(body).get()} on
 *       {@code Executors.newCachedThreadPool()}: after the first, every task runs on a thread
 *       the pool kept (what a user who only wants "run this elsewhere" would pick);</li>
 *   <li>{@code virtualThread} (baseline, JDK 21 and later): a virtual thread's
 *       {@code start()}, then {@code join()}. The code is compiled for release 17, so it
 *       reaches {@code Thread.ofVirtual().factory()} through a method handle once, at setup,
 *       and the measured loop calls that {@code ThreadFactory}. On JDK 17 to 20 its setup
 *       throws {@code UnsupportedOperationException}: JMH reports that one benchmark as failed
 *       with the reason and runs the rest. Run it on JDK 25 with
 *       {@code -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}.</li>
 * </ul>
 * With the LWP cache (on by default) the LWP's platform thread goes back to the supervisor's
 * cache and runs the next create's LWP, as the cached pool's worker runs the next task; with
 * {@code lwpCache(0)}, or when the cache is full, the thread is joined by the dead-LWP reaper,
 * off the caller's path (DragonFly's deadlwp task); that work competes for the same two cores
 * and so shows in the score.
 *
 * <p>Goal (issue 4): lwp at most 1.1 x thread; process is reported beside them (no goal).
 * Goals (DESIGN, issue 13): lwp within 1.2 x cachedPool; on JDK 25, within 2 x virtualThread.
 * Each wait of the baselines is bounded ({@link #WAIT_SECONDS}): a task or thread that never
 * ends fails the benchmark instead of hanging it.
 *
 * <pre>
 * java -jar park-bench/target/benchmarks.jar ThreadStartBench
 * java -jar park-bench/target/benchmarks.jar ThreadStartBench -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
 * </pre>
 */
public class ThreadStartBench extends MicrosBench {
    private static final Runnable NOTHING = () -> { };
    /** The longest wait for a baseline's task or thread to end. */
    static final long WAIT_SECONDS = 30;

    /** The cached thread pool of {@code cachedPool}, one per trial. */
    @State(Scope.Benchmark)
    public static class CachedPool {
        ExecutorService pool;

        @Setup(Level.Trial)
        public void start() {
            pool = Executors.newCachedThreadPool();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cached pool: threads still running after " + WAIT_SECONDS + " s");
            }
        }
    }

    /** The virtual-thread factory of {@code virtualThread} (JDK 21 and later). */
    @State(Scope.Benchmark)
    public static class VirtualThreads {
        ThreadFactory factory;

        @Setup(Level.Trial)
        public void find() throws Throwable {
            factory = virtualThreadFactory();
        }
    }

    /**
     * {@code Thread.ofVirtual().factory()}, reached through method handles so that this class
     * compiles for release 17.
     *
     * @throws UnsupportedOperationException before JDK 21 (no {@code Thread.ofVirtual})
     */
    static ThreadFactory virtualThreadFactory() throws Throwable {
        Class<?> ofVirtual;
        try {
            ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        } catch (ClassNotFoundException e) {
            throw new UnsupportedOperationException("virtualThread: virtual threads need JDK 21 or later; this JVM is "
                    + Runtime.version() + " (run it with -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)");
        }
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        MethodHandle builder = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
        MethodHandle factory = l.findVirtual(ofVirtual, "factory", MethodType.methodType(ThreadFactory.class));
        return (ThreadFactory) factory.invoke(builder.invoke());
    }

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
        return joined(t);
    }

    @Benchmark
    public Object cachedPool(CachedPool p) throws InterruptedException, ExecutionException, TimeoutException {
        return p.pool.submit(NOTHING).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Benchmark
    public Thread virtualThread(VirtualThreads v) throws InterruptedException {
        Thread t = v.factory.newThread(NOTHING);
        t.start();
        return joined(t);
    }

    /** Join {@code t}, failing if it has not ended within {@link #WAIT_SECONDS}. */
    private static Thread joined(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        if (t.isAlive()) {
            throw new IllegalStateException(t + " did not end within " + WAIT_SECONDS + " s");
        }
        return t;
    }
}
