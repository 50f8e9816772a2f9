package org.lwp4j.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.Supervisor;

/** ProcessPool: each task in a child process of its own; failures isolated. */
@Timeout(120)
class ProcessPoolTest {
    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void parkForever() {
        for (;;) {
            Lwp.park("forever");
        }
    }

    /** Wait (bounded) until no child of ours is left: every task's process was reaped. */
    private static void awaitNoChildren(Supervisor sup, int me) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sup.ps().rows().stream().anyMatch(r -> r.ppid() == me)) {
            assertTrue(System.nanoTime() - end < 0, "task processes left: " + sup.ps());
            Lwp.sleep(Duration.ofMillis(2));
        }
    }

    @Test
    void aTaskAnswersItsResultFromAChildProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(2);
            int pid = pool.submit(Proc::getpid).get(60, TimeUnit.SECONDS);
            assertNotEquals(me.pid(), pid, "ran in a process of its own");
            assertEquals(null, pool.submit(() -> null).get(60, TimeUnit.SECONDS));
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void aThrowingTaskFailsItsFutureWithItsThrowableAndNothingElse() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(1);
            Throwable t = failure(pool.submit(() -> {
                throw new java.io.IOException("disk (expected in the log)");
            }));
            assertTrue(t instanceof java.io.IOException, "" + t);
            assertEquals(7, pool.submit(() -> 7).get(60, TimeUnit.SECONDS), "the pool goes on");
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void aKilledOrExitingTaskFailsWithItsWaitReport() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(2);
            Throwable killed = failure(pool.submit(() -> {
                Signals.kill(Proc.getpid(), Sig.SIGUSR1);
                parkForever();
                return 0;
            }));
            assertTrue(killed instanceof ProcessFailedException, "" + killed);
            assertEquals(Sig.SIGUSR1, ((ProcessFailedException) killed).result().termSig());
            Throwable exited = failure(pool.submit(() -> {
                Proc.exit(3);
                return 0;
            }));
            assertEquals(3, ((ProcessFailedException) exited).result().exitStatus());
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void aTimeoutKillsTheProcessAndClosesItsResources() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(1);
            CountDownLatch closed = new CountDownLatch(1);
            Throwable t = failure(pool.submit(() -> {
                Proc.open(closed::countDown);
                parkForever();
                return 0;
            }, Duration.ofMillis(50)));
            assertTrue(t instanceof TimeoutException, "" + t);
            assertTrue(closed.await(60, TimeUnit.SECONDS), "the resource was closed");
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void cancellingFromAPlainThreadKillsTheProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(1);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Integer> f = pool.submit(() -> {
                started.countDown();
                parkForever();
                return 0;
            });
            assertTrue(started.await(60, TimeUnit.SECONDS));
            Thread t = new Thread(() -> f.cancel(true), "plain");
            t.start();
            t.join(60_000);
            assertThrows(CancellationException.class, () -> f.get(60, TimeUnit.SECONDS));
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void atMostMaxProcessesRunAtOnce() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            ProcessPool pool = new ProcessPool(1);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Integer> first = pool.submit(() -> {
                running.countDown();
                gate.await();
                return 1;
            });
            // The watchers are LWPs of their own: without this, the second one could take the
            // slot first (seen in CI: about 1 round in 15 on 2 cores), and nothing would wait.
            assertTrue(running.await(60, TimeUnit.SECONDS), "the first task runs, holding the one slot");
            CompletableFuture<Integer> second = pool.submit(() -> 2);
            assertThrows(TimeoutException.class, () -> second.get(50, TimeUnit.MILLISECONDS), "waits for a slot");
            gate.countDown();
            assertEquals(1, first.get(60, TimeUnit.SECONDS));
            assertEquals(2, second.get(60, TimeUnit.SECONDS));
            awaitNoChildren(sup, me.pid());
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            assertThrows(IllegalArgumentException.class, () -> new ProcessPool(0));
            ProcessPool pool = new ProcessPool(1);
            assertThrows(NullPointerException.class, () -> pool.submit(null));
            assertThrows(IllegalArgumentException.class, () -> pool.submit(() -> 1, Duration.ofSeconds(-1)));
        }
    }
}
