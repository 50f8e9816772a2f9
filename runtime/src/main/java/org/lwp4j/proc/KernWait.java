package org.lwp4j.proc;

import org.lwp4j.Sig;

import java.util.Objects;
import java.util.Set;
import static org.lwp4j.Wait.*;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.IdType;
import org.lwp4j.ParkResult;
import org.lwp4j.Rusage;
import org.lwp4j.WaitResult;
import org.lwp4j.kern.Events;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SigIntr;
import org.lwp4j.signal.JobControl;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.signal.SignalLayer;

/**
 * DragonFly {@code kern_wait}: wait for a child to exit, stop or continue.
 */
public final class KernWait {
    /*
     * Implementation overview.
     *
     * DragonFly scans the parent's whole child list on every wait and every wakeup, which makes
     * reaping N children O(N^2). Here each parent keeps a queue of its unclaimed zombies (oldest
     * first; a linked set so any one leaves in O(1)), filled by the child's exit under the tree
     * lock. A wait for any child with WEXITED takes the head; a wait for one pid looks the child up
     * in the process table; so both cost O(1) per reaped child whatever the number of children.
     * Only the other selectors (group, session, uid, gid) and WSTOPPED/WCONTINUED scan: the
     * zombie queue for the first match, the children for the stop and continue reports (which the
     * signal layer leaves in KProc.stopSig/stopUnreported/contUnreported under the tree lock).
     *
     * No lost wakeup: the check and the sleep are one cvWait with the tree lock as interlock;
     * whatever the waiter waits for (a zombie queued, a child reparented to us, a stop or continue
     * recorded) is changed under the tree lock and followed by a broadcast of the parent's
     * CH_CHILD channel. Every LWP of the parent sleeps on the same channel, so any of them can
     * reap any child, whichever LWP forked it.
     *
     * Exactly one reaper per zombie: a waiter claims a zombie by taking it off the queue and out
     * of the parent's children under the tree lock (DragonFly's PWAITRES reservation); a second
     * waiter then no longer finds it (and, if it was the last match, gets ECHILD). From the
     * claim on the reap cannot be aborted: the claimer releases the tree lock and waits,
     * uninterruptibly, for the zombie's last LWP to leave (each LWP adds its CPU time as it
     * leaves, Kernel.lwpExit, and broadcasts the child's CH_LWP), so the reported rusage is
     * complete; then it adds the child's usage (and the child's
     * own reaped children's) to the parent's children usage. WNOWAIT reports without claiming
     * (after the same wait), so it answers the same result again later.
     *
     * The sleep is interruptible: a safe-point request is acted on (SigIntr): after a caught
     * signal the wait answers EINTR, or goes on if the handler has SA_RESTART; after a stop and
     * continue it goes on; a kill or exit ends the LWP; a wakeup or Thread.interrupt answers
     * EINTR.
     *
     * WNOHANG never sleeps (issue 10): a zombie whose last LWP still unwinds (a killed child's
     * body in a long finally, or one that swallows LwpExit) is not ready for it, so WNOHANG
     * neither claims it nor waits for that LWP; it answers "none yet" for it, or reaps another
     * zombie that is done.
     */
    private static final int ALL = WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT | WEXITED | WLINUXCLONE;
    private static final int EVENTS = WEXITED | WSTOPPED | WCONTINUED;

    private KernWait() {
    }

    public static WaitResult wait(IdType idtype, int id, int options) {
        return wait(idtype, id, options, Long.MAX_VALUE);
    }

    /**
     * As {@link #wait(IdType, int, int)}, but when {@code timeoutNanos} pass with nothing to
     * report it answers {@link WaitResult#none()} ("not yet"), as WNOHANG does at once.
     *
     * @param idtype       which children
     * @param id           the id idtype selects on
     * @param options      the wait options
     * @param timeoutNanos relative; 0 or less looks once; {@code Long.MAX_VALUE} waits for good
     * @return the report, or {@link WaitResult#none()}
     */
    public static WaitResult wait(IdType idtype, int id, int options, long timeoutNanos) {
        WaitResult r = sleepingWait(idtype, id, options, timeoutNanos);
        SafePoints.returning(SafePoints.current()); // the return is a safe point too (userret)
        return r;
    }

    /**
     * {@code waitpid}: {@code pid} -1 is any child, 0 the caller's group, {@code < -1} group
     * {@code -pid}, {@code > 0} that child; WEXITED is added to {@code options}.
     */
    public static WaitResult waitpid(int pid, int options, long timeoutNanos) {
        IdType idtype = pid == -1 ? IdType.P_ALL : pid <= 0 ? IdType.P_PGID : IdType.P_PID;
        return wait(idtype, pid == -1 ? 0 : Math.abs(pid), options | WEXITED, timeoutNanos);
    }

