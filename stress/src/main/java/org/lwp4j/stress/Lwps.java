package org.lwp4j.stress;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.ParkingLot;
import org.lwp4j.Supervisor;

/**
 * Makes jcstress's plain actor threads LWPs, all of one process (init), so that they can name
 * and wake each other with the LWP calls.
 *
 * <p>jcstress runs each test in its own forked JVM, so one supervisor per JVM is one per test.
 * It is never closed: its threads are daemons and the JVM exits when the test is done. An actor
 * thread attaches on first use and keeps its LWP for as long as it lives (jcstress reuses an
 * actor thread for every state of an iteration). Actors learn each other's lids through the
 * {@code @State} object: the one that parks publishes its lid, the one that wakes it waits for
 * the lid with {@link #await}.
 *
 * <p>Each test leaves no wake-up behind in the states it accepts: every unpark or wakeup mark it
 * sends is consumed within the same state (a park, or {@link #takePendingMark}), so a reused
 * actor thread starts each state clean. A FORBIDDEN outcome may leave one behind; that run has
 * failed anyway.
 */
final class Lwps {
    /** The supervisor of this jcstress fork. */
    static final Supervisor SUPERVISOR = Supervisor.start();

    private static final ThreadLocal<Supervisor.Attachment> SELF = ThreadLocal.withInitial(SUPERVISOR::attach);

    /**
     * How long a park waits for a wake-up that the test guarantees: reaching this deadline
     * means the wake-up was lost (the tests report it as a FORBIDDEN TIMED_OUT, not a hang).
     */
    private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How long {@link #await} spins before it gives up on a hand-shake between actors. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static final Object PROBE = new Object() {
        @Override
        public String toString() {
            return "stress-probe";
        }
    };

    private Lwps() {
    }

    /** The calling thread's lid; attaches the thread as an LWP of init on first use. */
    static int self() {
        return SELF.get().lid();
    }

    /**
     * Attach a thread that lives for one call only (a Mode.Termination actor): its LWP must be
     * ended with {@link #leave} before the thread ends, or the LWP would outlive it.
     */
    static Supervisor.Attachment enter() {
        return SUPERVISOR.attach();
    }

    /** End a one-call LWP: detached first, so that it is freed at once rather than kept as a zombie. */
    static void leave(Supervisor.Attachment a) {
        Lwp.detach(a.lid());
        a.close();
    }

    /** A deadline that a guaranteed wake-up always beats. */
    static long lostAfter() {
        return System.nanoTime() + LOST_NANOS;
    }

    /** Spin, then yield, until {@code cond} holds; throws if a hand-shake is stuck. */
    static void await(BooleanSupplier cond) {
        long giveUp = 0;
        for (int spins = 0; !cond.getAsBoolean(); spins++) {
            if (spins < 128) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if ((spins & 1023) == 0) {
                long now = System.nanoTime();
                if (giveUp == 0) {
                    giveUp = now + STUCK_NANOS;
                } else if (now - giveUp > 0) {
                    throw new IllegalStateException("actor hand-shake stuck");
                }
            }
        }
    }

    /**
     * Consume a pending unpark or wakeup mark of the caller, if it has one: ALREADY if one was
     * pending, else TIMED_OUT after a sleep of a few microseconds. The caller's interrupt status
     * must be clear (else INTERRUPTED).
     *
     * <p>A wait checks its deadline before it looks for a pending mark, so a deadline that
     * passes on the way in (a slow, e.g. interpreted, call path) would answer TIMED_OUT without
     * looking. That case is told apart by the LWP's sleep count, which only a sleep that found
     * no mark advances, and retried with a longer deadline.
     */
    static ParkResult takePendingMark() {
        LwpCtl me = Lwp.ctl();
        for (long wait = TimeUnit.MICROSECONDS.toNanos(20); ; wait <<= 1) {
            int sleeps = me.parkCount();
            ParkResult r = ParkingLot.wait(PROBE, () -> true, System.nanoTime() + wait);
            if (r != ParkResult.TIMED_OUT || me.parkCount() != sleeps) {
                return r;
            }
        }
    }

    /** What a call that may fail with an errno answered: "OK" or the errno's name. */
    static String errnoOf(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (LwpException e) {
            return e.errno().name();
        }
    }
}
