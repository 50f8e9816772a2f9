package org.lwp4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.ParkResult;
import org.lwp4j.kern.Handles;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.Waiter;

/**
 * Run an initialiser exactly once ({@code pthread_once}, Rust's {@code std::sync::Once}), in one
 * int on the JVM-wide parking lot. The first caller of {@link #run} runs its initialiser; callers
 * that come while it runs wait for it; callers after it completed return at once.
 *
 * <p>An initialiser that throws (anything, {@link LwpExit} of an exiting LWP included) has not
 * run: the Throwable reaches its caller unchanged, the {@code Once} is as new again, and the
 * next caller, a waiter included, runs its own initialiser (a retry, as
 * {@code ConcurrentHashMap.computeIfAbsent} and Rust's {@code OnceCell} do: no poisoning).
 * An initialiser that calls {@link #run} on its own {@code Once} gets {@link LwpException}
 * EDEADLK.
 *
 * <p>Waiting is not ended by {@link Thread#interrupt()} (the status is kept); on an LWP it is a
 * safe point (an exit or SIGKILL ends it with {@link LwpExit}). Memory effects: the completed
 * initialiser's actions happen-before every return from {@link #run} and every
 * {@link #isDone()} that answers true.
 */
public final class Once {
    /*
     * The word: NEW 0, RUNNING 1 (with the runner's id in bits 3..31), DONE 2; bit 2 PARKED
     * (waiters may sleep on the lot under this object). A waiter sets PARKED and sleeps,
     * validated under the bucket lock against "RUNNING and PARKED". The runner's end (DONE, or
     * NEW again after a throw) is one getAndSet that also clears PARKED; if it was set, every
     * sleeper is woken: on DONE they return, on NEW one of them wins the CAS and runs.
     */
    private static final int NEW = 0, RUNNING = 1, DONE = 2, PHASE = 3, PARKED = 4, SHIFT = 3;
    private static final int ID_MASK = (1 << (32 - SHIFT)) - 1;

    private volatile int state;

    /** A new Once; nothing has run. */
    public Once() {
    }

    /**
     * Run {@code init} if no initialiser has completed yet; wait while another one runs.
     *
     * @param init the initialiser
     * @throws NullPointerException if init is null
     * @throws LwpException         EDEADLK if called from the running initialiser itself
     * @throws LwpExit              on an LWP whose process exits or that is killed while it waits
     */
    public void run(Runnable init) {
        Objects.requireNonNull(init, "init");
        if (state != DONE) {
            runSlow(init);
        }
    }

    /**
     * Whether an initialiser has completed.
     *
     * @return true once done
     */
    public boolean isDone() {
        return state == DONE;
    }

    private void runSlow(Runnable init) {
        int me = (int) Thread.currentThread().getId() & ID_MASK;
        Waiter w = null;
        for (;;) {
            int s = state;
            int phase = s & PHASE;
            if (phase == DONE) {
                return;
            }
            if (phase == NEW) {
                if (STATE.compareAndSet(this, s, RUNNING | me << SHIFT | (s & PARKED))) {
                    runIt(init);
                    return;
                }
                continue;
            }
            if ((s >>> SHIFT) == me) {
                throw new LwpException(org.lwp4j.Errno.EDEADLK, "Once.run: called from its own initialiser");
            }
            if ((s & PARKED) == 0 && !STATE.compareAndSet(this, s, s | PARKED)) {
                continue;
            }
            if (w == null) {
                w = GlobalLot.waiter();
            }
            GlobalLot.syncWait(w, this, this::runningAndParked, false, 0L, false, 0L);
        }
    }

    private void runIt(Runnable init) {
        try {
            init.run();
        } catch (Throwable t) {
            end(NEW);
            throw t;
        }
        end(DONE);
    }

    private void end(int phase) {
        int s = (int) STATE.getAndSet(this, phase);
        if ((s & PARKED) != 0) {
            GlobalLot.syncWake(this, Integer.MAX_VALUE);
        }
    }

    private boolean runningAndParked() {
        int s = state;
        return (s & (PHASE | PARKED)) == (RUNNING | PARKED);
    }

    /**
     * A description for thread dumps and {@code ps}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        int p = state & PHASE;
        return "Once@" + Integer.toHexString(System.identityHashCode(this))
                + (p == DONE ? "[done]" : p == RUNNING ? "[running]" : "[new]");
    }

    // VarHandle mechanics
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);
}
