package org.lwp4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.kern.Handles;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.SleepTable;

/**
 * A readers-writer lock in one int, on the JVM-wide parking lot ({@code pthread_rwlock}): many
 * readers or one writer. A waiting writer holds new readers back while readers hold the lock
 * (writer preference, so a stream of readers cannot starve a writer), and a writer's release
 * wakes every waiting reader and one writer (so writers cannot starve readers). Usable from any
 * thread, between LWPs of different processes and supervisors alike; waits are safe points on
 * an LWP, as {@link Mutex}'s are (an exit or SIGKILL ends them with {@link LwpExit}).
 *
 * <p>Not reentrant. A read or write acquisition by the thread that holds the write lock fails
 * with {@link LwpException} EDEADLK. Read holds are counted, not tracked per thread: a read
 * unlock when no reader holds the lock throws {@link IllegalMonitorStateException}, but a read
 * unlock by a thread that holds no read lock while others do is not detected, and a thread
 * that takes the read lock twice while a writer waits deadlocks. A write unlock by a thread
 * other than the writer throws {@link IllegalMonitorStateException}. A read acquisition beyond
 * 2^29 - 1 concurrent readers fails with {@link LwpException} EAGAIN ({@code pthread_rwlock_rdlock}).
 * Neither lock supports {@link Lock#newCondition()} (UnsupportedOperationException).
 *
 * <p>Memory effects: as for {@link ReadWriteLock}: a release happens-before every later
 * acquisition that excludes it.
 */
public final class RwLock implements ReadWriteLock {
    /*
     * Implementation overview (after Rust parking_lot's RawRwLock, without its upgradable
     * state).
     *
     * The word: bit 0 WRITER, bit 1 WPARKED (writers may sleep on the lot under this object),
     * bit 2 RPARKED (readers may sleep under the read view's key); bits 3..31 the reader count,
     * or, while WRITER is set (no readers then), the writer's id.
     *
     * Readers may enter while no writer holds it, unless a writer waits while readers hold it
     * (WPARKED with readers > 0): then they sleep, validated under their bucket lock against
     * "RPARKED and (WRITER, or WPARKED with readers)" -- a state that some holder will end by
     * a release. Writers enter whenever the lock is free (barging, as Mutex), else set WPARKED
     * and sleep validated against "WPARKED and (WRITER or readers)".
     *
     * Releases. A write release clears WRITER and RPARKED in one CAS, then wakes every reader
     * and the longest-waiting writer; the wake callback clears WPARKED when no other writer
     * sleeps. The last read release, if it finds a parked bit, wakes a writer if one sleeps
     * (readers parked behind it stay asleep until that writer's release), else clears RPARKED
     * and wakes the readers. A woken waiter always retries before it may give up, and a waiter
     * that gives up after a failed retry leaves a holder behind whose release does the wake, so
     * no sleeper is stranded. A sleeper that times out leaves a parked bit behind at worst.
     */
    static final int WRITER = 1, WPARKED = 2, RPARKED = 4, SHIFT = 3;
    private static final int READER = 1 << SHIFT;
    private static final int MAX_READERS = (1 << (32 - SHIFT)) - 1;
    private static final int ID_MASK = (1 << (32 - SHIFT)) - 1;

    private volatile int state;

    /** A new, free lock. */
    public RwLock() {
    }

    /**
     * The read lock. Each call answers a view of this lock (views of one lock are equal).
     *
     * @return the read lock
     */
    @Override
    public Lock readLock() {
        return new ReadView(this);
    }

    /**
     * The write lock. Each call answers a view of this lock (views of one lock are equal).
     *
     * @return the write lock
     */
    @Override
    public Lock writeLock() {
        return new WriteView(this);
    }

    /**
     * The number of readers holding the lock now (a snapshot, for monitoring).
     *
     * @return the reader count
     */
    public int readers() {
        int s = state;
        return (s & WRITER) != 0 ? 0 : s >>> SHIFT;
    }

    /**
     * Whether a writer holds the lock now (a snapshot, for monitoring).
     *
     * @return true if write-locked
     */
    public boolean isWriteLocked() {
        return (state & WRITER) != 0;
    }

    /**
     * A description for thread dumps and {@code ps}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        int s = state;
        return "RwLock@" + Integer.toHexString(System.identityHashCode(this))
                + ((s & WRITER) != 0 ? "[write-locked by thread " + (s >>> SHIFT) + "]"
                : "[" + (s >>> SHIFT) + " readers]");
    }

    private static int self() {
        return (int) Thread.currentThread().getId() & ID_MASK;
    }

    private static int readers(int s) {
        return (s & WRITER) != 0 ? 0 : s >>> SHIFT;
    }

    // ------------------------------------------------------------------ read side

    private boolean tryRead(int s) {
        if (readers(s) == MAX_READERS) {
            throw new LwpException(org.lwp4j.Errno.EAGAIN, "RwLock.readLock: " + MAX_READERS + " readers already");
        }
        return STATE.compareAndSet(this, s, s + READER);
    }

    private static boolean readerMayEnter(int s) {
        return (s & WRITER) == 0 && ((s & WPARKED) == 0 || (s >>> SHIFT) == 0);
    }

    /** The primary read acquisition; see the overview. */
    int acquireRead(ReadView key, boolean interruptible, boolean timed, long deadline, String call) {
        return acquire(false, key, interruptible, timed, deadline, call);
    }

