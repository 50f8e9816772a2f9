package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitExited;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code _lwp_suspend} and {@code _lwp_continue} ({@link Lwp#resume}): suspension at safe points,
 * the SUSPENDED creation flag, EDEADLK, EINTR, ESRCH.
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpSuspendTest {

    /** Long enough for a running LWP to make progress many times over; not a speed assertion. */
    private static final long QUIET_MILLIS = 100;

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An LWP that calls {@code suspend(target)}: its thread, whether suspend returned, or its error. */
    private static final class Suspender {
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final AtomicReference<LwpException> answer = new AtomicReference<>();
        final AtomicBoolean returned = new AtomicBoolean();
        final int lid;

        Suspender(int target) {
            lid = Lwp.create(() -> {
                thread.set(Thread.currentThread());
                try {
                    Lwp.suspend(target);
                    returned.set(true);
                } catch (LwpException e) {
                    answer.set(e);
                }
            });
        }

        /** The errno suspend answered, or null if it returned or has not answered yet. */
        Errno errno() {
            LwpException e = answer.get();
            return e == null ? null : e.errno();
        }
    }

    @Test
    void anLwpCreatedSuspendedDoesNotRunUntilResumed(Supervisor.Attachment me) {
        AtomicBoolean ran = new AtomicBoolean();
        int lid = Lwp.create(() -> ran.set(true), Lwp.SUSPENDED);
        LwpCtl c = Lwp.ctl(lid);
        assertEquals(Lwp.State.SUSPENDED, c.state());
        pause(QUIET_MILLIS);
        assertFalse(ran.get(), "a SUSPENDED LWP ran its body before it was continued");
        assertEquals(Lwp.State.SUSPENDED, c.state());
        Lwp.resume(lid);
        await(ran::get, "the continued LWP runs");
        assertEquals(lid, Lwp.waitFor(lid));
    }

    @Test
    void waitForAnLwpJustContinuedAfterCreatingItSuspended(Supervisor.Attachment me) {
        // _lwp_continue makes the LWP runnable at once: the caller may then wait for it
        // without being told that everyone waits (the only other LWP is no longer suspended).
        for (int i = 0; i < 50; i++) {
            AtomicBoolean ran = new AtomicBoolean();
            int lid = Lwp.create(() -> ran.set(true), Lwp.SUSPENDED);
            Lwp.resume(lid);
            assertEquals(lid, Lwp.waitFor(lid), "round " + i);
            assertTrue(ran.get());
        }
    }

    @Test
    void suspendStopsProgressAndResumeResumesIt(Supervisor.Attachment me) {
        AtomicLong counter = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        int lid = Lwp.create(() -> {
            while (!stop.get()) {
                counter.incrementAndGet();
                Lwp.checkpoint();
            }
        });
        LwpCtl c = Lwp.ctl(lid);
        await(() -> counter.get() > 100, "the LWP makes progress");

        Lwp.suspend(lid);
        assertEquals(Lwp.State.SUSPENDED, c.state(), "suspend returns once the target is suspended");
        long frozen = counter.get();
        pause(QUIET_MILLIS);
        assertEquals(frozen, counter.get(), "a suspended LWP made progress");
        assertEquals(Lwp.State.SUSPENDED, c.state());

        // Suspending an LWP that is already suspended returns at once; one resume is enough.
        Lwp.suspend(lid);
        assertEquals(frozen, counter.get());

        Lwp.resume(lid);
        await(() -> counter.get() > frozen + 100, "the continued LWP makes progress again");
        assertTrue(c.state() == Lwp.State.RUNNING, "state after resume: " + c.state());
        stop.set(true);
        assertEquals(lid, Lwp.waitFor(lid));
    }

    @Test
    void suspendingSelfAsTheOnlyRunningLwpAnswersEdeadlk(Supervisor.Attachment me) {
        LwpException e = expectErrno(Errno.EDEADLK, () -> Lwp.suspend(Lwp.self()));
        assertTrue(e.getMessage().contains("_lwp_suspend(" + Lwp.self() + ")"), e.getMessage());

        // A suspended LWP does not count as running.
        AtomicBoolean ran = new AtomicBoolean();
        int other = Lwp.create(() -> ran.set(true), Lwp.SUSPENDED);
        expectErrno(Errno.EDEADLK, () -> Lwp.suspend(Lwp.self()));
        assertEquals(Lwp.State.RUNNING, Lwp.ctl().state());
        Lwp.resume(other);
        assertEquals(other, Lwp.waitFor(other));
        assertTrue(ran.get());
    }

    @Test
    void suspendingSelfReturnsOnceAnotherLwpResumesTheCaller(Supervisor.Attachment me) {
        int m = Lwp.self();
        LwpCtl mine = Lwp.ctl();
        AtomicBoolean sawSuspended = new AtomicBoolean();
        int r = Lwp.create(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LwpTestSupport.WAIT_MILLIS);
            while (mine.state() != Lwp.State.SUSPENDED && System.nanoTime() - deadline < 0) {
                Thread.onSpinWait();
            }
            sawSuspended.set(mine.state() == Lwp.State.SUSPENDED);
            Lwp.resume(m); // whatever it saw, so that the caller cannot hang
        });
        Lwp.suspend(m);
        assertTrue(sawSuspended.get(), "the caller was suspended until another LWP continued it");
        assertEquals(Lwp.State.RUNNING, mine.state());
        assertEquals(r, Lwp.waitFor(r));
    }

    @Test
    void anInterruptedSuspendAnswersEintrAndWithdrawsTheRequest(Supervisor.Attachment me) {
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicBoolean passed = new AtomicBoolean();
        AtomicBoolean spinning = new AtomicBoolean();
        // The target never reaches a safe point while it spins.
        int t = Lwp.create(() -> {
            spinning.set(true);
            while (spin.get()) {
                Thread.onSpinWait();
            }
            Lwp.checkpoint();
            passed.set(true);
        });
        // (it must be past the safe point on its way into the body)
        await(spinning::get, "the target spins");
        Suspender s = new Suspender(t);
        LwpCtl sc = Lwp.ctl(s.lid);
        awaitInLwpWait(sc);
        s.thread.get().interrupt();
        awaitExited(sc);
        assertFalse(s.returned.get(), "suspend returned though the target never stopped");
        assertEquals(Errno.EINTR, s.errno(), String.valueOf(s.answer.get()));

        // The request was withdrawn: the target passes its next safe point without stopping.
        spin.set(false);
        await(passed::get, () -> "the target passed a safe point, is " + Lwp.ctl(t));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(s.lid, Lwp.waitFor(s.lid));
    }

    @Test
    void suspendOfAnLwpThatExitsFirstAnswersEsrch(Supervisor.Attachment me) {
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicBoolean spinning = new AtomicBoolean();
        int t = Lwp.create(() -> {
            spinning.set(true);
            while (spin.get()) {
                Thread.onSpinWait();
            }
            // returns without reaching a safe point
        });
        await(spinning::get, "the target spins");
        Suspender s = new Suspender(t);
        LwpCtl sc = Lwp.ctl(s.lid);
        awaitInLwpWait(sc);
        spin.set(false);
        awaitExited(sc);
        assertFalse(s.returned.get());
        assertEquals(Errno.ESRCH, s.errno(), String.valueOf(s.answer.get()));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(s.lid, Lwp.waitFor(s.lid));
    }

    @Test
    void resumeOfAnLwpThatIsNotSuspendedIsANoOp(Supervisor.Attachment me) {
        Lwp.resume(Lwp.self());
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger steps = new AtomicInteger();
        int t = Lwp.create(() -> {
            awaitLatch(hold, "target");
            Lwp.checkpoint();
            steps.incrementAndGet();
        });
        LwpCtl c = Lwp.ctl(t);
        Lwp.resume(t);
        Lwp.resume(t);
        assertEquals(Lwp.State.RUNNING, c.state());
        hold.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(1, steps.get());
    }

    @Test
    void suspendAndResumeOfUnknownOrZombieLwpsAnswerEsrch(Supervisor.Attachment me) {
        expectErrno(Errno.ESRCH, () -> Lwp.suspend(999));
        LwpException e = expectErrno(Errno.ESRCH, () -> Lwp.resume(999));
        assertTrue(e.getMessage().contains("_lwp_continue(999)"), e.getMessage());
        int z = LwpTestSupport.createZombie().lid();
        expectErrno(Errno.ESRCH, () -> Lwp.suspend(z));
        expectErrno(Errno.ESRCH, () -> Lwp.resume(z));
        assertEquals(z, Lwp.waitFor(z));
        expectErrno(Errno.ESRCH, () -> Lwp.suspend(z));
        expectErrno(Errno.ESRCH, () -> Lwp.resume(z));
    }

    @Test
    void anLwpSuspendedInsideAKernelWaitGoesOnWaitingWhenResumed(Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int x = Lwp.create(() -> awaitLatch(hold, "x"));
        AtomicInteger collected = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        int w = Lwp.create(() -> {
            try {
                collected.set(Lwp.waitFor(x));
            } catch (Throwable t) {
                error.set(t);
            }
        });
        LwpCtl wc = Lwp.ctl(w);
        LwpCtl xc = Lwp.ctl(x);
        awaitInLwpWait(wc);
        Lwp.suspend(w);
        assertEquals(Lwp.State.SUSPENDED, wc.state());

        hold.countDown();
        awaitExited(xc);
        pause(QUIET_MILLIS);
        assertEquals(Lwp.State.ZOMBIE, xc.state(), "a suspended waiter collected its target");
        assertEquals(Lwp.State.SUSPENDED, wc.state());

        Lwp.resume(w);
        awaitExited(wc);
        assertNull(error.get());
        assertEquals(x, collected.get());
        assertEquals(w, Lwp.waitFor(w));
    }
}
