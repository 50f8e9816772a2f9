package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lwp4j.LwpTestSupport.awaitLatch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Child bodies and wait helpers for the process tests; the bounded waits are {@link LwpTestSupport}'s. */
final class ProcTestSupport {
    private ProcTestSupport() {
    }

    /** Poll with WNOHANG until the child {@code pid} reports (bounded). */
    static WaitResult awaitReport(int pid, int options) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LwpTestSupport.WAIT_MILLIS);
        for (;;) {
            WaitResult r = Proc.wait(IdType.P_PID, pid, options | Wait.WNOHANG);
            if (!r.isNone()) {
                return r;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("child " + pid + " reported nothing within " + LwpTestSupport.WAIT_MILLIS + " ms (options "
                        + Wait.optionNames(options) + ")");
            }
            Lwp.parkUntil(System.nanoTime() + 1_000_000, "poll");
        }
    }

    /** waitpid(pid) expecting an exit with {@code code}. */
    static WaitResult reapExited(int pid, int code) {
        WaitResult r = Proc.waitpid(pid, 0);
        assertEquals(pid, r.pid(), r.toString());
        assertTrue(r.exited(), "expected an exit: " + r);
        assertEquals(code, r.exitStatus(), r.toString());
        return r;
    }

    /** A child body that waits for {@code gate} ({@code what} names it) and then exits with {@code status}. */
    static Runnable exitAfter(CountDownLatch gate, String what, int status) {
        return () -> {
            awaitLatch(gate, what);
            Proc.exit(status);
        };
    }

    /** A child body that waits for {@code gate} and then returns. */
    static Runnable waitFor(CountDownLatch gate) {
        return () -> awaitLatch(gate, "gate");
    }

    /**
     * Fork a child that forks a grandchild exiting with 33, waits (WNOWAIT) until it is a
     * zombie, which it leaves unreaped, and exits with 44. The grandchild's pid goes to {@code g}.
     */
    static int forkParentOfAZombie(AtomicInteger g) {
        return Proc.fork(() -> {
            int gc = Proc.fork(() -> Proc.exit(33));
            g.set(gc);
            Proc.wait(IdType.P_PID, gc, Wait.WEXITED | Wait.WNOWAIT); // a zombie, not reaped
            Proc.exit(44);
        });
    }

    /** A child body that parks until killed (for exits that kill other LWPs or processes). */
    static void parkForever() {
        for (;;) {
            Lwp.park("forever");
        }
    }
}
