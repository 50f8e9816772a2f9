package org.lwp4j.kern;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.signal.Timers;
import org.lwp4j.sleep.SleepTable;

/**
 * The kernel behind a {@code Supervisor}: the process table, pid allocation, attach and close.
 * Safe points, the LWP life cycle and the exit election are its parts of their own
 * ({@link SafePoints}, {@link LwpLifecycle}, {@link ProcExit}); the layers above it are reached
 * through {@link Upcalls}.
 */
public final class Kernel {
    /*
     * Implementation overview.
     *
     * Each Kernel is closed over its own tables; the only static state is the thread-local that
     * says which LWP an attached thread is (SafePoints), and the counter that numbers kernels.
     * It is built by the process layer, which passes itself as the Upcalls; init's record is made
     * in the constructor, before any thread can see the kernel.
     *
     * Locks (see the package overview for the whole order): tree (DragonFly's proc_token) guards
     * the process tree, pid allocation and the table's membership; each process has its lock.
     * The table itself is a concurrent map so that lookups by pid need no lock.
     *
     * Close kills every process at its LWPs' safe points (the kill round of exit1 without the
     * process layer's part), waits up to the close timeout for every platform thread, joins them
     * and the dead-LWP reaper, and empties the tables; EBUSY names the LWPs that never came.
     */

    private static final AtomicInteger KERNEL_IDS = new AtomicInteger();

    public final KernelConfig cfg;
    public final SleepTable sleep;
    public final int id = KERNEL_IDS.incrementAndGet();
    /** DragonFly proc_token: the process tree, groups, sessions, pid allocation. */
    public final ReentrantLock tree = new ReentrantLock();

    /** Run {@code body} holding the tree lock; answers what it answers. */
    public <T> T underTree(java.util.function.Supplier<T> body) {
        return Locks.under(tree, body);
    }

    /** Run {@code body} holding the tree lock. */
    public void underTree(Runnable body) {
        Locks.under(tree, () -> {
            body.run();
            return null;
        });
    }

    /** The layers above, given at construction. */
    final Upcalls up;
    public final SafePoints safePoints;
    public final LwpLifecycle lifecycle;
    public final ProcExit exits;
    /**
     * The signal layer's interval timers of this kernel's processes (one scheduler thread,
     * started on the first timer armed; stopped by Supervisor.close before {@link #close()}).
     */
    public final Timers timers;
    private final ConcurrentHashMap<Integer, KProc> procs = new ConcurrentHashMap<>();
    public final KProc init;
    /** Guarded by tree. */
    private int lastPid = 1;
    /** lastPid before the last newProc, to give its pid back (freePid); guarded by tree. */
    private int pidBefore = 1;
    private volatile boolean closed;
    /** Whether close's kill round has been done (a close that timed out before it does it again). */
    private volatile boolean killedAll;

