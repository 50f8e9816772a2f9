package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.awaitLatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the README says of framework code that catches Throwable: a CompletableFuture task run on
 * an LWP swallows its LwpExit into the future, the LWP runs on, and its next call into the
 * runtime throws LwpExit again (the exit is not lost).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpExitSwallowedTest {
    @Test
    void aSwallowedLwpExitIsThrownAgainByTheNextCallIntoTheRuntime(Supervisor.Attachment a) {
        AtomicReference<Throwable> inFuture = new AtomicReference<>();
        AtomicReference<LwpExit> again = new AtomicReference<>();
        CountDownLatch asleep = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
                asleep.countDown();
                ProcTestSupport.parkForever(); // the kill's LwpExit is thrown here
            }, Runnable::run); // the task runs on this LWP
            try {
                f.join();
            } catch (CompletionException e) {
                inFuture.set(e.getCause());
            }
            try {
                Lwp.self(); // the next call into the runtime: a safe point
            } catch (LwpExit e) {
                again.set(e);
                throw e;
            }
        });
        awaitLatch(asleep, "the task parked");
        Signals.kill(c, Sig.SIGTERM);
        WaitResult r = Proc.waitpid(c, 0);
        assertTrue(r.signaled() && r.termSig() == Sig.SIGTERM, r.toString());
        assertTrue(inFuture.get() instanceof LwpExit, "the future swallowed the LwpExit: " + inFuture.get());
        assertNotNull(again.get(), "the next call threw LwpExit again");
    }
}
