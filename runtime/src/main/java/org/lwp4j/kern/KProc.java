package org.lwp4j.kern;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.Rusage;
import org.lwp4j.proc.PState;
import org.lwp4j.signal.ProcSig;

/**
 * The kernel's record of one process (DragonFly {@code struct proc}).
 */
public final class KProc {
    /*
     * Locking. lock (NetBSD p_lock) guards the LWP set's membership and counts, every LWP's
     * lifecycle fields, lastLid and the exit election. The LWP table itself is a LidTable, whose
     * get takes no lock (and boxes no lid), so that park/unpark can find a target by lid without
     * any lock (lwp_find); it is only modified under lock, its one writer at a time. (It was a
     * ConcurrentHashMap, whose Integer keys made unparkAll allocate, and before that jctools'
     * NonBlockingHashMapLong, which needs sun.misc.Unsafe: that broke user modules on the module
     * path and warns on JDK 24+.) Tree fields (parent, children, pgrp, session, zombie list) are guarded
     * by the kernel's tree lock (DragonFly's proc_token). Lock order: tree lock, then p.lock.
     *
     * Kernel waits of this process's LWPs sleep in the sleep table keyed by this process, on
     * the channel objects below (cv_wait / cv_broadcast).
     */
    public static final int SACTIVE = 1, SEXITING = 2, SZOMB = 3, SDEAD = 4;

    /** Channel of p_lwpcv: an LWP exited, was collected, detached, suspended or continued. */
    public static final Object CH_LWP = Channel.LWPWAIT;
    /** Channel a suspended or stopped LWP sleeps on (a stopped one on CH_STOP, the same queue). */
    public static final Object CH_SUSPEND = Channel.SUSPEND;
    /** Channel of a stopped LWP: the queue of CH_SUSPEND, named apart for ps and jstack. */
    public static final Object CH_STOP = Channel.STOP;
    /** Channel of a parent waiting for children (kern_wait), on the parent's key. */
    public static final Object CH_CHILD = Channel.WAIT;
    /** Channel of an RFPPWAIT parent waiting for its child to exit, on the parent's key. */
    public static final Object CH_PPWAIT = Channel.PPWAIT;

    public final Kernel kernel;
    public final int pid;
    public final ReentrantLock lock = new ReentrantLock();

    /** Run {@code body} holding this process's lock; answers what it answers. */
    public <T> T underLock(java.util.function.Supplier<T> body) {
        return Locks.under(lock, body);
    }
    /** The LWP table, lid to record, zombies included: written under lock, read without (find). */
    final LidTable<KLwp> lwps = new LidTable<>(l -> l.lid, lock);

    volatile int pstat = SACTIVE;
    /**
     * The exit master, when an uncaught Throwable of its body made the process exit: the
     * others' LwpExit carries its fault as cause (Faults). Written under lock in exit1.
     */
    volatile KLwp exitFaulted;
    /** A stop (SIGSTOP and kin) is in force: new LWPs start stopped. */
    public volatile boolean stopping;

    // Guarded by lock.
    int lastLid;
    /** LWPs not yet zombies (IDL, RUN, SUSPENDED, STOP). */
    int nlive;
    /** LWPs sitting in _lwp_wait. */
    int nlwpwait;
    /** LWPs that may still give _lwp_wait a zombie (KLwp.recount); guarded by lock. */
    int nwaitable;
    /** LWPs neither detached nor dead: what _lwp_wait(0) waits for (KLwp.recount); guarded by lock. */
    int njoinable;
    /**
     * The joinable zombies, oldest first, linked through KLwp.zprev/znext (KLwp.recount keeps
     * it): _lwp_wait(0) takes the first one no other waiter claimed without scanning the LWP
     * table, so an exit storm of N LWPs is collected in O(N), not O(N^2). Guarded by lock.
     */
    KLwp zombies, lastZombie;
    /** CPU time (total and user, ns) of this process's LWPs that have ended (DragonFly p_ru). */
    long ruCpuNanos, ruUserNanos;
    /** Proc.onExit's hand-off (lwpsGoneFuture), or null; guarded by lock. */
    private CompletableFuture<Void> lwpsGone;

    // Guarded by the kernel tree lock.
    /** The parent; null for init only. */
    public KProc parent;
    /** Children, oldest first; a set so that reaping one of many costs O(1). */
    public final Set<KProc> children = new LinkedHashSet<>();
    public int uid, gid;