    private static WaitResult sleepingWait(IdType idtype, int id, int options, long timeoutNanos) {
        Objects.requireNonNull(idtype, "idtype");
        // the name of the call is made only for an error: a wait that reaps allocates no string
        final IdType callType = idtype;
        final int callId = id;
        KLwp me = SafePoints.curlwp("wait");
        if ((options & ~ALL) != 0 || (options & EVENTS) == 0) {
            throw new LwpException(Errno.EINVAL, callName(callType, callId, options));
        }
        Kernel k = me.kernel;
        if (k.tree.isHeldByCurrentThread()) {
            ProcLayer.notInHook(k, callName(callType, callId, options));
        }
        ProcLayer L = ProcLayer.of(me);
        boolean timed = timeoutNanos != Long.MAX_VALUE;
        long deadline = org.lwp4j.kern.Timeouts.deadline(k, timeoutNanos);
        KProc q = me.proc;
        KProc z = null;
        k.tree.lock();
        try {
            if ((idtype == IdType.P_PID || idtype == IdType.P_PGID) && id == 0) {
                idtype = IdType.P_PGID; // WAIT_MYPGRP
                id = q.pgid();
            }
            PState qs = q.ps;
            boolean clones = (options & WLINUXCLONE) != 0;
            for (;;) {
                if ((options & WEXITED) != 0) {
                    z = findZombie(k, q, clones ? qs.cloneZombies : qs.zombies, idtype, id,
                            (options & WNOHANG) != 0);
                    if (z != null) {
                        if ((options & WNOWAIT) == 0) {
                            qs.dropChild(z); // claimed: from now on nobody else can find it
                        }
                        break;
                    }
                }
                int nfound = 0;
                if (idtype == IdType.P_ALL && (options & (WSTOPPED | WCONTINUED)) == 0) {
                    nfound = clones ? qs.cloneChildren : q.children.size() - qs.cloneChildren;
                } else if (idtype == IdType.P_PID) {
                    KProc c = k.findProc(id);
                    if (c != null && c.parent == q && q.children.contains(c) // not claimed
                            && c.ps.linuxClone() == clones && candidate(c, options)) {
                        nfound = 1;
                        WaitResult r = jobEvent(c, options);
                        if (r != null) {
                            return r;
                        }
                    }
                } else {
                    for (KProc c : q.children) {
                        if (matches(c, idtype, id) && c.ps.linuxClone() == clones && candidate(c, options)) {
                            nfound++;
                            WaitResult r = jobEvent(c, options);
                            if (r != null) {
                                return r;
                            }
                        }
                    }
                }
                if (nfound == 0) {
                    throw new LwpException(Errno.ECHILD, callName(callType, callId, options));
                }
                if ((options & WNOHANG) != 0) {
                    return WaitResult.none();
                }
                ParkResult r = timed ? q.cvWaitInterruptiblyUntil(me, KProc.CH_CHILD, k.tree, deadline)
                        : q.cvWaitInterruptibly(me, KProc.CH_CHILD, k.tree);
                if (r == ParkResult.TIMED_OUT) {
                    return WaitResult.none();
                }
                if (r == ParkResult.INTERRUPTED) {
                    SigIntr.beforeSafePoint(me, callName(callType, callId, options)); // EINTR after a handler, unless SA_RESTART
                    safePointUnlocked(me, k);
                    SigIntr.afterSafePoint(me, callName(callType, callId, options));
                }
            }
        } finally {
            k.tree.unlock();
        }
        return reaped(L, me, q, z, (options & WNOWAIT) == 0);
    }

    private static String callName(IdType idtype, int id, int options) {
        return "wait(" + idtype + ", " + id + ", " + optionNames(options) + ")";
    }

    /**
     * A zombie is something to wait for only when WEXITED is asked for (FreeBSD proc_to_reap;
     * Linux alike): without it, a wait whose only matches are zombies answers ECHILD rather
     * than sleeping for a stop that can never come (tree lock held).
     */
    private static boolean candidate(KProc c, int options) {
        return (options & WEXITED) != 0 || c.pstat() != KProc.SZOMB;
    }

    /**
     * The report of a zombie whose LWPs have all left, as a WNOWAIT wait gives it (takes the
     * tree lock, then z.lock): what {@code Proc.onExit} completes with.
     *
     * @param z the zombie (or a process reaped since: its record keeps its figures)
     * @return its wait result
     */
    public static WaitResult report(KProc z) {
        Kernel k = z.kernel;
        k.tree.lock();
        try {
            Rusage self = z.underLock(z::rusage);
            PState zs = z.ps;
            return new WaitResult(z.pid, zs.xstat, exitCode(zs.xstat), z.uid, self,
                    new Rusage(zs.cruUserNanos, zs.cruCpuNanos - zs.cruUserNanos), zs.fault);
        } finally {
            k.tree.unlock();
        }
    }

