package org.lwp4j.kern;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernel's record of one process (DragonFly {@code struct proc}).
 */
public final class KProc {
    /*
     * Locking. lock (NetBSD p_lock) guards the LWP set's membership and counts, every LWP's
     * lifecycle fields, lastLid and the exit election. The LWP table itself is a
     * ConcurrentHashMap, whose get takes no lock, so that park/unpark can find a target by lid
     * without any lock (lwp_find); it is only modified under lock. (It was jctools'
     * NonBlockingHashMapLong, which needs sun.misc.Unsafe: that broke user modules on the module
     * path and warns on JDK 24+.) Tree fields (parent, children, pgrp, session, zombie list) are guarded
     * by the kernel's tree lock (DragonFly's proc_token). Lock order: tree lock, then p.lock.
     *
     * Kernel waits of this process's LWPs sleep in the sleep table keyed by this process, on
     * the channel objects below (cv_wait / cv_broadcast).
     */
    public static final int SACTIVE = 1, SEXITING = 2, SZOMB = 3, SDEAD = 4;

    /** Channel of p_lwpcv: an LWP exited, was collected, detached, suspended or continued. */
    public static final Object CH_LWP = channel("lwpwait");
    /** Channel a suspended or stopped LWP sleeps on. */
    public static final Object CH_SUSPEND = channel("suspend");
    /** Channel of a parent waiting for children (kern_wait), on the parent's key. */
    public static final Object CH_CHILD = channel("wait");
    /** Channel of an RFPPWAIT parent waiting for its child to exit, on the parent's key. */
    public static final Object CH_PPWAIT = channel("ppwait");

    static Object channel(String name) {
        return new Object() {
            @Override
            public String toString() {
                return name;
            }
        };
    }

    public final Kernel kernel;
    public final int pid;
    public final ReentrantLock lock = new ReentrantLock();
    final ConcurrentHashMap<Integer, KLwp> lwps = new ConcurrentHashMap<>();

    volatile int pstat = SACTIVE;
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
    KLwp exitMaster;
    /** The wait status the process exits with. */
    int xstat;
    /** CPU time (total and user, ns) of this process's LWPs that have ended (DragonFly p_ru). */
    long ruCpuNanos, ruUserNanos;

    // Guarded by the kernel tree lock.
    public KProc parent;
    /** Children, oldest first; a set so that reaping one of many costs O(1). */
    public final Set<KProc> children = new LinkedHashSet<>();
    public int uid, gid;
    /** Process group and session ids (maintained by the process layer). */
    public int pgid, sid;
    /**
     * Job-control events for kern_wait (set by the signal layer, consumed by wait): a stop not
     * yet reported (stopSig != 0) and a continue not yet reported.
     */
    public int stopSig;
    public boolean stopUnreported, contUnreported;
    /**
     * The signal layer sets this while SIGCHLD is ignored or SA_NOCLDWAIT is set on this process:
     * its exiting children then do not stay zombies (they go to the reaper / are auto-reaped).
     */
    public volatile boolean noCldWait;
    /** Process-layer state (resources, storage, hooks, reaper); owned by org.lwp4j.proc. */
    public Object procExt;
    /**
     * Signal-layer state (dispositions, pending set); owned by the signal layer, which creates
     * it and guards its fields with {@code lock}.
     */
    public Object sigExt;

    KProc(Kernel kernel, int pid) {
        this.kernel = kernel;
        this.pid = pid;
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

    /** Every LWP record in the table, zombies included (a snapshot). */
    public List<KLwp> lwpList() {
        return new ArrayList<>(lwps.values());
    }

    public int lwpCount() {
        return lwps.size();
    }

    /** LWPs not yet zombies; caller holds lock. */
    public int nlive() {
        return nlive;
    }

    /** CPU time (ns) of the LWPs that have ended; caller holds lock. */
    public long ruCpuNanos() {
        return ruCpuNanos;
    }

    /** User CPU time (ns) of the LWPs that have ended; caller holds lock. */
    public long ruUserNanos() {
        return ruUserNanos;
    }

    /** Set by the process layer's exit (SZOMB) and reap (SDEAD), under the tree lock. */
    public void setPstat(int s) {
        pstat = s;
    }

    public int pstat() {
        return pstat;
    }

    public boolean isExiting() {
        return pstat != SACTIVE;
    }

    /** Broadcast on one of this process's kernel channels. */
    public void broadcast(Object channel) {
        kernel.sleep.cvBroadcast(this, pid, channel);
    }

    @Override
    public String toString() {
        return "proc " + pid;
    }
}