    /**
     * The process layer's state (group and session, reaper, zombie queues, resources, ...),
     * made with the record by the process layer (Upcalls.newProcState).
     */
    public final PState ps;
    /** The signal layer's state (dispositions, pending signals, job control), made with the record. */
    public final ProcSig sig;

    KProc(Kernel kernel, int pid, KProc parent, int uid) {
        this.kernel = kernel;
        this.pid = pid;
        this.parent = parent;
        this.uid = uid;
        this.gid = parent == null ? 0 : parent.gid;
        this.sig = new ProcSig(this);
        this.ps = kernel.up.newProcState(this);
    }

    /**
     * The process group id, from the group the process is in (tree lock held, or a racy read).
     *
     * @return the pgid
     */
    public int pgid() {
        return ps.pgid();
    }

    /**
     * The session id, from the group's session (tree lock held, or a racy read).
     *
     * @return the sid
     */
    public int sid() {
        return ps.sid();
    }

    /** lwp_find: the live LWP with this id (not idle-unstarted nor zombie), or null. No lock. */
    public KLwp find(int lid) {
        KLwp l = lwps.get(lid);
        if (l == null) {
            return null;
        }
        int s = l.stat;
        return s == KLwp.LSZOMB || s == KLwp.LSDEAD ? null : l;
    }

