package org.lwp4j.proc;


import java.util.ArrayList;
import java.util.List;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.Sig;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.signal.SignalLayer;

/**
 * Process groups, sessions and credentials: DragonFly {@code kern_prot.c}'s setpgid, getpgid,
 * setsid, getsid, setuid, setgid, with {@code enterpgrp} / {@code leavepgrp} behind them.
 */
public final class Groups {
    /*
     * Implementation overview.
     *
     * A group lives while it has members; zombies stay members until they are reaped (DragonFly
     * calls leavepgrp from kern_wait), so a group id stays taken while a zombie holds it, and the
     * pid allocator skips it (ProcLayer's pidInUse). A session lives while it has groups. All
     * under the tree lock; each call takes it once, so a group move is atomic with its checks.
     *
     * setpgid follows POSIX (which DragonFly implements with one difference: DragonFly lets a
     * process move any descendant, POSIX only itself or a child; we follow POSIX): ESRCH when the
     * target is neither the caller nor a live child of it; EPERM when the target is in another
     * session, is a session leader, or the group named does not exist in the caller's session;
     * EINVAL for a negative group id.
     */
    private Groups() {
    }

    /**
     * enterpgrp without checks: move p into group g (tree lock held). The job-control counts
     * follow (fixjobc), and a group the move orphans gets SIGHUP and SIGCONT if a member is
     * stopped.
     */
    static void enter(ProcLayer L, KProc p, PState s, Pgrp g) {
        Pgrp old = s.pgrp;
        if (old == g) {
            return;
        }
        Orphans dropped = new Orphans();
        fixjobc(p, g, true, dropped);
        if (old != null) {
            fixjobc(p, old, false, dropped);
            leave(L, p, s);
        }
        g.members.add(p);
        s.pgrp = g;
        dropped.signal();
    }

    /*
     * Orphaned process groups (POSIX; DragonFly fixjobc / orphanpg). A process qualifies its
     * group when its parent is in another group of the same session: through that parent the
     * session's job control can still reach the group. Pgrp.jobc counts the qualifying members
     * that have not exited; at 0 the group is orphaned, and if one of its members is stopped,
     * nothing could ever continue it, so every member gets SIGHUP and then SIGCONT. The counts
     * change when a process enters or leaves a group (its own qualification, and its
     * children's through it), when it exits, and when a child is reparented (Exit.reparent).
     * Each change costs O(1), or O(children) for the process that moves or exits.
     */

    /** Does a child of {@code parent} qualify group g? (tree lock held) */
    static boolean qualifies(KProc parent, Pgrp g) {
        if (parent == null) {
            return false;
        }
        Pgrp pg = parent.ps.pgrp;
        return pg != null && pg != g && pg.session == g.session;
    }

    /**
     * Count a member of g whose parent is {@code parent} in or out of g, if that parent
     * qualifies it; a count that falls to 0 goes to {@code dropped} (tree lock held).
     */
    static void count(KProc parent, Pgrp g, boolean entering, Orphans dropped) {
        if (qualifies(parent, g)) {
            dropped.adjust(g, entering);
        }
    }

    /**
     * fixjobc: p enters or leaves group g (its parent and children as they are now): count p
     * in or out of g if its parent qualifies it, and each live child in or out of its own group
     * if p, in g, qualifies it (tree lock held).
     */
    static void fixjobc(KProc p, Pgrp g, boolean entering, Orphans dropped) {
        count(p.parent, g, entering, dropped);
        for (KProc c : p.children) {
            if (c.ps.jobcOut) {
                continue; // an exited child was counted out at its exit
            }
            Pgrp cg = c.ps.pgrp;
            if (cg != g && cg.session == g.session) { // p, as if in g, qualifies c's group
                dropped.adjust(cg, entering);
            }
        }
    }

    /** leavepgrp: p leaves its group; an empty group goes, and a session with no group (tree lock held). */
    static void leave(ProcLayer L, KProc p, PState s) {
        Pgrp g = s.pgrp;
        if (g == null) {
            return;
        }
        s.pgrp = null;
        g.members.remove(p);
        if (g.members.isEmpty()) {
            L.pgrps.remove(g.pgid, g);
            Session sess = g.session;
            if (--sess.npgrps == 0) {
                L.sessions.remove(sess.sid, sess);
            }
        }
    }

