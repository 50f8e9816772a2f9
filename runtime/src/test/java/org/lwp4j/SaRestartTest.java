package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lwp4j.Disposition;

/**
 * SA_RESTART: a kernel sleep interrupted by a caught signal answers EINTR after the handler ran,
 * or starts again when the handler has SA_RESTART; park never restarts (NetBSD's _lwp_park
 * turns ERESTART into EINTR). Pipes are covered in PipeTest.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SaRestartTest {
    @Started
    private Supervisor sup;

    /** Install a SIGUSR1 handler (with SA_RESTART if {@code restart}) that counts its runs in the answer. */
    private static AtomicInteger countSigusr1(boolean restart) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()).withFlags(restart ? SA_RESTART : 0));
        return ran;
    }

    /** Runs {@code sleeper} on a new LWP, signals it once asleep on {@code channel}; answers what it returned or its errno. */
    private static Object interrupt(String channel, java.util.function.Supplier<Object> sleeper, Runnable after) {
        AtomicReference<Object> out = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                out.set(sleeper.get());
            } catch (LwpException e) {
                out.set(e.errno());
            }
        });
        awaitSleepsOn(t, channel);
        lwpKill(t, SIGUSR1);
        after.run();
        assertEquals(t, Lwp.waitFor(t));
        return out.get();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aProcessWaitAnswersEintrUnlessTheHandlerHasSaRestart(boolean restart, Supervisor.Attachment a) {
        AtomicInteger ran = countSigusr1(restart);
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(waitFor(go));
        Object out = interrupt("wait", () -> Proc.waitpid(c, 0).pid(), () -> {
            await(() -> ran.get() == 1, "the handler ran");
            go.countDown();
        });
        assertEquals(1, ran.get());
        if (restart) {
            assertEquals(c, out, "restarted: the wait reaped the child");
        } else {
            assertEquals(Errno.EINTR, out);
            reapExited(c, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anLwpWaitAnswersEintrUnlessTheHandlerHasSaRestart(boolean restart, Supervisor.Attachment a) {
        AtomicInteger ran = countSigusr1(restart);
        CountDownLatch go = new CountDownLatch(1);
        int target = Lwp.create(() -> awaitLatch(go, "target"));
        Object out = interrupt("lwpwait", () -> Lwp.waitFor(target), () -> {
            await(() -> ran.get() == 1, "the handler ran");
            go.countDown();
        });
        if (restart) {
            assertEquals(target, out, "restarted: the wait collected the target");
        } else {
            assertEquals(Errno.EINTR, out);
            assertEquals(target, Lwp.waitFor(target));
        }
    }

    @Test
    void parkReturnsInterruptedEvenWithSaRestart(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.handler(i -> { }).withFlags(SA_RESTART));
        assertEquals(ParkResult.INTERRUPTED, interrupt("h", () -> Lwp.park("h"), () -> { }));
        assertEquals(ParkResult.INTERRUPTED,
                interrupt("lot", () -> ParkingLot.wait("lot", () -> true, Long.MAX_VALUE), () -> { }));
    }

    @Test
    void aStopAndContinueDoNotInterruptAProcessWait(Supervisor.Attachment a) {
        AtomicReference<Object> out = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        // the waiting process is a child, so that its stop can be watched from here
        int w = Proc.fork(() -> {
            int gc = Proc.fork(waitFor(go));
            out.set(Proc.waitpid(gc, 0).pid() == gc ? "reaped" : "other");
            if (!"reaped".equals(out.get())) {
                Proc.exit(1);
            }
        });
        await(() -> sup.ps().toString().contains(" wait"), () -> "the child waits: " + sup.ps());
        kill(w, SIGSTOP);
        assertTrue(Proc.waitpid(w, Wait.WUNTRACED).stopped());
        kill(w, SIGCONT);
        go.countDown();
        reapExited(w, 0);
        assertEquals("reaped", out.get());
    }

    @Test
    void sigactionAcceptsSaRestart(Supervisor.Attachment a) {
        Disposition d = Disposition.handler(i -> { }).withFlags(SA_RESTART);
        sigaction(SIGUSR2, d);
        assertEquals(SA_RESTART, sigaction(SIGUSR2).flags());
        expectErrno(Errno.EINVAL, () -> sigaction(SIGUSR2, Disposition.handler(i -> { }).withFlags(0x4000)),
                "an unknown flag");
    }
}
