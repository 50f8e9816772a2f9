package org.lwp4j.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.ParkResult;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/** LwpExecutorService: a fixed pool of LWPs in one process. */
@Timeout(120)
class LwpExecutorServiceTest {
    private static void end(LwpExecutorService ex) throws InterruptedException {
        ex.shutdown();
        assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS), "the pool ended");
        assertEquals(0, ex.liveWorkers());
    }

    @Test
    void invokeAllRunsEveryTaskOnAnLwpOfTheProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpExecutorService ex = new LwpExecutorService(3);
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(Proc::getpid);
            }
            for (Future<Integer> f : ex.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                assertEquals(me.pid(), f.get());
            }
            end(ex);
            assertTrue(ex.isShutdown() && ex.isTerminated());
        }
    }

    @Test
    void shutdownRunsTheQueuedTasksAndRejectsNewOnes() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpExecutorService ex = new LwpExecutorService(1);
            CountDownLatch gate = new CountDownLatch(1);
            ex.execute(() -> awaitQuietly(gate));
            Future<String> queued = ex.submit(() -> "ran");
            ex.shutdown();
            assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
            assertFalse(ex.awaitTermination(10, TimeUnit.MILLISECONDS), "not while a task runs");
            gate.countDown();
            assertEquals("ran", queued.get(60, TimeUnit.SECONDS));
            assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void shutdownNowWakesAParkedTaskAndAnswersTheQueuedOnes() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpExecutorService ex = new LwpExecutorService(1);
            CountDownLatch parked = new CountDownLatch(1);
            Future<ParkResult> running = ex.submit(() -> {
                parked.countDown();
                ParkResult r;
                do {
                    r = Lwp.park("job");
                } while (r != ParkResult.INTERRUPTED);
                return r;
            });
            Future<?> queued = ex.submit(() -> { });
            assertTrue(parked.await(60, TimeUnit.SECONDS));
            List<Runnable> left = ex.shutdownNow();
            assertEquals(1, left.size());
            assertTrue(left.get(0) == queued);
            assertEquals(ParkResult.INTERRUPTED, running.get(60, TimeUnit.SECONDS));
            assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS));
        }
    }

    @Test
    void aThrowingTaskNeitherEndsItsWorkerNorAbortsTheProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpExecutorService ex = new LwpExecutorService(1);
            Future<?> bad = ex.submit(() -> {
                throw new IllegalStateException("boom");
            });
            assertThrows(ExecutionException.class, () -> bad.get(60, TimeUnit.SECONDS));
            ex.execute(() -> {
                throw new IllegalStateException("boom, uncaught (expected in the log)");
            });
            assertEquals(me.pid(), ex.submit(Proc::getpid).get(60, TimeUnit.SECONDS));
            assertEquals(1, ex.liveWorkers());
            end(ex);
        }
    }

    @Test
    void whenTheProcessIsKilledThePoolTerminatesAndCancelsWhatIsQueued() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            java.util.concurrent.atomic.AtomicReference<LwpExecutorService> pool =
                    new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            int child = Proc.fork(() -> {
                LwpExecutorService ex = new LwpExecutorService(2);
                pool.set(ex);
                ex.execute(() -> {
                    for (;;) {
                        Lwp.park("forever");
                    }
                });
                ready.countDown();
                for (;;) {
                    Lwp.park("forever");
                }
            });
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            LwpExecutorService ex = pool.get();
            Signals.kill(child, Sig.SIGKILL);
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.signaled(), r.toString());
            assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS), "the pool terminated with its process");
            assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> { }));
        }
    }

    @Test
    void aPoolWhoseProcessIsKilledBeforeItsWorkersRunStillTerminates() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            for (int round = 0; round < 10; round++) {
                java.util.concurrent.atomic.AtomicReference<LwpExecutorService> pool =
                        new java.util.concurrent.atomic.AtomicReference<>();
                int child = Proc.fork(() -> {
                    pool.set(new LwpExecutorService(16));
                    Signals.kill(Proc.getpid(), Sig.SIGKILL); // most workers have not run yet
                });
                WaitResult r = Proc.waitpid(child, 0);
                assertTrue(r.signaled(), r.toString());
                LwpExecutorService ex = pool.get();
                assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS),
                        "round " + round + ": the pool terminated with its process, "
                                + ex.liveWorkers() + " workers still counted");
                assertEquals(0, ex.liveWorkers());
            }
        }
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            assertThrows(IllegalArgumentException.class, () -> new LwpExecutorService(0));
            LwpExecutorService ex = new LwpExecutorService(1);
            assertThrows(NullPointerException.class, () -> ex.execute(null));
            end(ex);
        }
        assertThrows(IllegalStateException.class, () -> new LwpExecutorService(1), "not an LWP");
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