    private static Pgrp newPgrp(ProcLayer L, int pgid, Session sess) {
        Pgrp g = new Pgrp(pgid, sess);
        L.pgrps.put(pgid, g);
        sess.npgrps++;
        return g;
    }

    public static void setpgid(int pid, int pgid) {
        String call = "setpgid(" + pid + ", " + pgid + ")";
        KLwp me = SafePoints.curlwp(call);
        if (pgid < 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        ProcLayer L = ProcLayer.of(me);
        Kernel k = me.kernel;
        KProc cur = me.proc;
        k.tree.lock();
        try {
            PState cs = cur.ps;
            KProc t = cur;
            if (pid != 0 && pid != cur.pid) {
                t = k.findProc(pid);
                if (t == null || t.parent != cur || t.isExiting()) {
                    throw new LwpException(Errno.ESRCH, call);
                }
                if (t.ps.pgrp.session != cs.pgrp.session) {
                    throw new LwpException(Errno.EPERM, call);
                }
            }
            PState ts = t.ps;
            if (ts.pgrp.session.leader == t) {
                throw new LwpException(Errno.EPERM, call);
            }
            int target = pgid == 0 ? t.pid : pgid;
            Pgrp g = L.pgrps.get(target);
            if (target != t.pid) {
                if (g == null || g.session != cs.pgrp.session) {
                    throw new LwpException(Errno.EPERM, call);
                }
            } else if (g == null) {
                g = newPgrp(L, target, ts.pgrp.session);
            } else if (g.session != ts.pgrp.session) {
                // a group with the target's own id in another session: only a stale id could
                // do this, and pidInUse prevents it; refuse rather than join across sessions
                throw new LwpException(Errno.EPERM, call);
            }
            enter(L, t, ts, g);
        } finally {
            k.tree.unlock();
        }
    }

    public static int getpgid(int pid) {
        String call = "getpgid(" + pid + ")";
        KLwp me = SafePoints.curlwp(call);
        return me.kernel.underTree(() -> lookup(me, pid, call).pgid());
    }

    public static int getsid(int pid) {
        String call = "getsid(" + pid + ")";
        KLwp me = SafePoints.curlwp(call);
        return me.kernel.underTree(() -> lookup(me, pid, call).sid());
    }

    /** pfind for the get calls: 0 is the caller; zombies and unknown pids answer ESRCH. */
    private static KProc lookup(KLwp me, int pid, String call) {
        if (pid == 0) {
            return me.proc;
        }
        KProc p = pid > 0 ? me.kernel.findProc(pid) : null;
        if (p == null || p.pstat() >= KProc.SZOMB) {
            throw new LwpException(Errno.ESRCH, call);
        }
        return p;
    }

    public static int setsid() {
        KLwp me = SafePoints.curlwp("setsid");
        ProcLayer L = ProcLayer.of(me);
        KProc cur = me.proc;
        return me.kernel.underTree(() -> {
            if (L.pgrps.containsKey(cur.pid) || L.sessions.containsKey(cur.pid)) {
                throw new LwpException(Errno.EPERM, "setsid");
            }
            Session sess = new Session(cur.pid, cur);
            L.sessions.put(sess.sid, sess);
            enter(L, cur, cur.ps, newPgrp(L, cur.pid, sess));
            return sess.sid;
        });
    }

    // ------------------------------------------------------------------ credentials

    public static int getuid() {
        return credential("getuid", false);
    }

    public static int getgid() {
        return credential("getgid", true);
    }

    private static int credential(String call, boolean gid) {
        KLwp me = SafePoints.curlwp(call);
        return me.kernel.underTree(() -> gid ? me.proc.gid : me.proc.uid);
    }

    /** setuid: uid 0 may take any uid; others only their own (a no-op). */
    public static void setuid(int uid) {
        setCredential("setuid(" + uid + ")", uid, false);
    }

    /** setgid: uid 0 may take any gid; others only their own (a no-op). */
    public static void setgid(int gid) {
        setCredential("setgid(" + gid + ")", gid, true);
    }

    private static void setCredential(String call, int id, boolean gid) {
        KLwp me = SafePoints.curlwp(call);
        if (id < 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        me.kernel.tree.lock();
        try {
            KProc p = me.proc;
            if (p.uid != 0 && (gid ? p.gid : p.uid) != id) {
                throw new LwpException(Errno.EPERM, call);
            }
            if (gid) {
                p.gid = id;
            } else {
                p.uid = id;
            }
        } finally {
            me.kernel.tree.unlock();
        }
    }
}
