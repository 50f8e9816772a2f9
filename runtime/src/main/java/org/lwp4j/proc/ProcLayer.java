package org.lwp4j.proc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.Proc;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.Sig;
import org.lwp4j.kern.Wstat;

/**
 * The process layer of one kernel: group and session tables, the hook lists, and the kernel
 * hooks it installs (process exit, uncaught Throwables, process creation, pids in use).
 */
public final class ProcLayer {
    /*
     * Implementation overview.
     *
     * One ProcLayer is built per Kernel (in the Supervisor's constructor) and installs itself:
     *  - exitHook: the part of DragonFly exit1 after killalllwps (Exit.exited);
     *  - faultHook: an uncaught Throwable terminates the process with SIGABRT (Exit);
     *  - procCreatedHook: a process made outside fork (Supervisor.attachNewProcess) gets its
     *    process state inherited from its parent as fork would with FDG;
     *  - pidInUse: a pid still naming a process group or session is not handed out again
     *    (DragonFly's pid allocator skips them the same way).
     * Its state for each process lives in KProc.procExt as a PState; init's is made here, with
     * the root reaper node (REAPER_STATUS_OWNED | REALINIT), session 1 and group 1.
     *
     * Everything in the tables is guarded by the kernel's tree lock. The calls themselves live in
     * Fork, Exit, KernWait, Groups and Reapers; Proc (the public API) calls them.
     */

    /** siginfo code of a signal sent by a process (the signal layer's SI_USER). */
    static final int SI_USER = org.lwp4j.Signals.SI_USER;

    final Kernel kernel;
    /** pgrphashtbl and the sessions by id; guarded by the tree lock. */
    final Map<Integer, Pgrp> pgrps = new HashMap<>();
    final Map<Integer, Session> sessions = new HashMap<>();
    final CopyOnWriteArrayList<Proc.ForkHook> forkHooks = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Proc.ExitHook> exitHooks = new CopyOnWriteArrayList<>();

    public ProcLayer(Kernel kernel) {
        this.kernel = kernel;
        KProc init = kernel.init;
        kernel.tree.lock();
        try {
            PState s = new PState(this, init, new Resources(), new Storage());
            s.leader = init;
            s.reaper = new Reaper(init, null, 2, Reaper.OWNED | Reaper.REALINIT);
            Session sess = new Session(init.pid, init);
            sessions.put(sess.sid, sess);
            Pgrp g = new Pgrp(init.pid, sess);
            sess.npgrps = 1;
            pgrps.put(g.pgid, g);
            g.members.add(init);
            s.pgrp = g;
            init.pgid = g.pgid;
            init.sid = sess.sid;
            init.procExt = s;
        } finally {
            kernel.tree.unlock();
        }
        kernel.setPidInUse(pid -> pgrps.containsKey(pid) || sessions.containsKey(pid));
        kernel.setProcCreatedHook(this::created);
        kernel.setExitHook((master, p, wstatus) -> Exit.exited(this, master, p, wstatus));
        kernel.setFaultHook(Exit::fault);
    }

    /** The layer installed on the kernel of the calling LWP. */
    static ProcLayer of(KLwp me) {
        return ((PState) me.kernel.init.procExt).layer;
    }

    /**
     * The process state of p; made on first use if p was created without this layer knowing
     * (its creation hook replaced). Caller holds the tree lock.
     */
    PState st(KProc p) {
        Object x = p.procExt;
        if (x instanceof PState) {
            return (PState) x;
        }
        created(p);
        return (PState) p.procExt;
    }

    /**
     * A process made by the kernel outside fork (attachNewProcess): inherit group, session and
     * reaper from its parent, with a fresh resource table and storage. Idempotent. Tree lock held.
     */
    private void created(KProc p) {
        if (p.procExt instanceof PState) {
            return;
        }
        KProc parent = p.parent != null ? p.parent : kernel.init;
        PState ps = st(parent);
        PState s = new PState(this, p, new Resources(), new Storage());
        s.leader = p;
        s.reaper = ps.reaper;
        if (s.reaper != null) {
            Reapers.hold(s.reaper);
        }
        s.reapSubtree = Reapers.subtreeAtFork(this, parent, p);
        p.procExt = s;
        Groups.enter(this, p, s, ps.pgrp);
    }

    /** Tables emptied after the kernel closed (every process is gone). */
    public void closed() {
        kernel.tree.lock();
        try {
            pgrps.clear();
            sessions.clear();
        } finally {
            kernel.tree.unlock();
        }
    }

    /** Number of process groups and sessions (diagnostics, tests). */
    public int[] groupCounts() {
        kernel.tree.lock();
        try {
            return new int[] {pgrps.size(), sessions.size()};
        } finally {
            kernel.tree.unlock();
        }
    }

    /**
     * Check every group's job-control count against its definition (tests, at quiescence):
     * the members not counted out by their exit whose parent is in another group of the same
     * session. Answers null when all agree, else the first that does not.
     */
    public String auditJobc() {
        kernel.tree.lock();
        try {
            for (Pgrp g : pgrps.values()) {
                int n = 0;
                for (KProc m : g.members) {
                    if (!st(m).jobcOut && Groups.qualifies(this, m.parent, g)) {
                        n++;
                    }
                }
                if (n != g.jobc) {
                    return g + ": jobc " + g.jobc + ", qualifying members " + n;
                }
            }
            return null;
        } finally {
            kernel.tree.unlock();
        }
    }

    // ------------------------------------------------------------------ helpers

    static LwpException err(Errno e, String call) {
        return new LwpException(e, call);
    }

    /**
     * The calls that sleep on the tree lock cannot be made while it is held (from an at-fork
     * hook, which runs under it): answer EDEADLK instead of deadlocking.
     */
    static void notInHook(Kernel k, String call) {
        if (k.tree.isHeldByCurrentThread()) {
            throw err(Errno.EDEADLK, call + ": called from an at-fork hook");
        }
    }

    static int exitCode(int wstatus) {
        return (wstatus & 0x7f) == 0 ? org.lwp4j.WaitResult.CLD_EXITED : org.lwp4j.WaitResult.CLD_KILLED;
    }

    /** SIGKILL p at its LWPs' safe points without the signal layer (peers of an exiting leader). */
    static void killProc(KProc q) {
        q.lock.lock();
        try {
            if (q.isExiting()) {
                return;
            }
            for (KLwp l : q.lwpList()) {
                int st = l.stat();
                if (st == KLwp.LSZOMB || st == KLwp.LSDEAD) {
                    continue;
                }
                l.post(KLwp.AST_KILL);
                if (!l.attachedThread && l.thread() != null) {
                    l.thread().interrupt();
                }
            }
            q.broadcast(KProc.CH_SUSPEND);
        } finally {
            q.lock.unlock();
        }
    }

    static int sigabrt() {
        return Wstat.signaled(Sig.SIGABRT);
    }
}
