package org.lwp4j.kern;

import java.util.concurrent.locks.LockSupport;

/**
 * The LWP cache (issue 13): platform threads of exited LWPs, parked and waiting to run the next
 * LWP that is created, instead of ending. NetBSD and FreeBSD keep exited thread structures for
 * reuse, Go keeps its Ms, every Java pool keeps its workers.
 */
final class LwpCache {
    /*
     * Implementation overview.
     *
     * The cache is a LIFO stack of idle threads (an array under this object's monitor, at most
     * `max` of them): the most recently idle thread is handed out first, so its stack and caches
     * are warm, and the ones at the bottom are those that time out when fewer LWPs are needed.
     * A lock, not a Treiber stack: the threads themselves would be the nodes, and a popped thread
     * pushed back at once is the ABA case. The monitor is a leaf lock, held for a few field
     * writes, never while user code runs; it nests inside the process lock (and the tree lock).
     *
     * A thread's life in the cache (LwpThread.cacheState, written under the monitor):
     *   FRESH    started for an LWP and never cached;
     *   IDLE     in the stack (offer, called by the exiting LWP's own thread in
     *            LwpLifecycle.leave, under the process lock of the LWP it leaves);
     *   RESERVED taken out of the stack by a creator (newLwp, under the new LWP's process lock),
     *            which hands it the new LWP in startLwp, after releasing that lock;
     *   BUSY     handed its LWP (handOff): the thread runs it.
     * An IDLE thread waits for `next` (volatile: handOff writes it, then unparks). When its idle
     * time has passed, or the cache closes, it takes the monitor and, if still IDLE, leaves the
     * stack and ends (RETIRED); a RESERVED one has a creator about to hand it an LWP and waits
     * for it without a bound (close waits for creators first: LwpLifecycle.starting). So a
     * creator never takes a thread that is ending, and a thread never ends while reserved.
     *
     * Offer happens in the same critical section (the process lock) that makes the LWP a zombie
     * and unlinks the thread from its record (KLwp.thread = null): whoever collects the zombie
     * under that lock finds the thread already back in the cache, so _lwp_wait + _lwp_create
     * reuses it, and nobody can reach the thread through the old record afterwards (interrupts
     * go to live LWPs only, under the process lock; a rename applies only while the thread still
     * carries that LWP, see LwpThread). The thread renames itself (idle, then for its next LWP)
     * with no kernel lock held: Thread.setName takes the thread's monitor, which user code can
     * hold. A stale
     * LockSupport.unpark through a sleep-table reference is a spurious wake-up, which every park
     * loop expects.
     */
    static final int FRESH = 0, IDLE = 1, RESERVED = 2, BUSY = 3, RETIRED = 4;
    /**
     * How long a thread that has just become idle waits for a hand-off by yielding before it
     * parks (-Dlwp4j.cacheSpinNanos; 0 on one CPU). Create, exit and wait in a loop hand the
     * thread its next LWP within microseconds; a park would turn each hand-off into a futex
     * wake of a sleeping thread (tens of microseconds on a VM). It yields, as the kernel waits
     * do, so a busy machine's runnable threads get the CPU.
     */
    static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
            ? Long.getLong("lwp4j.cacheSpinNanos", 20_000L) : 0L;

    private final int max;
    private final long idleNanos;
    /** The name of an idle thread. */
    final String idleName;
    private final LwpThread[] idle;
    private int n;
    private volatile boolean closed;

    LwpCache(int max, long idleNanos, String idleName) {
        this.max = max;
        this.idleNanos = idleNanos;
        this.idleName = idleName;
        this.idle = new LwpThread[max];
    }

    /** Idle threads in the cache now. */
    synchronized int size() {
        return n;
    }

    /**
     * A creator (holding the new LWP's process lock): an idle thread, now RESERVED for it, or
     * null if none is cached.
     */
    LwpThread take() {
        if (max == 0) {
            return null;
        }
        synchronized (this) {
            if (n == 0 || closed) {
                return null;
            }
            LwpThread t = idle[--n];
            idle[n] = null;
            t.cacheState = RESERVED;
            return t;
        }
    }

    /** The creator, after releasing the process lock: give the RESERVED thread t its LWP. */
    void handOff(LwpThread t, KLwp l) {
        synchronized (this) {
            t.cacheState = BUSY;
            t.next = l;
        }
        LockSupport.unpark(t);
    }

    /**
     * The calling thread t, whose LWP is becoming a zombie (its process lock held): go back to
     * the cache? False when it is full or closed; then t ends as before.
     */
    boolean offer(LwpThread t) {
        if (max == 0) {
            return false;
        }
        synchronized (this) {
            if (n == max || closed) {
                return false;
            }
            t.cacheState = IDLE; // the thread renames itself after the process lock (LwpThread)
            idle[n++] = t;
            return true;
        }
    }

    /**
     * The calling thread t, back in the cache and done with its last LWP: wait for the next
     * one. Null when the idle time passed or the cache closed while t was IDLE: t has left the
     * stack and must end.
     *
     * First, for at most {@link #SPIN_NANOS}, yield while no LWP has been handed over. Then,
     * repeatedly:
     * <ol>
     * <li>clear the interrupt status (nobody may interrupt an idle thread; a stale reference to
     *     it may have: without this, park would return at once);</li>
     * <li>an LWP handed over: return it;</li>
     * <li>the idle time passed or the cache closed: if still IDLE, leave the stack and answer
     *     null; RESERVED, wait for the hand-off without a bound;</li>
     * <li>park until the idle time passes.</li>
     * </ol>
     */
    KLwp await(LwpThread t) {
        long deadline = System.nanoTime() + idleNanos;
        boolean unbounded = false;
        if (SPIN_NANOS > 0) {
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            while (t.next == null && System.nanoTime() - spinEnd < 0 && !closed) {
                Thread.yield();
            }
        }
        for (;;) {
            Thread.interrupted();
            KLwp l = t.next;
            if (l != null) {
                t.next = null;
                Thread.interrupted(); // an interrupt that came between the first clear and now
                return l;
            }
            if (!unbounded && (closed || deadline - System.nanoTime() <= 0)) {
                synchronized (this) {
                    if (t.cacheState == IDLE) {
                        remove(t);
                        t.cacheState = RETIRED;
                        return null;
                    }
                }
                unbounded = true; // RESERVED or BUSY: the LWP is on its way
                continue;
            }
            if (unbounded) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, deadline - System.nanoTime());
            }
        }
    }

    /** Take t out of the stack (caller holds the monitor), keeping the others in order. */
    private void remove(LwpThread t) {
        for (int i = n - 1; i >= 0; i--) {
            if (idle[i] == t) {
                System.arraycopy(idle, i + 1, idle, i, n - i - 1);
                idle[--n] = null;
                return;
            }
        }
        throw new IllegalStateException("an IDLE thread missing from the LWP cache: " + t.getName());
    }

    /** close: take no more threads, and wake the idle ones so that they end. */
    void close() {
        LwpThread[] wake;
        synchronized (this) {
            closed = true;
            wake = java.util.Arrays.copyOf(idle, n);
        }
        for (LwpThread t : wake) {
            LockSupport.unpark(t);
        }
    }
}