    /**
     * A kernel with its init process.
     *
     * @param cfg the limits and settings
     * @param up  the layers above (their per-process state for init is made here)
     */
    public Kernel(KernelConfig cfg, Upcalls up) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.up = Objects.requireNonNull(up, "up");
        this.sleep = new SleepTable(cfg.clock());
        this.safePoints = new SafePoints(this);
        this.lifecycle = new LwpLifecycle(this);
        this.exits = new ProcExit(this);
        this.timers = new Timers(this);
        this.init = new KProc(this, 1, null, 0);
        procs.put(1, init);
        lifecycle.deadlwp.start();
    }

    /**
     * Whether {@link #close()} has begun.
     *
     * @return true once closing
     */
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ attach

    /**
     * Enter the calling thread as a new LWP of p.
     *
     * @param p a live process
     * @return the new LWP
     * @throws IllegalStateException if the thread is already an LWP
     * @throws LwpException          ESRCH after close or when p is exiting; EAGAIN over the limits
     */
    public KLwp attach(KProc p) {
        SafePoints.checkNotAttached();
        if (closed) {
            throw new LwpException(Errno.ESRCH, "attach: supervisor closed");
        }
        KLwp l;
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                throw new LwpException(Errno.ESRCH, "attach(" + p.pid + ")");
            }
            l = lifecycle.newLwp(p, null, false, false, Thread.currentThread(), "attach(" + p.pid + ")");
        } finally {
            p.lock.unlock();
        }
        SafePoints.setAttached(l);
        l.renameAttachedThread(); // jstack finds it as "lwp pid/lid"; its name comes back at the end
        lifecycle.watchAttached(l);
        return l;
    }


    /**
     * Leave: the attached LWP ends as if it had exited (its process exits if it was the last).
     *
     * @param l the calling thread's attached LWP; nothing happens if it is gone already
     */
    public void detachThread(KLwp l) {
        if (SafePoints.clearAttached(l)) {
            lifecycle.lwpExit(l);
        }
    }

    // ------------------------------------------------------------------ processes

    /**
     * Allocate a pid and a process record, child of parent (caller holds the tree lock).
     * DragonFly fork1: pids upward with wrap-around, skipping pids in use; limits first.
     *
     * @param parent the parent
     * @param uid    the new process's uid (its gid starts as the parent's)
     * @param call   the call, for errors
     * @return the record, in the table and the parent's children
     * @throws LwpException EAGAIN over the process limit or the per-uid limit
     */
    public KProc newProc(KProc parent, int uid, String call) {
        if (!tree.isHeldByCurrentThread()) {
            throw new IllegalStateException("tree lock not held");
        }
        if (procs.size() >= cfg.maxProc()) {
            throw new LwpException(Errno.EAGAIN, call);
        }
        if (uid != 0) {
            int mine = 0;
            for (KProc q : procs.values()) {
                if (q.uid == uid && q.pstat != KProc.SDEAD) {
                    mine++;
                }
            }
            if (mine >= cfg.maxProcPerUid()) {
                throw new LwpException(Errno.EAGAIN, call);
            }
        }
        int pid = lastPid;
        // Each pid in [2, maxPid] is tried at most once: ids held by processes, or by process
        // groups and sessions that outlive their leader, may leave none free: EAGAIN.
        for (int tries = 0; ; tries++) {
            if (tries >= cfg.maxPid()) {
                throw new LwpException(Errno.EAGAIN, call + ": no free pid");
            }
            pid = pid >= cfg.maxPid() ? 2 : pid + 1;
            if (!procs.containsKey(pid) && !up.pidInUse(pid)) {
                break;
            }
        }
        pidBefore = lastPid;
        lastPid = pid;
        KProc p = new KProc(this, pid, parent, uid);
        parent.children.add(p);
        procs.put(pid, p);
        return p;
    }

    /**
     * The process with this pid, zombies included, or null. No lock needed.
     *
     * @param pid a pid
     * @return the record or null
     */
    public KProc findProc(int pid) {
        return procs.get(pid);
    }

    /**
     * Every process record, zombies included (a snapshot).
     *
     * @return the records
     */
    public List<KProc> procList() {
        return new ArrayList<>(procs.values());
    }

    /**
     * Take a reaped (or never started) process out of the table (tree lock held).
     *
     * @param p the record
     */
    public void removeProc(KProc p) {
        procs.remove(p.pid, p);
    }

    /**
     * Give back the pid of p, made by the last {@link #newProc} and now removed because the call
     * that made it failed (caller holds the tree lock, as it has since newProc): the next
     * process gets the same pid, as if the failed call had never been made.
     *
     * @param p the record of the failed call
     */
    public void freePid(KProc p) {
        if (lastPid == p.pid) {
            lastPid = pidBefore;
        }
    }

    /**
     * Number of LWP records in every table (zombies included).
     *
     * @return the count
     */
    public int lwpRecords() {
        int n = 0;
        for (KProc p : procs.values()) {
            n += p.lwps.size();
        }
        return n;
    }

    /**
     * Number of processes in the table, init and zombies included.
     *
     * @return the count
     */
    public int processCount() {
        return procs.size();
    }

    /**
     * Threads started by this kernel that have not ended yet (LWPs and the reaper).
     *
     * @return the threads
     */
    public List<Thread> liveThreads() {
        List<Thread> l = new ArrayList<>();
        for (Thread t : lifecycle.threads) {
            if (t.isAlive()) {
                l.add(t);
            }
        }
        if (lifecycle.deadlwp.isAlive()) {
            l.add(lifecycle.deadlwp);
        }
        return l;
    }

    // ------------------------------------------------------------------ close

    /**
     * Kill every process, wait up to the close timeout for every LWP thread to end, join them
     * and the reaper, and empty the tables.
     *
     * @throws LwpException EBUSY, naming the LWPs that never reached a safe point, if the timeout
     *                      passes first (close may be called again)
     */
    public void close() {
        long deadline = System.nanoTime() + cfg.closeTimeout().toNanos();
        closed = true;
        if (!killedAll) {
            killAll(deadline);
        }
        while (lifecycle.starting.get() > 0 && deadline - System.nanoTime() > 0) {
            Thread.yield(); // a creator between newLwp and startLwp: its thread joins the list below
        }
        lifecycle.cache.close(); // idle threads end; so do those whose LWP ends from now on
        List<String> stuck = new ArrayList<>();
        for (Thread t : new ArrayList<>(lifecycle.threads)) {
            if (!joinUntil(t, deadline)) {
                stuck.add(t.getName());
            }
        }
        if (!stuck.isEmpty()) {
            throw new LwpException(Errno.EBUSY, "close: LWPs never reached a safe point within "
                    + cfg.closeTimeout() + ": " + stuck);
        }
        // Attached threads are the user's: close does not join them, but one it killed in a
        // sleep of the runtime leaves the sleep table when it wakes (it was kicked): wait for
        // that too, within the same bound, so that close leaves the tables empty.
        while (sleep.linkedWaiters() > 0 && deadline - System.nanoTime() > 0) {
            Thread.yield();
        }
        lifecycle.deadlwp.shutdown(deadline);
        if (lifecycle.deadlwp.isAlive()) {
            throw new LwpException(Errno.EBUSY, "close: the dead-LWP reaper did not finish");
        }
        for (KProc p : procList()) {
            p.lwps.clear();
            p.pstat = KProc.SDEAD;
        }
        procs.clear();
    }

    /**
     * close's kill round: every process exiting, every LWP told. The tree lock is taken so that
     * a fork in progress finishes first (its child is then in the list; later forks see
     * closed), but only until the deadline: the fork may be running user code (an at-fork
     * hook, the thread starter) that does not return. Then EBUSY says what close waited for,
     * and a later close tries again.
     */
    private void killAll(long deadline) {
        if (!tryLockUntil(tree, deadline)) {
            throw new LwpException(Errno.EBUSY, "close: a fork in progress (an at-fork hook or thread starter"
                    + " that has not returned?) held the process tree lock for the whole close timeout "
                    + cfg.closeTimeout());
        }
        tree.unlock();
        for (KProc p : procList()) {
            if (!tryLockUntil(p.lock, deadline)) {
                throw new LwpException(Errno.EBUSY, "close: the lock of process " + p.pid
                        + " was held for the whole close timeout " + cfg.closeTimeout());
            }
            try {
                if (p.pstat == KProc.SACTIVE) {
                    p.pstat = KProc.SEXITING;
                }
                exits.killOthers(p, null);
            } finally {
                p.lock.unlock();
            }
        }
        killedAll = true;
    }

    /** Take lock, waiting at most until deadline; false if it did not come free. */
    private static boolean tryLockUntil(ReentrantLock lock, long deadline) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // close is not interruptible; the interrupt is kept
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static boolean joinUntil(Thread t, long deadline) {
        boolean interrupted = false;
        try {
            for (;;) {
                long rem = deadline - System.nanoTime();
                if (!t.isAlive()) {
                    return true;
                }
                if (rem <= 0) {
                    return false;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(rem)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
