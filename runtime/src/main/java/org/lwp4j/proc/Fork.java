package org.lwp4j.proc;

import org.lwp4j.ForkHook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import static org.lwp4j.ProcFlags.*;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.kern.Events;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.signal.ForkSignals;
import org.lwp4j.signal.SignalLayer;
import org.lwp4j.Sig;

/**
 * Process creation: DragonFly {@code fork1} and {@code start_forked_proc}.
 */
public final class Fork {
    /*
     * Implementation overview.
     *
     * fork1 and start_forked_proc in one call, all under the tree lock so that nobody sees a
     * half-made process: the limits (Kernel.newProc: the supervisor's process limit and the
     * per-uid limit, EAGAIN before anything exists), the record, the parent (the caller, or with
     * NOWAIT the caller's nearest live reaper), group and session (the caller's), credentials,
     * reaper node (shared, not owned), THREAD leader/peer links, the resource table (shared,
     * copied with FDG, new with CFDG), process-local storage (copied, shared with MEM), the
     * signal layer's fork step (copy or share dispositions; a group signal pending on the caller
     * reaches the child: it is called before the child's LWP exists, under the same tree lock
     * that group signalling takes, so no group signal falls between the two), the at-fork hooks,
     * and last the child's first LWP and platform thread. If a hook throws or the thread cannot
     * be started, every step is undone (no pid, record, group membership or thread is left) and
     * the fork fails (the hook's Throwable, or EAGAIN).
     *
     * Running the hooks under the tree lock is DragonFly's order (fork_list runs inside fork1
     * with the child not yet runnable); it means a hook must be short and must not fork or wait
     * (those answer EDEADLK from a hook).
     *
     * PPWAIT: after the child runs, the forking LWP sleeps uninterruptibly (as vfork's parent)
     * on its process's CH_PPWAIT channel until the child's exit clears the child's ppwaitParent
     * under the tree lock and broadcasts. Being uninterruptible, an _lwp_wakeup of that LWP
     * answers EBUSY. The only way out without the child's exit is the supervisor closing (its
     * processes then end without the exit path); the sleep re-checks for that every 50 ms.
     */
    private static final int ALL = FDG | MEM | NOWAIT | CFDG | THREAD | SIGSHARE | LINUXTHPN
            | PPWAIT;
    static final long CLOSE_POLL_NANOS = 50_000_000L;

    private Fork() {
    }

    /** A call's name and the flags it was made for (see {@link #callName}). */
    private record CallName(int flags, String name) {
    }

    /** The name of the last flags forked with: a program forks with the same flags again and again. */
    private static volatile CallName lastCall = new CallName(0, "fork(flags=0x0)");

    /**
     * The name of a fork call with these flags, for its errors. The last one is kept, so that a
     * fork with the same flags as the one before it allocates no string.
     */
    private static String callName(int flags) {
        CallName c = lastCall;
        if (c.flags() != flags) {
            c = new CallName(flags, "fork(flags=0x" + Integer.toHexString(flags) + ")");
            lastCall = c;
        }
        return c.name();
    }

    public static int fork(Runnable body, int flags) {
        Objects.requireNonNull(body, "body");
        String call = callName(flags);
        KLwp me = SafePoints.curlwp(call);
        if ((flags & ~ALL) != 0 || (flags & (FDG | CFDG)) == (FDG | CFDG)) {
            throw new LwpException(Errno.EINVAL, call);
        }
        Kernel k = me.kernel;
        ProcLayer.notInHook(k, call);
        ProcLayer L = ProcLayer.of(me);
        KProc p1 = me.proc;
        KProc p2 = null;
        PState s2 = null;
        k.tree.lock();
        try {
            if (!p1.isExiting() && !k.isClosed()) {
                PState s1 = p1.ps;
                KProc pptr = (flags & NOWAIT) != 0 ? Reapers.reaperOf(L, s1) : p1;
                p2 = k.newProc(pptr, p1.uid, call);
                s2 = setUp(L, p1, s1, p2, flags);
                try {
                    ForkSignals.fork(p1, p2, (flags & SIGSHARE) != 0);
                    for (ForkHook h : L.forkHooks) {
                        h.forked(p1.pid, p2.pid, flags);
                    }
                    // The thread starts under the tree lock, so that no one can find the child
                    // half made (in the table, its thread not started) and a failed start
                    // is undone before anyone looks.
                    k.lifecycle.startLwp(k.lifecycle.forkLwp(p2, body, call), 0, call);
                } catch (Throwable t) {
                    undo(L, p2, s2);
                    throw t;
                }
            }
        } finally {
            k.tree.unlock();
        }
        if (p2 == null) {
            k.safePoints.userret(me); // the process is exiting: this LWP ends here
            throw new LwpException(Errno.ESRCH, call + ": the calling process is exiting");
        }
        Events.fork(p1, p2, flags);
        if ((flags & PPWAIT) != 0) {
            ppwait(me, k, p1, p2);
        }
        return p2.pid;
    }

