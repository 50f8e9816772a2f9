package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;

/** Bounded waits, errno checks and small child bodies shared by the process tests. */
final class ProcTestSupport {
    /** How long any wait in these tests may take before it fails (never a speed assertion). */
    static final long WAIT_MILLIS = 20_000;

    private ProcTestSupport() {
    }

    /** Poll {@code cond} until it holds; fail with {@code what} after {@link #WAIT_MILLIS}. */
    static void await(BooleanSupplier cond, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reached within " + WAIT_MILLIS + " ms: " + what.get());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what.get());
            }
        }
    }

    static void await(BooleanSupplier cond, String what) {
        await(cond, () -> what);
    }

    /** Await a latch (from an LWP body or a test thread), bounded. */
    static void awaitLatch(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("latch not released within " + WAIT_MILLIS + " ms: " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Run {@code call}, expect an LwpException with {@code errno}, return it. */
    static LwpException expectErrno(Errno errno, Executable call) {
        LwpException e = assertThrows(LwpException.class, call, "expected " + errno);
        assertEquals(errno, e.errno(), e.getMessage());
        return e;
    }

    /** As {@link #expectErrno(Errno, Executable)}, saying what the case is. */
    static LwpException expectErrno(Errno errno, Executable call, String what) {
        LwpException e = assertThrows(LwpException.class, call, what + ": expected " + errno);
        assertEquals(errno, e.errno(), what + ": " + e.getMessage());
        return e;
    }

    /** Poll with WNOHANG until the child {@code pid} reports (bounded). */
    static WaitResult awaitReport(int pid, int options) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (;;) {
            WaitResult r = Proc.wait(IdType.P_PID, pid, options | Proc.WNOHANG);
            if (!r.isNone()) {
                return r;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("child " + pid + " reported nothing within " + WAIT_MILLIS + " ms (options 0x"
                        + Integer.toHexString(options) + ")");
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

    /** A child body that waits for {@code gate} and then returns. */
    static Runnable waitFor(CountDownLatch gate) {
        return () -> awaitLatch(gate, "gate");
    }

    /** A child body that parks until killed (for exits that kill other LWPs or processes). */
    static void parkForever() {
        for (;;) {
            Lwp.park("forever");
        }
    }
}
