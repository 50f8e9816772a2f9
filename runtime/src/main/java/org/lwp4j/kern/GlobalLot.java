package org.lwp4j.kern;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.sleep.SleepTable;
import org.lwp4j.sleep.Waiter;

/**
 * The JVM-wide parking lot: process-shared {@code ParkingLot} keys and the synchronizers of
 * {@code org.lwp4j.sync} sleep here, from any thread.
 */
public final class GlobalLot {
    /*
     * Implementation overview.
     *
     * Why one lot for the JVM. A process-shared key (a futex without FUTEX_PRIVATE_FLAG) is
     * keyed by the object alone, and a lock is a shared object: its sleepers may be LWPs of
     * different processes, of different supervisors, and plain threads. Each Supervisor keeps
     * its own sleep table for the BSD calls (park, private lot keys, kernel waits), so that
     * supervisors never see each other there; the objects that several of them may share sleep
     * in this one table instead, as WebKit's ParkingLot is global.
     *
     * Who sleeps. An LWP sleeps here with its own record (KLwp is a Waiter): its park word is
     * the one that kernel wakeups, signal and exit kicks and Lwp.wakeup act on, so its sleeps
     * here are safe points like any other. A plain thread sleeps with a waiter of its own,
     * kept in a thread local, that no safe-point request ever reaches.
     *
     * Keys. Entries carry one of two keys, SHARED for ParkingLot's shared methods and SYNC for
     * the synchronizers, so that a user's wake on an object can never take a wake meant for a
     * synchronizer that happens to be that object (a lost wake-up for the synchronizer).
     *
     * Sizing and spinning. The table is made once, for 256 sleepers (1024 buckets), and not
     * grown: its population is that figure, not a count of the JVM's threads, so a sleeper here
     * does not spin on its park word unless nearly all of those are blocked (synchronizers spin
     * by themselves before they sleep, and a plain thread's load is not ours to count); it
     * yields once and blocks. Deadlines are System.nanoTime based.
     */

    /** Key of the process-shared ParkingLot entries. */
    public static final Object SHARED = new Key("lot(shared)");
    /** Key of the org.lwp4j.sync entries. */
    public static final Object SYNC = new Key("lot(sync)");
    private static final int SHARED_HASH = 0x5EED, SYNC_HASH = 0x51C;

    private GlobalLot() {
    }

    private static final class Key {
        private final String name;

        Key(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final class Holder {
        static final SleepTable TABLE = newTable();

        private static SleepTable newTable() {
            SleepTable t = new SleepTable(System::nanoTime);
            t.setPopulation(256);
            return t;
        }
    }

    /** The waiter of a plain (non-LWP) thread: no safe point ever reaches it. */
    private static final class ThreadWaiter extends Waiter {
        private final Thread thread = Thread.currentThread();

        @Override
        protected Thread sleeperThread() {
            return thread;
        }

        @Override
        protected boolean safePointPending() {
            return false;
        }
    }

    private static final ThreadLocal<ThreadWaiter> PLAIN = ThreadLocal.withInitial(ThreadWaiter::new);

    /** The table (for tests and diagnostics). */
    public static SleepTable table() {
        return Holder.TABLE;
    }

    /** The calling thread's waiter: its LWP record, or its own plain-thread waiter. */
    public static Waiter waiter() {
        KLwp l = SafePoints.current();
        return l != null ? l : PLAIN.get();
    }

    /** A safe point if {@code w} is an LWP's record (may throw LwpExit); nothing otherwise. */
    public static void safePoint(Waiter w) {
        if (w instanceof KLwp) {
            KLwp l = (KLwp) w;
            if (l.ast != 0) {
                l.kernel.safePoints.userret(l);
            }
        }
    }

    /**
     * A synchronizer wait on {@code hint} (see {@link SleepTable#syncWait}), with the safe
     * points of an LWP: one before sleeping, and one when a safe-point request ended the sleep.
     * Either may throw LwpExit (its process exits, it was killed). {@code since}: when the
     * caller's acquisition began (System.nanoTime, 0 = now), kept across its sleeps so that it
     * keeps its FIFO place and its claim to a fair hand-off after losing a race.
     *
     * @return TIMED_OUT, INVALID, UNPARKED (the token is in {@link Waiter#lotToken()}),
     *         INTERRUPTED (Thread.interrupt when {@code byInterrupt}, or Lwp.wakeup), or ALREADY:
     *         the sleep ended for a safe-point request that has been acted on (a signal handler
     *         ran, a stop ended): the caller re-checks and may wait again
     */
    public static ParkResult syncWait(Waiter w, Object hint, BooleanSupplier validate, boolean timed,
                                      long deadline, boolean byInterrupt, long since) {
        safePoint(w);
        ParkResult r = Holder.TABLE.syncWait(w, SYNC, SYNC_HASH, hint, validate, timed, deadline, byInterrupt,
                since);
        if (r == ParkResult.INTERRUPTED && w instanceof KLwp && ((KLwp) w).ast != 0) {
            safePoint(w);
            return ParkResult.ALREADY;
        }
        return r;
    }

    /** Wake the longest synchronizer sleeper on {@code hint} (see {@link SleepTable#wakeOne}). */
    public static boolean syncWakeOne(Object hint, SleepTable.WakeOne cb) {
        return Holder.TABLE.wakeOne(SYNC, SYNC_HASH, hint, cb);
    }

    /** Wake up to n synchronizer sleepers on {@code hint}. */
    public static int syncWake(Object hint, int n) {
        return Holder.TABLE.wake(SYNC, SYNC_HASH, hint, n);
    }

    /** Move up to nMove synchronizer sleepers from one hint to another; answers how many moved. */
    public static int syncRequeue(Object from, Object to, int nMove) {
        return (int) Holder.TABLE.requeue(SYNC, SYNC_HASH, from, to, 0, nMove);
    }

    // ------------------------------------------------------------------ ParkingLot shared keys

    /** ParkingLot.waitShared: a lot wait keyed by the object alone, from any thread. */
    public static ParkResult sharedWait(Object hint, BooleanSupplier validate, boolean timed, long deadline,
                                        boolean interruptible) {
        Objects.requireNonNull(validate, "validate");
        Waiter w = waiter();
        safePoint(w);
        ParkResult r = Holder.TABLE.lotWait(w, SHARED, SHARED_HASH, hint, validate, timed, deadline, interruptible);
        if (r == ParkResult.INTERRUPTED) {
            safePoint(w);
        }
        return r;
    }

    public static int sharedWake(Object hint, int n) {
        if (n < 0) {
            throw new LwpException(Errno.EINVAL, "parkinglot_wake_shared(n=" + n + ")");
        }
        safePoint(waiter());
        return Holder.TABLE.wake(SHARED, SHARED_HASH, hint, n);
    }

    public static long sharedRequeue(Object from, Object to, int nWake, int nMove) {
        if (nWake < 0 || nMove < 0) {
            throw new LwpException(Errno.EINVAL,
                    "parkinglot_requeue_shared(nWake=" + nWake + ", nMove=" + nMove + ")");
        }
        safePoint(waiter());
        return Holder.TABLE.requeue(SHARED, SHARED_HASH, from, to, nWake, nMove);
    }
}