    /**
     * The one acquisition loop of both sides: a reader sleeps on the read view, a writer on the
     * lock itself, each behind its own parked bit.
     *
     * Repeatedly:
     * <ol>
     * <li>the side may enter: take it with a CAS (retry on a race);</li>
     * <li>the caller holds the write lock: EDEADLK;</li>
     * <li>its parked bit is clear: spin a little (not past the deadline), then set it;</li>
     * <li>sleep on the side's key while the side must sleep; a wake starts the spins anew, a
     *     time-out or (interruptible) interrupt ends the acquisition.</li>
     * </ol>
     */
    private int acquire(boolean write, Object key, boolean interruptible, boolean timed, long deadline, String call) {
        int me = self();
        int parked = write ? WPARKED : RPARKED;
        Acquisition a = new Acquisition(interruptible, timed, deadline);
        BooleanSupplier mustSleep = write ? this::writerMustSleep : this::readerMustSleep;
        for (;;) {
            int s = state;
            if (mayEnter(write, s)) {
                if (enter(write, s, me)) {
                    return Mutex.ACQUIRED;
                }
                continue;
            }
            if (writtenBy(s, me)) {
                throw Mutex.deadlock(call);
            }
            int r = a.await(STATE, this, s, parked, parked, key, mustSleep);
            if (r == Mutex.TIMED_OUT || r == Mutex.INTERRUPTED) {
                return r;
            }
        }
    }

    /** Whether the side may enter from state {@code s} (a writer: the lock is free). */
    private static boolean mayEnter(boolean write, int s) {
        return write ? (s & WRITER) == 0 && (s >>> SHIFT) == 0 : readerMayEnter(s);
    }

    /** Enter the side from state {@code s} with one CAS: false on a race. */
    private boolean enter(boolean write, int s, int me) {
        return write ? STATE.compareAndSet(this, s, s | WRITER | me << SHIFT) : tryRead(s);
    }

    private static boolean writtenBy(int s, int me) {
        return (s & WRITER) != 0 && (s >>> SHIFT) == me;
    }

    /** {@code tryLock()} of either side: enter if the side may enter now, without spinning. */
    boolean tryNow(boolean write) {
        int me = self();
        for (;;) {
            int s = state;
            if (writtenBy(s, me)) {
                throw Mutex.deadlock((write ? WRITE : READ).tryLock);
            }
            if (!mayEnter(write, s)) {
                return false;
            }
            if (enter(write, s, me)) {
                return true;
            }
        }
    }

    private boolean readerMustSleep() {
        int s = state;
        return (s & RPARKED) != 0 && ((s & WRITER) != 0 || ((s & WPARKED) != 0 && (s >>> SHIFT) > 0));
    }

    void unlockRead(ReadView key) {
        for (;;) {
            int s = state;
            if ((s & WRITER) != 0 || (s >>> SHIFT) == 0) {
                throw new IllegalMonitorStateException("RwLock.readLock().unlock: " + this + " is not read-locked");
            }
            int n = s - READER;
            if (STATE.compareAndSet(this, s, n)) {
                if ((n >>> SHIFT) == 0 && (n & (WPARKED | RPARKED)) != 0) {
                    releaseWake(key);
                }
                return;
            }
        }
    }

    /** The last reader left a parked bit: wake a writer, else the readers. */
    private void releaseWake(ReadView key) {
        if ((state & WPARKED) != 0 && GlobalLot.syncWakeOne(this, WRITER_WOKEN)) {
            return;
        }
        wakeReaders(key);
    }

    private void wakeReaders(ReadView key) {
        for (;;) {
            int s = state;
            if ((s & RPARKED) == 0) {
                return;
            }
            if (STATE.compareAndSet(this, s, s & ~RPARKED)) {
                GlobalLot.syncWake(key, Integer.MAX_VALUE);
                return;
            }
        }
    }

    // ------------------------------------------------------------------ write side

    /** The primary write acquisition; see the overview. */
    int acquireWrite(boolean interruptible, boolean timed, long deadline, String call) {
        return acquire(true, this, interruptible, timed, deadline, call);
    }

    private boolean writerMustSleep() {
        int s = state;
        return (s & WPARKED) != 0 && ((s & WRITER) != 0 || (s >>> SHIFT) > 0);
    }