    /** The child's process state, inherited as the flags say (tree lock held). */
    private static PState setUp(ProcLayer L, KProc p1, PState s1, KProc p2, int flags) {
        Resources res = (flags & CFDG) != 0 ? new Resources()
                : (flags & FDG) != 0 ? s1.resources.copy() : s1.resources.share();
        Storage mem = (flags & MEM) != 0 ? s1.storage : s1.storage.copy();
        PState s2 = p2.ps;
        s2.resources = res;
        s2.storage = mem;
        s2.reaper = s1.reaper;
        if (s2.reaper != null) {
            Reapers.hold(s2.reaper);
        }
        s2.reapSubtree = Reapers.subtreeAtFork(L, (flags & NOWAIT) != 0 ? Reapers.reaperOf(L, s1) : p1, p2);
        if ((flags & THREAD) != 0) {
            s2.leader = s1.leader;
            PState ls = s1.leader.ps;
            if (ls.peers == null) {
                ls.peers = new LinkedHashSet<>();
            }
            ls.peers.add(p2);
        } else {
            s2.leader = p2;
        }
        if ((flags & PPWAIT) != 0) {
            s2.ppwaitParent = p1;
        }
        if ((flags & LINUXTHPN) != 0) {
            s2.sigparent = Sig.SIGUSR1;
            p2.parent.ps.cloneChildren++;
        }
        Groups.enter(L, p2, s2, s1.pgrp);
        return s2;
    }

    /** Take back a fork that failed after its record was made (tree lock held). */
    private static void undo(ProcLayer L, KProc p2, PState s2) {
        Kernel k = L.kernel;
        if (p2.parent != null) {
            p2.parent.ps.dropChild(p2);
        }
        if (s2.pgrp != null) {
            Groups.fixjobc(p2, s2.pgrp, false, new Orphans()); // it never ran: nothing to signal
        }
        k.removeProc(p2);
        k.freePid(p2); // a failed fork leaves no id behind
        p2.setPstat(KProc.SDEAD);
        Groups.leave(L, p2, s2);
        if (s2.reaper != null) {
            Reapers.drop(s2.reaper);
            s2.reaper = null;
        }
        if (s2.leader != p2) {
            PState ls = s2.leader.ps;
            if (ls.peers != null) {
                ls.peers.remove(p2);
            }
        }
        s2.ppwaitParent = null;
        s2.resources.release();
    }

    /**
     * vfork's parent: sleep until the child has exited (uninterruptible): its exit released the
     * parent and its last LWP has left, so that a WNOHANG wait right after finds the zombie
     * (a zombie is reported to WNOHANG only once its LWPs are gone).
     */
    private static void ppwait(KLwp me, Kernel k, KProc p1, KProc p2) {
        PState s2 = p2.ps;
        k.tree.lock();
        try {
            while (s2.ppwaitParent != null && !k.isClosed()) {
                p1.cvWaitUntil(me, KProc.CH_PPWAIT, k.tree, k.cfg.clock().getAsLong() + CLOSE_POLL_NANOS);
            }
        } finally {
            k.tree.unlock();
        }
        p2.lock.lock();
        try {
            while (p2.nlive() > 0 && !k.isClosed()) {
                p2.cvWaitUntil(me, KProc.CH_LWP, p2.lock, k.cfg.clock().getAsLong() + CLOSE_POLL_NANOS);
            }
        } finally {
            p2.lock.unlock();
        }
    }
}
