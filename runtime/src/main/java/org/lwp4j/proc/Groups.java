package org.lwp4j.proc;

import static org.lwp4j.proc.ProcLayer.err;

import org.lwp4j.Errno;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;

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

    /** enterpgrp without checks: move p into group g (tree lock held). */
    static void enter(ProcLayer L, KProc p, PState s, Pgrp g) {
        if (s.pgrp == g) {
            return;
        }
        if (s.pgrp != null) {
            leave(L, p, s);
        }
        g.members.add(p);
        s.pgrp = g;
        p.pgid = g.pgid;
        p.sid = g.session.sid;
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
        KLwp me = Kernel.curlwp(call);
        if (pgid < 0) {
            throw err(Errno.EINVAL, call);
        }
        ProcLayer L = ProcLayer.of(me);
        Kernel k = me.kernel;
        KProc cur = me.proc;
        k.tree.lock();
        try {
            PState cs = L.st(cur);
            KProc t = cur;
            if (pid != 0 && pid != cur.pid) {
                t = k.findProc(pid);
                if (t == null || t.parent != cur || t.isExiting()) {
                    throw err(Errno.ESRCH, call);
                }
                if (L.st(t).pgrp.session != cs.pgrp.session) {
                    throw err(Errno.EPERM, call);
                }
            }
            PState ts = L.st(t);
            if (ts.pgrp.session.leader == t) {
                throw err(Errno.EPERM, call);
            }
            int target = pgid == 0 ? t.pid : pgid;
            Pgrp g = L.pgrps.get(target);
            if (target != t.pid) {
                if (g == null || g.session != cs.pgrp.session) {
                    throw err(Errno.EPERM, call);
                }
            } else if (g == null) {
                g = newPgrp(L, target, ts.pgrp.session);
            } else if (g.session != ts.pgrp.session) {
                // a group with the target's own id in another session: only a stale id could
                // do this, and pidInUse prevents it; refuse rather than join across sessions
                throw err(Errno.EPERM, call);
            }
            enter(L, t, ts, g);
        } finally {
            k.tree.unlock();
        }
    }

    public static int getpgid(int pid) {
        String call = "getpgid(" + pid + ")";
        KLwp me = Kernel.curlwp(call);
        Kernel k = me.kernel;
        k.tree.lock();
        try {
            return lookup(me, pid, call).pgid;
        } finally {
            k.tree.unlock();
        }
    }

    public static int getsid(int pid) {
        String call = "getsid(" + pid + ")";
        KLwp me = Kernel.curlwp(call);
        Kernel k = me.kernel;
        k.tree.lock();
        try {
            return lookup(me, pid, call).sid;
        } finally {
            k.tree.unlock();
        }
    }

    /** pfind for the get calls: 0 is the caller; zombies and unknown pids answer ESRCH. */
    private static KProc lookup(KLwp me, int pid, String call) {
        if (pid == 0) {
            return me.proc;
        }
        KProc p = pid > 0 ? me.kernel.findProc(pid) : null;
        if (p == null || p.pstat() >= KProc.SZOMB) {
            throw err(Errno.ESRCH, call);
        }
        ProcLayer.of(me).st(p);
        return p;
    }

    public static int setsid() {
        String call = "setsid";
        KLwp me = Kernel.curlwp(call);
        ProcLayer L = ProcLayer.of(me);
        Kernel k = me.kernel;
        KProc cur = me.proc;
        k.tree.lock();
        try {
            PState s = L.st(cur);
            if (L.pgrps.containsKey(cur.pid) || L.sessions.containsKey(cur.pid)) {
                throw err(Errno.EPERM, call);
            }
            Session sess = new Session(cur.pid, cur);
            L.sessions.put(sess.sid, sess);
            enter(L, cur, s, newPgrp(L, cur.pid, sess));
            return sess.sid;
        } finally {
            k.tree.unlock();
        }
    }

    // ------------------------------------------------------------------ credentials

    public static int getuid() {
        KLwp me = Kernel.curlwp("getuid");
        me.kernel.tree.lock();
        try {
            return me.proc.uid;
        } finally {
            me.kernel.tree.unlock();
        }
    }

    public static int getgid() {
        KLwp me = Kernel.curlwp("getgid");
        me.kernel.tree.lock();
        try {
            return me.proc.gid;
        } finally {
            me.kernel.tree.unlock();
        }
    }

    /** setuid: uid 0 may take any uid; others only their own (a no-op). */
    public static void setuid(int uid) {
        String call = "setuid(" + uid + ")";
        KLwp me = Kernel.curlwp(call);
        if (uid < 0) {
            throw err(Errno.EINVAL, call);
        }
        me.kernel.tree.lock();
        try {
            KProc p = me.proc;
            if (p.uid != 0 && p.uid != uid) {
                throw err(Errno.EPERM, call);
            }
            p.uid = uid;
        } finally {
            me.kernel.tree.unlock();
        }
    }

    /** setgid: uid 0 may take any gid; others only their own (a no-op). */
    public static void setgid(int gid) {
        String call = "setgid(" + gid + ")";
        KLwp me = Kernel.curlwp(call);
        if (gid < 0) {
            throw err(Errno.EINVAL, call);
        }
        me.kernel.tree.lock();
        try {
            KProc p = me.proc;
            if (p.uid != 0 && p.gid != gid) {
                throw err(Errno.EPERM, call);
            }
            p.gid = gid;
        } finally {
            me.kernel.tree.unlock();
        }
    }
}
