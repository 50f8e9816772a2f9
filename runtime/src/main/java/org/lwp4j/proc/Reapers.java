package org.lwp4j.proc;


import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import static org.lwp4j.ProcFlags.REAPER_KILL_CHILDREN;
import static org.lwp4j.ProcFlags.REAPER_KILL_SUBTREE;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ReaperPid;
import org.lwp4j.ReaperStatus;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.signal.SignalLayer;
import org.lwp4j.Sig;

/**
 * The reaper tree and {@code procctl}: DragonFly {@code kern_fork.c}'s reaper_hold / reaper_drop /
 * reaper_init / reaper_exit / reaper_get and PROC_REAP_ACQUIRE / RELEASE / STATUS, with
 * FreeBSD's REAP_GETPIDS and REAP_KILL.
 */
public final class Reapers {
    /*
     * Implementation overview.
     *
     * A process belongs to a reaper node (PState.reaper, inherited by fork; the reaper flag
     * itself is not: a child of a reaper belongs to the parent's node but does not own it).
     * REAP_ACQUIRE puts a new node owned by the caller between it and its old node; REAP_RELEASE
     * and exit take the ownership away, leaving a dead node that processes forked earlier still
     * point at. reaper_get walks up from a node to the first live one, and on the way splices out
     * dead nodes referenced by nothing but the node below (refs == 1), so chains of dead nodes
     * do not grow. Node reference counts: see Reaper. DragonFly protects each node with its own
     * lock and holds extra references across the walk; here every node is guarded by the tree
     * lock, so the walk needs no extra holds.
     *
     * ACQUIRE and RELEASE act on the caller only (idtype P_PID with the caller's own pid; anything
     * else is EINVAL, as in DragonFly's sys_procctl). STATUS, GETPIDS and KILL may name another
     * live process the caller may signal (FreeBSD; ESRCH, EPERM otherwise) and look at that
     * process's reaper: itself if it owns a node, else the nearest live reaper above it. Descendants
     * are found by walking the process tree below the reaper (zombies included), not descending
     * below another reaper for STATUS and GETPIDS (as FreeBSD's per-reaper list), and descending
     * everywhere for KILL (FreeBSD signals sub-reapers' descendants too). KILL sends through
     * the kernel's psignal (the signal layer), outside the tree lock, to live processes only,
     * never to the caller; a caller that is not uid 0 only signals processes of its own uid.
     */
    private Reapers() {
    }

    static void hold(Reaper r) {
        r.refs++;
    }

    /** reaper_drop: release one reference; a node that reaches 0 releases its parent in turn. */
    static void drop(Reaper r) {
        while (r != null) {
            if (--r.refs > 0) {
                return;
            }
            Reaper next = r.parent;
            r.parent = null;
            r = next;
        }
    }

    /** reaper_get: the nearest live reaper process at or above r, pruning dead nodes; null if none. */
    static KProc get(Reaper r) {
        while (r != null) {
            if (r.p != null) {
                return r.p;
            }
            Reaper next = r.parent;
            while (next != null && next.p == null && next.refs == 1) {
                // only r.parent refers to next: r inherits next's reference on next.parent
                r.parent = next.parent;
                next.parent = null;
                next.refs = 0;
                next = r.parent;
            }
            r = next;
        }
        return null;
    }

    /** The live reaper of p's node, init if none is left. */
    static KProc reaperOf(ProcLayer L, PState s) {
        KProc r = get(s.reaper);
        return r != null ? r : L.kernel.init;
    }

    /**
     * reaper_exit: if p owns its node, give it up (p falls back to the parent node). Then detach
     * p from its node and answer it, still held: the caller drops it when done.
     */
    static Reaper exit(PState s) {
        Reaper r = s.reaper;
        if (r != null && r.p == s.proc) {
            abandon(s.layer, s);
            s.reaper = r.parent;
            if (r.parent != null) {
                hold(r.parent);
            }
            r.p = null;
            drop(r);
        }
        r = s.reaper;
        s.reaper = null;
        return r;
    }

    // ------------------------------------------------------------------ subtrees

    /**
     * FreeBSD fork1's p_reapsubtree for child c of {@code parent}: its own pid when the parent is
     * its reaper, else the parent's subtree (tree lock held).
     */
    static int subtreeAtFork(ProcLayer L, KProc parent, KProc c) {
        PState ps = parent.ps;
        return ps.ownsReaper() ? c.pid : ps.reapSubtree;
    }