    void unlockWrite() {
        int me = self();
        for (;;) {
            int s = state;
            if (!writtenBy(s, me)) {
                throw new IllegalMonitorStateException("RwLock.writeLock().unlock: " + this
                        + " is not write-locked by thread " + me);
            }
            if (STATE.compareAndSet(this, s, s & WPARKED)) {
                if ((s & RPARKED) != 0) {
                    GlobalLot.syncWake(new ReadView(this), Integer.MAX_VALUE);
                }
                if ((s & WPARKED) != 0) {
                    GlobalLot.syncWakeOne(this, WRITER_WOKEN);
                }
                return;
            }
        }
    }

    /** A writer woken: WPARKED stays only if other writers sleep. */
    private static final SleepTable.WakeOne WRITER_WOKEN = (hint, woken, waited, more) -> {
        if (!more) {
            RwLock l = (RwLock) hint;
            for (;;) {
                int s = l.state;
                if ((s & WPARKED) == 0 || RwLock.STATE.compareAndSet(l, s, s & ~WPARKED)) {
                    break;
                }
            }
        }
        return 0;
    };

    // ------------------------------------------------------------------ views

    /** The names a side's calls and errors go by. */
    private static final class Side {
        final String lock, lockInterruptibly, tryLock, newCondition, of;
        final int salt;

        Side(String view, String of, int salt) {
            this.lock = view + ".lock";
            this.lockInterruptibly = view + ".lockInterruptibly";
            this.tryLock = view + ".tryLock";
            this.newCondition = view + ".newCondition";
            this.of = of;
            this.salt = salt;
        }
    }

    private static final Side READ = new Side("RwLock.readLock()", "read lock of ", 1);
    private static final Side WRITE = new Side("RwLock.writeLock()", "write lock of ", 2);

    /**
     * The {@link Lock} protocol of both sides over a side's one-shot fast path and its
     * acquisition loop. A view is also the key its side's sleepers wait under: views of one
     * lock and side are equal.
     */
    private abstract static class View implements Lock {
        final RwLock l;
        private final Side side;

        View(RwLock l, Side side) {
            this.l = l;
            this.side = side;
        }

        /** One attempt, without spinning: true if it took the lock. */
        abstract boolean fast();

        /** The side's acquisition loop: ACQUIRED, TIMED_OUT or INTERRUPTED. */
        abstract int slow(boolean interruptible, boolean timed, long deadline, String call);

        @Override
        public void lock() {
            if (!fast()) {
                slow(false, false, 0L, side.lock);
            }
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException(side.lockInterruptibly);
            }
            if (!fast() && slow(true, false, 0L, side.lockInterruptibly) == Mutex.INTERRUPTED) {
                throw new InterruptedException(side.lockInterruptibly);
            }
        }

        @Override
        public boolean tryLock() {
            return l.tryNow(side == WRITE);
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            long deadline = Deadlines.after(time, unit);
            if (Thread.interrupted()) {
                throw new InterruptedException(side.tryLock);
            }
            if (fast()) {
                return true;
            }
            int r = slow(true, true, deadline, side.tryLock);
            if (r == Mutex.INTERRUPTED) {
                throw new InterruptedException(side.tryLock);
            }
            return r == Mutex.ACQUIRED;
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException(side.newCondition);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof View && ((View) o).side == side && ((View) o).l == l;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(l) * 31 + side.salt;
        }

        @Override
        public String toString() {
            return side.of + l;
        }
    }

    /** The read lock; its sleepers wait under it (the lock itself is the writers' key). */
    private static final class ReadView extends View {
        ReadView(RwLock l) {
            super(l, READ);
        }

        @Override
        boolean fast() {
            return l.tryReadFast();
        }

        @Override
        int slow(boolean interruptible, boolean timed, long deadline, String call) {
            return l.acquireRead(this, interruptible, timed, deadline, call);
        }

        @Override
        public void unlock() {
            l.unlockRead(this);
        }
    }

    private static final class WriteView extends View {
        WriteView(RwLock l) {
            super(l, WRITE);
        }

        @Override
        boolean fast() {
            return STATE.compareAndSet(l, 0, self() << SHIFT | WRITER);
        }

        @Override
        int slow(boolean interruptible, boolean timed, long deadline, String call) {
            return l.acquireWrite(interruptible, timed, deadline, call);
        }

        @Override
        public void unlock() {
            l.unlockWrite();
        }
    }

    /** The read fast path: one CAS when no writer holds or waits. */
    boolean tryReadFast() {
        int s = state;
        return (s & (WRITER | WPARKED)) == 0 && (s >>> SHIFT) < MAX_READERS && STATE.compareAndSet(this, s, s + READER);
    }

    // VarHandle mechanics
    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);
}
