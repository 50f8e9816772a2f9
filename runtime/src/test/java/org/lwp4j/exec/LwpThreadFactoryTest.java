package org.lwp4j.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.LwpException;
import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/** LwpThreadFactory: executors whose threads are LWPs of one process. */
@Timeout(120)
class LwpThreadFactoryTest {
    @Test
    void aThreadPoolExecutorRunsItsTasksAsLwpsOfTheProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpThreadFactory f = new LwpThreadFactory(sup, me.pid(), "pool-");
            ExecutorService ex = Executors.newFixedThreadPool(2, f);
            try {
                assertEquals(me.pid(), ex.submit(Proc::getpid).get(60, TimeUnit.SECONDS));
                int child = ex.submit(() -> Proc.fork(() -> Proc.exit(9))).get(60, TimeUnit.SECONDS);
                WaitResult r = Proc.waitpid(child, 0); // the pool's LWP forked it: our child too
                assertEquals(9, r.exitStatus(), r.toString());
            } finally {
                ex.shutdown();
                assertTrue(ex.awaitTermination(60, TimeUnit.SECONDS), "the pool ended");
            }
            assertEquals(0, f.failedStarts());
        }
    }

    @Test
    void aForkJoinPoolRunsItsTasksAsLwpsOfTheProcess() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            LwpThreadFactory f = new LwpThreadFactory(sup, me.pid(), "fj-");
            ForkJoinPool pool = new ForkJoinPool(2, f.forkJoin(), null, false);
            try {
                assertEquals(me.pid(), pool.submit(Proc::getpid).get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the pool ended");
            }
        }
    }

    @Test
    void noThreadIsMadeForAProcessThatIsGoneAndBadArgumentsAreRefused() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(() -> { });
            Proc.waitpid(child, 0);
            LwpThreadFactory f = new LwpThreadFactory(sup, child, "x");
            assertNull(f.newThread(() -> { }), "the process is gone");
            assertNull(f.forkJoin().newThread(ForkJoinPool.commonPool()), "the process is gone");
            assertThrows(LwpException.class, () -> new LwpThreadFactory(sup, 0, "x"));
            assertThrows(NullPointerException.class, () -> new LwpThreadFactory(null, 1, "x"));
            assertThrows(NullPointerException.class, () -> new LwpThreadFactory(sup, 1, null));
            assertThrows(NullPointerException.class, () -> new LwpThreadFactory(sup, 1, "x").newThread(null));
        }
    }
}