    /**
     * Give every process below p that belongs to p's reaper (not below another reaper) the
     * subtree {@code key.applyAsInt(child of p above it)} (tree lock held).
     */
    private static void resubtree(ProcLayer L, KProc p, java.util.function.IntUnaryOperator key) {
        for (KProc[] e : descendants(L, p, false)) {
            e[0].ps.reapSubtree = key.applyAsInt(e[1].pid);
        }
    }

    /**
     * p gives up its reaper node (REAP_RELEASE, exit): its processes join the reaper above in
     * p's own subtree, as FreeBSD's reaper_abandon_children (tree lock held).
     */
    static void abandon(ProcLayer L, PState s) {
        int sub = s.reapSubtree;
        resubtree(L, s.proc, child -> sub);
    }

    // ------------------------------------------------------------------ procctl

    private static KLwp self(int pid, String call) {
        KLwp me = SafePoints.curlwp(call);
        if (pid != me.proc.pid) {
            throw new LwpException(Errno.EINVAL, call + ": procctl acts on the caller only");
        }
        return me;
    }

    public static void acquire(int pid) {
        String call = "procctl(P_PID, " + pid + ", PROC_REAP_ACQUIRE)";
        KLwp me = self(pid, call);
        KProc p = me.proc;
        p.kernel.underTree(() -> {
            if (p.ps.ownsReaper()) {
                throw new LwpException(Errno.EALREADY, call);
            }
            // reaper_init: the new node inherits the reference p held on its old node
            p.ps.reaper = new Reaper(p, p.ps.reaper, 1, Reaper.OWNED);
            // Its descendants count as its own (the tree walk finds them): each is in the
            // subtree of the child of p it descends from.
            resubtree(ProcLayer.of(me), p, child -> child);
        });
    }

    public static void release(int pid) {
        String call = "procctl(P_PID, " + pid + ", PROC_REAP_RELEASE)";
        KLwp me = self(pid, call);
        Kernel k = me.kernel;
        k.underTree(() -> {
            PState s = me.proc.ps;
            if (!s.ownsReaper()) {
                throw new LwpException(Errno.ENOTCONN, call);
            }
            if (me.proc == k.init) {
                throw new LwpException(Errno.EINVAL, call + ": init is the root reaper");
            }
            abandon(ProcLayer.of(me), s);
            Reaper r = s.reaper;
            s.reaper = r.parent;
            if (r.parent != null) {
                hold(r.parent);
            }
            r.p = null;
            drop(r);
        });
    }

    /**
     * The process a STATUS, GETPIDS or KILL names (tree lock held): the caller, or another live
     * process it may signal (FreeBSD lets procctl act on a process the caller can see; a child
     * asking for its parent's reaper status is in its suite). ESRCH for no such live process (a
     * zombie has no reaper any more), EPERM across uids unless the caller is uid 0.
     */
    private static KProc target(Kernel k, KProc self, int pid, String call) {
        if (pid == self.pid) {
            return self;
        }
        KProc p = pid > 0 ? k.findProc(pid) : null;
        if (p == null || p.isExiting()) {
            throw new LwpException(Errno.ESRCH, call);
        }
        if (self.uid != 0 && self.uid != p.uid) {
            throw new LwpException(Errno.EPERM, call);
        }
        return p;
    }

    /** The caller's reaper process (tree lock held). */
    private static KProc reaperFor(ProcLayer L, KProc p) {
        PState s = p.ps;
        return s.ownsReaper() ? p : reaperOf(L, s);
    }

    /** A reaper query's answer, computed under the tree lock from the reaper of {@code p}. */
    @FunctionalInterface
    private interface Query<T> {
        T answer(ProcLayer L, Kernel k, KProc p, KProc reaper);
    }

    /** STATUS and GETPIDS: the reaper of the process {@code pid} names, asked under the tree lock. */
    private static <T> T query(int pid, String call, Query<T> q) {
        KLwp me = SafePoints.curlwp(call);
        ProcLayer L = ProcLayer.of(me);
        Kernel k = me.kernel;
        return k.underTree(() -> {
            KProc p = target(k, me.proc, pid, call);
            return q.answer(L, k, p, reaperFor(L, p));
        });
    }

