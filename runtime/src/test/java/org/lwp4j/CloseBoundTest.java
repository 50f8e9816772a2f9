package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * close() is bounded by its timeout whatever user code does (issue 10): an at-fork hook that
 * does not return holds the process tree lock, and close answers EBUSY saying so instead of
 * waiting for it; once the hook has returned, close succeeds.
 */
@Timeout(120)
class CloseBoundTest {
    @Test
    void closeAnswersEbusyWithinItsTimeoutWhileAnAtForkHookBlocksAndSucceedsLater() throws Exception {
        Supervisor sup = Supervisor.builder().closeTimeout(Duration.ofMillis(300)).start();
        CountDownLatch inHook = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> forker = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (var a = sup.attachNewProcess()) {
                Proc.atFork((parent, child, flags) -> {
                    inHook.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS); // "never" returns, as far as close knows
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                forker.complete(Proc.fork(() -> { }));
            } catch (Throwable e) {
                forker.complete(e);
            }
        }, "forker");
        t.setDaemon(true);
        t.start();
        awaitLatch(inHook, "the at-fork hook to run");
        try (Watchdog w = Watchdog.start("close while an at-fork hook blocks", 20_000)) {
            LwpException e = expectErrno(Errno.EBUSY, sup::close, "close while the hook holds the tree lock");
            assertTrue(e.getMessage().contains("at-fork hook"), "says what it waited for: " + e.getMessage());
        } finally {
            release.countDown();
        }
        forker.get(20, TimeUnit.SECONDS); // the fork ends one way or the other (the supervisor is closing)
        t.join(TimeUnit.SECONDS.toMillis(20));
        sup.close();
        assertEquals(0, sup.liveThreads().size(), "no thread left: " + sup.liveThreads());
        assertEquals(0, sup.processCount());
    }
}
