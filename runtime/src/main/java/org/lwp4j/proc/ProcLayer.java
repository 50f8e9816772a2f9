package org.lwp4j.proc;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lwp4j.Errno;
import org.lwp4j.ExitHook;
import org.lwp4j.ForkHook;
import org.lwp4j.LwpException;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.KernelConfig;
import org.lwp4j.kern.Upcalls;
import org.lwp4j.signal.SignalLayer;

/**
 * The process layer of one kernel, and the layers' face towards it ({@link Upcalls}): group and
 * session tables, the hook lists, and what the kernel asks of the layers above it.
 */
public final class ProcLayer implements Upcalls {
    /*
     * Implementation overview.
     *
     * One ProcLayer is made per Supervisor; it makes its Kernel, passing itself as the kernel's
     * Upcalls (the one interface through which the kernel reaches the layers, held in a final
     * field there):
     *  - newProcState: every process record gets its PState as it is built (KProc.ps);
     *  - exited: the part of DragonFly exit1 after killalllwps (Exit.exited);
     *  - fault: an uncaught Throwable terminates the process with SIGABRT (Exit.fault);
     *  - pidInUse: a pid still naming a process group or session is not handed out again
     *    (DragonFly's pid allocator skips them the same way);
     *  - lwpCreated, deliverSignals, lwpStopped: the signal layer's (SignalLayer), which sits
     *    below this one: the process layer calls it directly (SIGCHLD, orphaned groups, fork).
     * Init's state is set up here once the kernel exists, with the root reaper node
     * (REAPER_STATUS_OWNED | REALINIT), session 1 and group 1.
     *
     * Everything in the tables is guarded by the kernel's tree lock. The calls themselves live in
     * Fork, Exit, KernWait, Groups and Reapers; Proc (the public API) calls them.
     */

    final Kernel kernel;
    /** pgrphashtbl and the sessions by id; guarded by the tree lock. */
    final Map<Integer, Pgrp> pgrps = new HashMap<>();
    final Map<Integer, Session> sessions = new HashMap<>();
    final CopyOnWriteArrayList<ForkHook> forkHooks = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<ExitHook> exitHooks = new CopyOnWriteArrayList<>();

    /**
     * A process layer and its kernel, with init set up.
     *
     * @param cfg the kernel's limits and settings
     */
    public ProcLayer(KernelConfig cfg) {
        this.kernel = new Kernel(cfg, this);
        KProc init = kernel.init;
        kernel.tree.lock();
        try {
            PState s = init.ps;
            s.resources = new Resources();
            s.storage = new Storage();
            s.leader = init;
            s.reaper = new Reaper(init, null, 2, Reaper.OWNED | Reaper.REALINIT);
            Session sess = new Session(init.pid, init);
            sessions.put(sess.sid, sess);
            Pgrp g = new Pgrp(init.pid, sess);
            sess.npgrps = 1;
            pgrps.put(g.pgid, g);
            g.members.add(init);
            s.pgrp = g;
        } finally {
            kernel.tree.unlock();
        }
    }

    /**
     * The kernel this layer made.
     *
     * @return the kernel
     */
    public Kernel kernel() {
        return kernel;
    }

    /** The layer of the calling LWP's kernel. */
    static ProcLayer of(KLwp me) {
        return me.proc.ps.layer;
    }

    // ------------------------------------------------------------------ Upcalls

    @Override
    public PState newProcState(KProc p) {
        return new PState(this, p);
    }

    @Override
    public void lwpCreated(KLwp l) {
        SignalLayer.lwpCreated(l);
    }

    @Override
    public void deliverSignals(KLwp l) {
        SignalLayer.deliver(l);
    }

    @Override
    public void lwpStopped(KLwp l) {
        SignalLayer.stopped(l);
    }

    @Override
    public void fault(KLwp l, Throwable t) {
        Exit.fault(l, t);
    }

    @Override
    public void exited(KLwp master, KProc p, int wstatus) {
        Exit.exited(this, master, p, wstatus);
    }

    @Override
    public boolean pidInUse(int pid) {
        return pgrps.containsKey(pid) || sessions.containsKey(pid);
    }

    // ------------------------------------------------------------------ processes

    /**
     * A process made outside fork ({@code Supervisor.attachNewProcess}): a child of init with
     * this uid and gid, in init's group and session, with init's reaper, a fresh resource table
     * and storage, and no LWP yet.
     *
     * @param uid the uid and gid
     * @return the record
     * @throws LwpException ESRCH after close; EAGAIN over the limits
     */
    public KProc newProcess(int uid) {
        kernel.tree.lock();
        try {
            if (kernel.isClosed()) {
                // checked before the process record exists, so a refused attach leaves nothing
                throw new LwpException(Errno.ESRCH, "attach: supervisor closed");
            }
            KProc p = kernel.newProc(kernel.init, uid, "attach");
            p.gid = uid;
            PState ps = kernel.init.ps;
            PState s = p.ps;
            s.resources = new Resources();
            s.storage = new Storage();
            s.leader = p;
            s.reaper = ps.reaper;
            if (s.reaper != null) {
                Reapers.hold(s.reaper);
            }
            s.reapSubtree = Reapers.subtreeAtFork(this, kernel.init, p);
            Groups.enter(this, p, s, ps.pgrp);
            return p;
        } finally {
            kernel.tree.unlock();
        }
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
                    if (!m.ps.jobcOut && Groups.qualifies(m.parent, g)) {
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

    /**
     * The calls that sleep on the tree lock cannot be made while it is held (from an at-fork
     * hook, which runs under it): answer EDEADLK instead of deadlocking.
     */
    static void notInHook(Kernel k, String call) {
        if (k.tree.isHeldByCurrentThread()) {
            throw new LwpException(Errno.EDEADLK, call + ": called from an at-fork hook");
        }
    }
}
