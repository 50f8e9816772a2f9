package org.lwp4j.bench;

import org.lwp4j.Wait;
import java.util.concurrent.TimeUnit;
import org.lwp4j.Errno;
import org.lwp4j.IdType;
import org.lwp4j.LwpException;
import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Reaping N exited children with wait-any ({@code Proc.waitAny()}, i.e. {@code waitpid(-1, 0)}),
 * for N = 10, 1,000 and 10,000.
 *
 * <p>Before each invocation a {@code @Setup(Level.Invocation)} forks N children whose body
 * returns at once and waits, without reaping ({@code WNOHANG | WNOWAIT}), until every one is
 * a zombie and every child's platform thread has ended (reaping waits, bounded, for a zombie's
 * last thread to leave its CPU, as DragonFly's {@code kern_wait}: that is the child's exit,
 * not the reaping). The invocation then reaps all N with N wait-any calls; only that is timed. The
 * {@code children} counter ({@code @AuxCounters(OPERATIONS)}) counts reaped children, so JMH
 * reports the cost per child next to the cost per invocation (JMH's
 * {@code @OperationsPerInvocation} is a constant and cannot follow a {@code @Param}).
 * DragonFly's {@code kern_wait} scans the whole child list on each wait, O(N) per child;
 * lwp4j keeps a queue of unclaimed zombies per parent.
 *
 * <p>Goal (issue 4): the per-child score ({@code :children}) flat from N = 10 to 10,000.
 *
 * <pre>java -jar park-bench/target/benchmarks.jar WaitAnyBench</pre>
 */
public class WaitAnyBench extends MicrosBench {
    static final long ZOMBIE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final Runnable NOTHING = () -> { };

    /** The parent process (the JMH thread) and its N children, forked before each invocation. */
    @State(Scope.Thread)
    public static class Parent {
        @Param({"10", "1000", "10000"})
        public int n;

        int[] pids;
        Supervisor sup;

        @Setup(Level.Trial)
        public void enter(Attached.Process me) {
            pids = new int[n];
            sup = me.supervisor();
        }

        @Setup(Level.Invocation)
        public void forkZombies() throws InterruptedException {
            for (int i = 0; i < n; i++) {
                pids[i] = Proc.fork(NOTHING);
            }
            long deadline = System.nanoTime() + ZOMBIE_WAIT_NANOS;
            for (int i = 0; i < n; i++) {
                while (Proc.wait(IdType.P_PID, pids[i], Wait.WEXITED | Wait.WNOHANG | Wait.WNOWAIT).isNone()) {
                    if (deadline - System.nanoTime() < 0) {
                        throw new IllegalStateException("child " + pids[i] + " did not exit");
                    }
                    Thread.sleep(0, 100_000);
                }
            }
            // Only the dead-LWP reaper left alive among the supervisor's threads, beside the
            // idle ones of the LWP cache (they wait there for the next fork, not for us).
            while (sup.liveThreads().size() - sup.cachedThreads() > 1) {
                if (deadline - System.nanoTime() < 0) {
                    throw new IllegalStateException("children's threads still alive: " + sup.liveThreads());
                }
                Thread.sleep(0, 100_000);
            }
        }

        /** Every child was reaped: wait-any now answers ECHILD. */
        @TearDown(Level.Trial)
        public void check() {
            WaitResult r;
            try {
                r = Proc.wait(IdType.P_ALL, 0, Wait.WEXITED | Wait.WNOHANG);
            } catch (LwpException e) {
                if (e.errno() == Errno.ECHILD) {
                    return;
                }
                throw e;
            }
            throw new IllegalStateException("a child was left unreaped: " + r);
        }
    }

    /** Children reaped, reported per unit of time by JMH. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Reaped {
        public long children;

        @Setup(Level.Iteration)
        public void reset() {
            children = 0;
        }
    }

    @Benchmark
    public int reapAll(Parent p, Reaped reaped) {
        int last = 0;
        for (int i = p.n; i > 0; i--) {
            last = Proc.waitAny().pid();
        }
        reaped.children += p.n;
        return last;
    }
}
