package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Exit storms (issue 10): thousands of LWPs of one process, or thousands of processes, end at
 * once on a warm JVM, round after round, and every one is collected in bounded time. Before the
 * dead-LWP hand-off became an {@code ExitQueue} the LWP storm livelocked in jctools' chunked
 * array queue (producers spinning for a chunk a preempted producer had to append). A
 * {@link Watchdog} ends a round that hangs, with a thread dump.
 *
 * <p>Sizes: the 20 rounds run at 2,000 LWPs and 1,000 processes; the top sizes (10,000
 * LWPs in one process, 5,000 processes) run 3 rounds each, to keep the class within a couple of
 * minutes on 2 loaded cores (10,000 platform threads start in 1 to 3 s there). Threads use the
 * JVM's default stack size, which is reserved, not committed: 10,000 of them fit.
 */
class ExitStormTest {
    private static final long ROUND_MILLIS = 120_000;
    private static final Object STORM = "storm";

    @Test
    void twentyRoundsOfTwoThousandExitingLwpsAreEachCollected() {
        lwpStorm(2_000, 20);
    }

    @Test
    void threeRoundsOfTenThousandExitingLwpsInOneProcessAreEachCollected() {
        lwpStorm(10_000, 3);
    }

    @Test
    void twentyRoundsOfAThousandKilledProcessesAreEachReaped() {
        procStorm(1_000, 20);
    }

    @Test
    void threeRoundsOfFiveThousandKilledProcessesAreEachReaped() {
        procStorm(5_000, 3);
    }

    /** Body of a storm LWP: park until unparked (an unpark before the park counts: ALREADY). */
    private static void parkUntilUnparked() {
        ParkResult r;
        do {
            r = Lwp.park(STORM);
        } while (r != ParkResult.UNPARKED && r != ParkResult.ALREADY);
    }

    /**
     * Run {@code rounds} rounds of {@code round} on a supervisor made by {@code b}, the test
     * thread attached as a process of its own, each round under a {@link Watchdog}.
     */
    private static void storms(String what, Supervisor.Builder b, int rounds, Consumer<Supervisor> round) {
        try (Supervisor sup = b.start(); Supervisor.Attachment me = sup.attachNewProcess()) {
            for (int i = 0; i < rounds; i++) {
                try (Watchdog w = Watchdog.start(what + ", round " + i, ROUND_MILLIS)) {
                    round.accept(sup);
                }
            }
        }
    }

    private static void lwpStorm(int n, int rounds) {
        storms("LWP storm of " + n, Supervisor.builder().maxLwpPerProc(n + 16), rounds, sup -> {
            int[] lids = new int[n];
            for (int i = 0; i < n; i++) {
                lids[i] = Lwp.create(ExitStormTest::parkUntilUnparked);
            }
            int chunk = Lwp.UNPARK_MAX;
            for (int i = 0; i < n; i += chunk) {
                int[] part = Arrays.copyOfRange(lids, i, Math.min(n, i + chunk));
                Lwp.unparkAll(part, part.length, STORM);
            }
            Set<Integer> collected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                collected.add(Lwp.waitFor(0));
            }
            assertEquals(n, collected.size(), "each LWP collected once");
            await(() -> sup.lwpCount() == 1 && sup.liveThreads().size() == 1 + sup.cachedThreads(),
                    () -> "records and threads freed: " + sup.lwpCount() + " records, "
                            + sup.liveThreads().size() + " threads");
        });
    }

    private static void procStorm(int n, int rounds) {
        storms("process storm of " + n, Supervisor.builder().maxProc(n + 16), rounds, sup -> {
            int[] pids = new int[n];
            for (int i = 0; i < n; i++) {
                pids[i] = Proc.fork(() -> {
                    for (;;) {
                        Lwp.park(STORM); // until SIGKILL ends it at this safe point
                    }
                });
                Proc.setpgid(pids[i], pids[0]);
            }
            Signals.killpg(pids[0], Sig.SIGKILL);
            Set<Integer> reaped = new HashSet<>();
            for (int i = 0; i < n; i++) {
                WaitResult r = Proc.waitpid(-pids[0], 0);
                assertTrue(r.signaled(), "killed: " + r);
                reaped.add(r.pid());
            }
            assertEquals(n, reaped.size(), "each child reaped once");
            await(() -> sup.processCount() == 2 && sup.liveThreads().size() == 1 + sup.cachedThreads(),
                    () -> "tables and threads freed: " + sup.processCount() + " processes, "
                            + sup.liveThreads().size() + " threads");
        });
    }
}
