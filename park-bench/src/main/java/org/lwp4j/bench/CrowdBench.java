package org.lwp4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

/**
 * Targeted unpark in a crowd: the {@link PingPongBench} hand-off round trip
 * ({@code Lwp.park(deadline, partnerLid, hint, hint)}) between two LWPs while {@code sleepers}
 * other LWPs of the same process sleep, all on the pair's own hint ({@code hints = same}: one
 * wait queue holds the whole crowd) or each on a hint of its own ({@code hints = distinct}:
 * the crowd spreads over the table).
 *
 * <p>Goal (issue 3): flat. NetBSD's {@code lwp_unpark} scans the sleep queue for its target,
 * O(sleepers on the bucket); lwp4j's waker works on the target's own park word, so the score
 * should not move from 10 to 10,000 sleepers, with either hint layout. The teardown also
 * checks that no sleeper of the crowd was ever woken: a targeted unpark wakes its target only.
 *
 * <p>10,000 sleepers are 10,000 platform threads. On the 2-core reference VM (ulimit -u 96365,
 * pid_max 32768, 24 GB) they took about 14 s to start and park, 10 s to stop and join, and the
 * forked JVM peaked near 375 MB resident. Setup and teardown are bounded
 * ({@link Sleepers#TIMEOUT_NANOS} per phase) and fail the trial rather than hang.
 *
 * <pre>java -jar park-bench/target/benchmarks.jar CrowdBench</pre>
 */
public class CrowdBench extends MicrosBench {
    static final String SAME = "same";
    static final String DISTINCT = "distinct";

    /** The measured pair's court and the sleeping crowd around it. */
    @State(Scope.Group)
    public static class Crowd {
        @Param({"10", "1000", "10000"})
        public int sleepers;

        @Param({SAME, DISTINCT})
        public String hints;

        Court court;
        Sleepers crowd;
        private SupervisorState env;

        @Setup(Level.Trial)
        public void open(SupervisorState env) throws Exception {
            this.env = env;
            Court k = new Court("crowd court");
            court = k;
            boolean same = SAME.equals(hints);
            crowd = Sleepers.start(env.sup, Sleepers.Kind.LWP, sleepers, i -> same ? k : new Hint(i));
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            long woken = crowd.wakeups();
            crowd.stop(env.sup);
            if (woken != 0) {
                throw new IllegalStateException(woken + " wake-ups of crowd sleepers nobody unparked");
            }
        }
    }

    /** A distinct hint, named for thread dumps. */
    static final class Hint {
        private final int i;

        Hint(int i) {
            this.i = i;
        }

        @Override
        public String toString() {
            return "crowd hint " + i;
        }
    }

    /** One JMH thread's side of the measured pair. */
    @State(Scope.Thread)
    public static class Player {
        Court.Side side;

        @Setup(Level.Trial)
        public void enter(Crowd crowd, Attached.Init me) throws InterruptedException {
            side = crowd.court.enter(Court.LWP_HANDOFF, me.lid, PingPongBench.JOIN_NANOS);
        }
    }

    @Benchmark
    @Group("crowd")
    @GroupThreads(1)
    public boolean ping(Player p, Wakeups w, Control c) throws InterruptedException {
        return p.side.rally(c, w);
    }

    @Benchmark
    @Group("crowd")
    @GroupThreads(1)
    public boolean pong(Player p, Wakeups w, Control c) throws InterruptedException {
        return p.side.rally(c, w);
    }
}