    public static ReaperStatus status(int pid) {
        return query(pid, "procctl(P_PID, " + pid + ", PROC_REAP_STATUS)", (L, k, p, r) -> {
            int flags = (p.ps.ownsReaper() ? ReaperStatus.OWNED : 0)
                    | (r == k.init ? ReaperStatus.REALINIT : 0);
            int first = r.children.isEmpty() ? -1 : r.children.iterator().next().pid;
            int desc = descendants(L, r, false).size();
            return new ReaperStatus(flags, r.children.size(), desc, r.pid, first);
        });
    }

    public static List<ReaperPid> getPids(int pid) {
        return query(pid, "procctl(P_PID, " + pid + ", PROC_REAP_GETPIDS)", (L, k, p, r) -> {
            List<KProc[]> d = descendants(L, r, false);
            List<ReaperPid> out = new ArrayList<>(d.size());
            for (KProc[] e : d) {
                KProc q = e[0];
                int flags = ReaperPid.VALID | (q.parent == r ? ReaperPid.CHILD : 0)
                        | (q.ps.ownsReaper() ? ReaperPid.REAPER : 0)
                        | (q.pstat() >= KProc.SZOMB ? ReaperPid.ZOMBIE : 0);
                out.add(new ReaperPid(q.pid, q.ps.reapSubtree, flags));
            }
            return out;
        });
    }

    public static int kill(int pid, int sig, int flags, int subtree) {
        String call = "procctl(P_PID, " + pid + ", PROC_REAP_KILL, sig=" + sig + ", flags=" + flags
                + ", subtree=" + subtree + ")";
        KLwp me = SafePoints.curlwp(call);
        if (sig <= 0 || sig >= Sig.NSIG || (flags & ~(REAPER_KILL_CHILDREN | REAPER_KILL_SUBTREE)) != 0
                || flags == (REAPER_KILL_CHILDREN | REAPER_KILL_SUBTREE)) {
            throw new LwpException(Errno.EINVAL, call);
        }
        ProcLayer L = ProcLayer.of(me);
        Kernel k = me.kernel;
        KProc p = me.proc;
        List<KProc> targets = new ArrayList<>();
        int refused = 0;
        k.tree.lock();
        try {
            KProc r = reaperFor(L, target(k, p, pid, call));
            for (KProc[] e : descendants(L, r, true)) {
                KProc q = e[0];
                if (q == p || q == k.init || q.isExiting()) {
                    continue;
                }
                if ((flags & REAPER_KILL_CHILDREN) != 0 && q.parent != r) {
                    continue;
                }
                if ((flags & REAPER_KILL_SUBTREE) != 0 && e[2].ps.reapSubtree != subtree) {
                    continue;
                }
                if (p.uid != 0 && q.uid != p.uid) {
                    refused++;
                    continue;
                }
                targets.add(q);
            }
        } finally {
            k.tree.unlock();
        }
        if (targets.isEmpty()) {
            throw new LwpException(refused > 0 ? Errno.EPERM : Errno.ESRCH, call);
        }
        for (KProc q : targets) {
            SignalLayer.psignal(q, sig, Sig.SI_USER, p);
        }
        return targets.size();
    }

    /**
     * The processes below r in the tree as {process, the child of r above it, the process whose
     * recorded subtree it is in}, depth first, oldest child first. The last is the process
     * itself, or for a process below a sub-reaper the sub-reaper (FreeBSD's REAP_KILL matches
     * the subtree on the reaper's own list and takes whatever lies below a match). Unless
     * {@code all}, does not descend below another reaper.
     */
    private static List<KProc[]> descendants(ProcLayer L, KProc r, boolean all) {
        List<KProc[]> out = new ArrayList<>();
        ArrayDeque<KProc[]> stack = new ArrayDeque<>();
        List<KProc> kids = new ArrayList<>(r.children);
        for (int i = kids.size() - 1; i >= 0; i--) {
            stack.push(new KProc[] {kids.get(i), kids.get(i), kids.get(i)});
        }
        while (!stack.isEmpty()) {
            KProc[] e = stack.pop();
            out.add(e);
            KProc q = e[0];
            boolean sub = q.ps.ownsReaper();
            if (!all && sub) {
                continue;
            }
            boolean below = sub || e[2] != q;
            List<KProc> qk = new ArrayList<>(q.children);
            for (int i = qk.size() - 1; i >= 0; i--) {
                stack.push(new KProc[] {qk.get(i), e[1], below ? e[2] : qk.get(i)});
            }
        }
        return out;
    }
}
