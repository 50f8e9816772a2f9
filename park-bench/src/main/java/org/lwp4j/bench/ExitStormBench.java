package org.lwp4j.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.ParkResult;
import org.lwp4j.Supervisor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An exit storm (issue 10): N parked LWPs of one process are woken at once ({@code unparkAll}
 * in chunks of {@link Lwp#UNPARK_MAX}), their bodies return, and the process collects every
 * one with {@code _lwp_wait(0)}; N = 1,000 and 10,000. Beside it, the baseline: N platform
 * threads parked in {@code LockSupport.park}, unparked in a loop and joined.
 *
 * <p>Before each invocation a {@code @Setup(Level.Invocation)} starts the N LWPs (or threads)
 * and waits until every one sleeps; the invocation is the wake, the N exits and the collection.
 * The {@code lwps} counter ({@code @AuxCounters(OPERATIONS)}) counts collected LWPs, so JMH
 * reports the cost per LWP ({@code :lwps}) next to the cost per invocation. Goal: the per-LWP
 * cost flat from 1,000 to 10,000, and no livelock (the chunked array queue the dead-LWP
 * reaper used before livelocked here, 7 runs in 8 at 5,000 LWPs).
 *
 * <pre>java -jar park-bench/target/benchmarks.jar ExitStormBench</pre>
 */
public class ExitStormBench extends MicrosBench {
    static final long SLEEP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);
    static final Object HINT = "storm";

    /** The JMH thread attached as a process of its own supervisor, and the N sleepers. */
    @State(Scope.Thread)
    public static class Storm {
        @Param({"1000", "10000"})
        public int n;

        @Param({"lwp", "thread"})
        public String impl;

        Supervisor sup;
        Supervisor.Attachment me;
        int[] lids;
        LwpCtl[] ctls;
        Thread[] threads;
        volatile boolean go;

        @Setup(Level.Trial)
        public void start() {
            sup = Supervisor.builder().maxLwpPerProc(n + 16).start();
            me = sup.attachNewProcess();
            lids = new int[n];
            ctls = new LwpCtl[n];
            threads = new Thread[n];
        }

        @TearDown(Level.Trial)
        public void stop() {
            me.close();
            sup.close();
        }

        @Setup(Level.Invocation)
        public void parkAll() throws InterruptedException {
            long deadline = System.nanoTime() + SLEEP_WAIT_NANOS;
            if (impl.equals("lwp")) {
                for (int i = 0; i < n; i++) {
                    lids[i] = Lwp.create(ExitStormBench::parkUntilUnparked);
                    ctls[i] = Lwp.ctl(lids[i]);
                }
                for (int i = 0; i < n; i++) {
                    while (ctls[i].state() != Lwp.State.SLEEPING) {
                        tooLate(deadline, "lwp " + lids[i] + " did not park");
                        Thread.sleep(0, 100_000);
                    }
                }
            } else {
                go = false;
                for (int i = 0; i < n; i++) {
                    Thread t = new Thread(this::parkUntilGo);
                    threads[i] = t;
                    t.start();
                }
                for (int i = 0; i < n; i++) {
                    while (threads[i].getState() != Thread.State.WAITING) {
                        tooLate(deadline, "thread " + i + " did not park");
                        Thread.sleep(0, 100_000);
                    }
                }
            }
        }

        private void parkUntilGo() {
            while (!go) {
                LockSupport.park(HINT);
            }
        }
    }

    private static void tooLate(long deadline, String what) {
        if (deadline - System.nanoTime() < 0) {
            throw new IllegalStateException(what + " within " + SLEEP_WAIT_NANOS + " ns");
        }
    }

    private static void parkUntilUnparked() {
        ParkResult r;
        do {
            r = Lwp.park(HINT);
        } while (r != ParkResult.UNPARKED && r != ParkResult.ALREADY);
    }

    /** Collected LWPs (or joined threads), reported per unit of time by JMH. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Collected {
        public long lwps;

        @Setup(Level.Iteration)
        public void reset() {
            lwps = 0;
        }
    }

    @Benchmark
    public int storm(Storm s, Collected c) throws InterruptedException {
        int n = s.n;
        int last = 0;
        if (s.impl.equals("lwp")) {
            for (int i = 0; i < n; i += Lwp.UNPARK_MAX) {
                int[] part = Arrays.copyOfRange(s.lids, i, Math.min(n, i + Lwp.UNPARK_MAX));
                Lwp.unparkAll(part, part.length, HINT);
            }
            for (int i = 0; i < n; i++) {
                last = Lwp.waitFor(0);
            }
        } else {
            s.go = true;
            for (Thread t : s.threads) {
                LockSupport.unpark(t);
            }
            for (Thread t : s.threads) {
                t.join();
            }
            last = n;
        }
        c.lwps += n;
        return last;
    }
}