    /** The safe point of a wait that holds its own tree lock (once): released for it, held again after. */
    private static void safePointUnlocked(KLwp me, Kernel k) {
        k.tree.unlock();
        try {
            k.safePoints.userret(me);
        } finally {
            k.tree.lock();
        }
    }

    /**
     * The first zombie child in {@code zombies} (one kind's queue) that matches, or null (tree
     * lock held). With {@code doneOnly} (WNOHANG), only a zombie whose LWPs have all left.
     */
    private static KProc findZombie(Kernel k, KProc q, Set<KProc> zombies, IdType idtype, int id,
                                    boolean doneOnly) {
        if (zombies.isEmpty()) {
            return null;
        }
        if (idtype == IdType.P_ALL && !doneOnly) {
            return zombies.iterator().next();
        }
        if (idtype == IdType.P_PID) {
            KProc c = k.findProc(id);
            return c != null && c.parent == q && zombies.contains(c) && (!doneOnly || lwpsGone(c)) ? c : null;
        }
        for (KProc c : zombies) {
            if (matches(c, idtype, id) && (!doneOnly || lwpsGone(c))) {
                return c;
            }
        }
        return null;
    }

    /** Whether zombie z has no live LWP left (tree lock held; takes z.lock, the next in order). */
    private static boolean lwpsGone(KProc z) {
        z.lock.lock();
        try {
            return z.nlive() == 0;
        } finally {
            z.lock.unlock();
        }
    }

    private static boolean matches(KProc c, IdType idtype, int id) {
        switch (idtype) {
            case P_ALL:
                return true;
            case P_PID:
                return c.pid == id;
            case P_PGID:
                return c.pgid() == id;
            case P_SID:
                return c.sid() == id;
            case P_UID:
                return c.uid == id;
            case P_GID:
                return c.gid == id;
            default:
                return false;
        }
    }

    /** A stop or continue of live child c to report, consumed unless WNOWAIT (tree lock held). */
    private static WaitResult jobEvent(KProc c, int options) {
        if (c.isExiting()) {
            return null;
        }
        int r = c.sig.jobc.take((options & WSTOPPED) != 0, (options & WCONTINUED) != 0, (options & WNOWAIT) != 0);
        switch (r) {
            case JobControl.REPORT_STOP:
                return new WaitResult(c.pid, stoppedStatus(c.sig.jobc.stopSignal()), Sig.CLD_STOPPED, c.uid,
                        Rusage.ZERO, Rusage.ZERO, null);
            case JobControl.REPORT_CONT:
                return new WaitResult(c.pid, continuedStatus(), Sig.CLD_CONTINUED, c.uid, Rusage.ZERO,
                        Rusage.ZERO, null);
            case JobControl.REPORT_NONE:
                return null;
            default:
                throw new IllegalStateException("job control report " + r);
        }
    }

    /**
     * After the tree lock: wait for z's last LWP to leave, then report it; a claimed zombie is
     * released and its usage added to the parent's children usage, and its LWPs are let off
     * their CPUs (Kernel.waitOffCpu) before the call returns.
     */
    private static WaitResult reaped(ProcLayer L, KLwp me, KProc q, KProc z, boolean claimed) {
        Kernel k = L.kernel;
        Rusage self;
        z.lock.lock();
        try {
            while (z.nlive() > 0) {
                z.cvWait(me, KProc.CH_LWP, z.lock);
            }
            self = z.rusage();
        } finally {
            z.lock.unlock();
        }
        WaitResult r;
        k.tree.lock();
        try {
            PState zs = z.ps;
            Rusage kids = new Rusage(zs.cruUserNanos, zs.cruCpuNanos - zs.cruUserNanos);
            r = new WaitResult(z.pid, zs.xstat, exitCode(zs.xstat), z.uid, self, kids, zs.fault);
            if (claimed) {
                PState qs = q.ps;
                qs.cruCpuNanos += self.cpuNanos() + zs.cruCpuNanos;
                qs.cruUserNanos += self.userNanos() + zs.cruUserNanos;
                Exit.release(L, z, zs);
                SignalLayer.withdrawChild(q, z); // its SIGCHLD report, if still pending, is withdrawn
            }
        } finally {
            k.tree.unlock();
        }
        if (claimed) {
            k.lifecycle.waitOffCpu(z);
            Events.Wait e = new Events.Wait();
            if (e.shouldCommit()) {
                e.of(q);
                e.reaped = z.pid;
                e.commit();
            }
        }
        return r;
    }
}