    /**
     * lwp_find for a call: the live LWP with this id, or ESRCH naming the call.
     *
     * @param lid  the id
     * @param call the call, for the error
     * @return the LWP
     * @throws LwpException ESRCH if there is no live LWP with this id in this process
     */
    /**
     * Check the LWP counts and the zombie list against the table (tests, at quiescence): answers
     * null when they agree, else what does not.
     */
    public String auditLwps() {
        lock.lock();
        try {
            int waitable = 0, joinable = 0, zombiesInTable = 0, listed = 0;
            Object[] s = lwps.slots();
            for (int i = 0; i < s.length; i++) {
                KLwp l = LidTable.at(s, i);
                if (l == null) {
                    continue;
                }
                int st = l.stat;
                if (!l.detached && (st == KLwp.LSRUN || st == KLwp.LSIDL || st == KLwp.LSZOMB)) {
                    waitable++;
                }
                if (!l.detached && st != KLwp.LSDEAD) {
                    joinable++;
                }
                if (!l.detached && st == KLwp.LSZOMB) {
                    zombiesInTable++;
                }
            }
            for (KLwp z = zombies; z != null; z = z.znext) {
                if (z.stat != KLwp.LSZOMB || z.detached || lwps.get(z.lid) != z) {
                    return "pid " + pid + ": lid " + z.lid + " on the zombie list, stat " + z.stat;
                }
                listed++;
            }
            if (waitable != nwaitable || joinable != njoinable || listed != zombiesInTable) {
                return "pid " + pid + ": nwaitable " + nwaitable + " (table " + waitable + "), njoinable "
                        + njoinable + " (table " + joinable + "), zombie list " + listed + " (table " + zombiesInTable + ")";
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    void linkZombie(KLwp l) {
        l.zprev = lastZombie;
        l.znext = null;
        if (lastZombie == null) {
            zombies = l;
        } else {
            lastZombie.znext = l;
        }
        lastZombie = l;
    }

    void unlinkZombie(KLwp l) {
        if (l.zprev == null) {
            zombies = l.znext;
        } else {
            l.zprev.znext = l.znext;
        }
        if (l.znext == null) {
            lastZombie = l.zprev;
        } else {
            l.znext.zprev = l.zprev;
        }
        l.zprev = l.znext = null;
    }

    public KLwp findOrEsrch(int lid, String call) {
        KLwp l = find(lid);
        if (l == null) {
            throw new LwpException(Errno.ESRCH, call);
        }
        return l;
    }

    /** Every LWP record in the table, zombies included (a snapshot). */
    public List<KLwp> lwpList() {
        return lwps.values();
    }

    public int lwpCount() {
        return lwps.size();
    }

    /** LWPs not yet zombies; caller holds lock. */
    public int nlive() {
        return nlive;
    }

    /** The CPU time of the LWPs that have ended (DragonFly p_ru); caller holds lock. */
    public Rusage rusage() {
        return new Rusage(ruUserNanos, ruCpuNanos - ruUserNanos);
    }

    /** Set by the process layer's exit (SZOMB) and reap (SDEAD), under the tree lock. */
    public void setPstat(int s) {
        pstat = s;
        lock.lock(); // tree lock, then p.lock: the order
        try {
            checkLwpsGone();
        } finally {
            lock.unlock();
        }
    }

    public int pstat() {
        return pstat;
    }

    public boolean isExiting() {
        return pstat != SACTIVE;
    }

    /**
     * Broadcast on one of this process's kernel channels ({@code cv_broadcast}).
     *
     * @param channel the channel
     */
    public void broadcast(Object channel) {
        kernel.sleep.cvBroadcast(this, pid, channel);
    }

    /**
     * {@code cv_wait} on one of this process's channels: sleep uninterruptibly until a broadcast
     * (see {@link org.lwp4j.sleep.SleepTable#cvWait}); {@code lock} is held once, released while
     * asleep and held again on return.
     *
     * @param me      the calling LWP
     * @param channel the channel
     * @param lock    the interlock the caller holds
     */
    public void cvWait(KLwp me, Object channel, Lock lock) {
        Events.KernelWait e = Events.kernelWaitBegin();
        kernel.sleep.cvWait(me, this, pid, channel, lock);
        Events.kernelWaitEnd(e, me, channel);
    }

    /**
     * {@code cv_wait_sig}: as {@link #cvWait}, but a safe-point request, a wakeup or
     * Thread.interrupt ends it (INTERRUPTED).
     *
     * @param me      the calling LWP
     * @param channel the channel
     * @param lock    the interlock the caller holds
     * @return UNPARKED (a broadcast, or spurious) or INTERRUPTED
     */
    public ParkResult cvWaitInterruptibly(KLwp me, Object channel, Lock lock) {
        Events.KernelWait e = Events.kernelWaitBegin();
        ParkResult r = kernel.sleep.cvWaitInterruptibly(me, this, pid, channel, lock);
        Events.kernelWaitEnd(e, me, channel);
        return r;
    }

    /**
     * {@code cv_timedwait}: as {@link #cvWait}, until the kernel clock reaches {@code deadline}.
     *
     * @param me       the calling LWP
     * @param channel  the channel
     * @param lock     the interlock the caller holds
     * @param deadline absolute, in the kernel clock's nanoseconds
     */
    public void cvWaitUntil(KLwp me, Object channel, Lock lock, long deadline) {
        Events.KernelWait e = Events.kernelWaitBegin();
        kernel.sleep.cvWaitUntil(me, this, pid, channel, lock, deadline);
        Events.kernelWaitEnd(e, me, channel);
    }

    /**
     * {@code cv_timedwait_sig}: as {@link #cvWaitInterruptibly}, until the kernel clock reaches
     * {@code deadline}.
     *
     * @param me       the calling LWP
     * @param channel  the channel
     * @param lock     the interlock the caller holds
     * @param deadline absolute, in the kernel clock's nanoseconds
     * @return UNPARKED (a broadcast, or spurious), TIMED_OUT or INTERRUPTED
     */
    public ParkResult cvWaitInterruptiblyUntil(KLwp me, Object channel, Lock lock, long deadline) {
        Events.KernelWait e = Events.kernelWaitBegin();
        ParkResult r = kernel.sleep.cvWaitInterruptiblyUntil(me, this, pid, channel, lock, deadline);
        Events.kernelWaitEnd(e, me, channel);
        return r;
    }

    /**
     * A future completed (by the LWP that leaves last, under {@link #lock}, with nothing
     * chained on it but asynchronous stages) once the process is a zombie whose LWPs have all
     * left: what {@code Proc.onExit} builds on. Made on demand; the same future for every caller.
     *
     * @return the future, complete already if the LWPs are gone
     */
    public CompletableFuture<Void> lwpsGoneFuture() {
        lock.lock();
        try {
            if (lwpsGone == null) {
                lwpsGone = new CompletableFuture<>();
                if (pstat != SACTIVE && nlive == 0) {
                    lwpsGone.complete(null);
                }
            }
            return lwpsGone;
        } finally {
            lock.unlock();
        }
    }

    /** After nlive fell or pstat changed (lock held): complete lwpsGone if the process is done. */
    void checkLwpsGone() {
        CompletableFuture<Void> f = lwpsGone;
        if (f != null && pstat != SACTIVE && nlive == 0) {
            f.complete(null); // only async stages hang on it: no user code runs here
        }
    }

    @Override
    public String toString() {
        return "proc " + pid;
    }
}
