package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chaos (issue 10): with fixed seeds, a random mix of exit storms, fork trees with kills, and
 * hostile user code (hints whose hashCode throws while the table grows, validates that throw,
 * at-fork hooks that throw, a thread starter that starts the thread and then throws, resources
 * whose close throws, uninterruptible lot waits in killed processes), each step under a
 * {@link Watchdog} that dumps threads and fails instead of hanging. Afterwards nothing is left
 * (records, processes, threads) and the kernel's audits (sleep queues, job-control counts) pass.
 */
class ChaosTest {
    private static final int STEPS = 40;

    private static void parkUntilUnparked(Object hint) {
        ParkResult r;
        do {
            r = Lwp.park(hint);
        } while (r != ParkResult.UNPARKED && r != ParkResult.ALREADY);
    }

    private static void stay() {
        for (;;) {
            Lwp.park("stay");
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 2026})
    void aRandomMixOfStormsKillsAndHostileCallbacksLeavesNothingBehind(long seed) {
        Random rnd = new Random(seed);
        AtomicBoolean starterThrows = new AtomicBoolean();
        Supervisor sup = Supervisor.builder().maxLwpPerProc(4_096).closeTimeout(Duration.ofSeconds(20))
                .lwpCache(0) // every create calls the starter, so that its failures are seen
                .threadStarter(t -> {
                    t.start();
                    if (starterThrows.get()) {
                        throw new IllegalStateException("starter threw after starting");
                    }
                }).start();
        try {
            try (var me = sup.attachNewProcess()) {
                for (int step = 0; step < STEPS; step++) {
                    int action = rnd.nextInt(8);
                    try (Watchdog w = Watchdog.start("seed " + seed + " step " + step + " action " + action, 60_000)) {
                        step(sup, rnd, action, starterThrows);
                    }
                }
                reapAll();
            }
            await(() -> sup.processCount() == 1 && sup.lwpCount() == 0 && sup.liveThreads().size() == 1 + sup.cachedThreads(),
                    () -> "only init and the reaper are left:\n" + sup.ps() + sup.liveThreads());
            assertNull(sup.kernel().sleep.audit(), "sleep queues");
            assertEquals(0, sup.sleepStats().linkedWaiters(), "no sleeper linked");
            assertNull(sup.procLayer().auditJobc(), "job-control counts");
        } finally {
            sup.close();
        }
        assertEquals(0, sup.liveThreads().size(), "no thread left: " + sup.liveThreads());
        assertEquals(0, sup.processCount());
    }

    private static void step(Supervisor sup, Random rnd, int action, AtomicBoolean starterThrows) {
        switch (action) {
            case 0: { // exit storm in this process
                int n = 200 + rnd.nextInt(800);
                int[] lids = new int[n];
                for (int i = 0; i < n; i++) {
                    lids[i] = Lwp.create(() -> parkUntilUnparked("storm"));
                }
                for (int i = 0; i < n; i += Lwp.UNPARK_MAX) {
                    int[] part = Arrays.copyOfRange(lids, i, Math.min(n, i + Lwp.UNPARK_MAX));
                    Lwp.unparkAll(part, part.length, "storm");
                }
                for (int i = 0; i < n; i++) {
                    Lwp.waitFor(0);
                }
                break;
            }
            case 1: { // a fork tree, killed at the top or as a group
                int k = 1 + rnd.nextInt(4); // drawn here, so the sequence depends on the seed only
                int child = Proc.fork(() -> {
                    Proc.setpgid(0, 0); // before its children, so that they are in its group
                    for (int i = 0; i < k; i++) {
                        Proc.fork(ChaosTest::stay);
                    }
                    stay();
                });
                Proc.setpgid(child, child);
                if (rnd.nextBoolean()) {
                    Signals.killpg(child, Sig.SIGKILL);
                } else {
                    Signals.kill(child, Sig.SIGKILL);
                    Signals.killpg(child, Sig.SIGKILL); // its orphans (init reaps them)
                }
                assertTrue(Proc.waitpid(child, 0).signaled());
                break;
            }
            case 2: { // a sleeper whose hint's hashCode throws while the table grows
                HostileHint h = new HostileHint(7);
                int sleeper = Lwp.create(() -> parkUntilUnparked(h));
                await(() -> Lwp.ctl(sleeper).state() == Lwp.State.SLEEPING, "hostile sleeper asleep");
                h.throwing = true;
                int n = 100 + rnd.nextInt(400);
                int[] lids = new int[n];
                for (int i = 0; i < n; i++) {
                    lids[i] = Lwp.create(() -> { });
                }
                for (int lid : lids) {
                    Lwp.waitFor(lid);
                }
                assertThrows(IllegalStateException.class, () -> Lwp.park(h));
                Lwp.unpark(sleeper, null);
                Lwp.waitFor(sleeper);
                break;
            }
            case 3: { // validate and at-fork hook that throw
                assertThrows(ArithmeticException.class, () -> ParkingLot.wait("v", () -> 1 / 0 == 0, Lwp.FOREVER));
                ForkHook hook = (p, c, f) -> {
                    throw new IllegalArgumentException("hook");
                };
                Proc.atFork(hook);
                try {
                    assertThrows(IllegalArgumentException.class, () -> Proc.fork(() -> { }));
                } finally {
                    Proc.removeAtFork(hook);
                }
                break;
            }
            case 4: { // a starter that starts the thread and then throws
                starterThrows.set(true);
                try {
                    expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> { throw new AssertionError("ran"); }));
                    expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { throw new AssertionError("ran"); }));
                } finally {
                    starterThrows.set(false);
                }
                break;
            }
            case 5: { // an uninterruptible lot wait without deadline in a killed child
                int child = Proc.fork(() -> ParkingLot.waitUninterruptibly("forever", () -> true, Lwp.FOREVER));
                if (rnd.nextBoolean()) {
                    await(() -> sup.sleepStats().linkedWaiters() > 0, "the child sleeps");
                }
                Signals.kill(child, Sig.SIGKILL);
                assertTrue(Proc.waitpid(child, 0).signaled());
                break;
            }
            case 6: { // a child whose resources' close throws, opened twice, and which faults
                boolean fault = rnd.nextBoolean();
                int child = Proc.fork(() -> {
                    AutoCloseable bad = () -> {
                        throw new java.io.IOException("close failed");
                    };
                    Proc.open(bad);
                    Proc.open(bad);
                    if (fault) {
                        throw new IllegalStateException("fault");
                    }
                });
                WaitResult r = Proc.waitpid(child, 0);
                assertTrue(r.exited() || r.signaled(), r.toString());
                break;
            }
            default: { // WNOHANG polls over live and killed children never sleep
                int a = Proc.fork(ChaosTest::stay);
                assertTrue(Proc.waitpid(a, Wait.WNOHANG).isNone());
                Signals.kill(a, Sig.SIGKILL);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                WaitResult r;
                while ((r = Proc.waitpid(a, Wait.WNOHANG)).isNone()) {
                    assertTrue(System.nanoTime() - deadline < 0, "the killed child is reaped in time");
                    Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1), "poll");
                }
                assertTrue(r.signaled());
                break;
            }
        }
    }

    private static void reapAll() {
        for (;;) {
            try {
                Proc.waitpid(-1, 0);
            } catch (LwpException e) {
                assertEquals(Errno.ECHILD, e.errno());
                return;
            }
        }
    }
}
