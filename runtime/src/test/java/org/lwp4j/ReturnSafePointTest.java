package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Started;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;

/**
 * The return of a blocking call is a safe point (NetBSD's userret on the way out): a signal that
 * became deliverable while the call slept uninterruptibly has its handler run before the call
 * returns, not at the caller's next safe point.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ReturnSafePointTest {
    @Started
    private Supervisor sup;

    /**
     * The parent's wait has claimed a killed child whose LWP still unwinds, and sleeps
     * uninterruptibly until it leaves (kern_wait's reap). A SIGUSR1 sent meanwhile does not
     * wake it; its handler runs as the wait returns.
     */
    @Test
    void aHandlerOfASignalSentDuringAnUninterruptibleReapRunsBeforeWaitReturns(Supervisor.Attachment a) {
        AtomicBoolean handled = new AtomicBoolean();
        Signals.sigaction(Sig.SIGUSR1, Disposition.handler(i -> handled.set(true)));
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean unwinding = new AtomicBoolean(), inside = new AtomicBoolean();
        int child = Proc.fork(() -> {
            try {
                inside.set(true); // a kill from now on unwinds through the finally
                for (;;) {
                    Lwp.park("child");
                }
            } finally {
                unwinding.set(true);
                LwpTestSupport.awaitUninterruptibly(release);
            }
        });
        await(inside::get, "the child runs its body"); // killed before, it would never unwind
        Signals.kill(child, Sig.SIGKILL);
        await(unwinding::get, "the killed child's LWP unwinds");
        KProc me = sup.kernel().findProc(a.pid());
        KLwp waiter = me.find(a.lid());
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                await(() -> waiter.isSleeping() && waiter.waitChannel() != null
                        && "lwpwait".equals(waiter.waitChannel().toString()), () -> "the parent in the reap: " + sup.ps());
                try (var s = sup.attachNewProcess()) {
                    Signals.kill(a.pid(), Sig.SIGUSR1);
                }
            } catch (Throwable t) {
                failed.set(t);
            } finally {
                release.countDown();
            }
        }, "sender");
        sender.start();
        WaitResult r = Proc.waitpid(child, 0);
        boolean ranBeforeReturn = handled.get();
        joinThread(sender);
        assertNull(failed.get(), () -> "the sender failed: " + failed.get());
        assertTrue(r.signaled(), r.toString());
        assertTrue(ranBeforeReturn, "the handler ran before waitpid returned");
    }

    private static void joinThread(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(t.isAlive(), "the sender thread ended");
    }
}
