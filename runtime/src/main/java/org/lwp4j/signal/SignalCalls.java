package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.Disposition;
import org.lwp4j.SigInfo;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;

/**
 * The signal calls: {@code kill}, {@code killpg}, {@code _lwp_kill}, {@code sigaction},
 * {@code sigprocmask}, {@code sigpending}.
 */
public final class SignalCalls {
    /*
     * Every call starts with curlwp(), a safe point. The sending calls hold the tree lock (the
     * process table, uids, groups) for the whole walk and each target's lock while posting
     * (NetBSD takes proc_lock, then p_lock, in kill and _lwp_kill); a parent told of a stop or
     * continue is told after its child's lock is released. A sender that signalled its own
     * process runs its safe point before returning, so a signal it can take itself is
     * delivered before the call returns, as POSIX asks of kill().
     *
     * Group and broadcast sends follow FreeBSD's killpg1: a group with members none of which
     * the caller may signal answers EPERM, an empty group ESRCH; kill(-1) skips, silently, init,
     * the caller's own process, zombies and processes it may not signal, and answers ESRCH if
     * nothing was left.
     */

    private SignalCalls() {
    }

    /** Enter a signal-sending call (a safe point) with signal number {@code sig}: EINVAL unless 0..NSIG-1. */
    private static KLwp enter(String call, int sig) {
        KLwp me = SafePoints.curlwp(call);
        if (sig < 0 || sig >= NSIG) {
            throw new LwpException(Errno.EINVAL, call);
        }
        return me;
    }

    /** BSD p_cansignal, with one uid per process: same uid, root, or SIGCONT in the session. */
    static boolean canSignal(KProc from, KProc to, int sig) {
        return from.uid == 0 || from.uid == to.uid
                || (sig == SIGCONT && from.sid() != 0 && from.sid() == to.sid());
    }

    private static boolean gone(KProc p) {
        return p == null || p.pstat() == KProc.SDEAD;
    }

    public static void kill(int pid, int sig) {
        String call = "kill(" + pid + ", " + sig + ")";
        KLwp me = enter(call, sig);
        Kernel k = me.kernel;
        KProc self = me.proc;
        k.tree.lock();
        try {
            SigInfo info = new SigInfo(sig, SI_USER, self.pid, self.uid);
            if (pid > 0) {
                KProc p = k.findProc(pid);
                if (gone(p)) {
                    throw new LwpException(Errno.ESRCH, call);
                }
                if (!canSignal(self, p, sig)) {
                    throw new LwpException(Errno.EPERM, call);
                }
                send(k, p, sig, info, false);
            } else if (pid == -1) {
                int n = 0;
                for (KProc p : k.procList()) {
                    if (p == k.init || p == self || p.pstat() == KProc.SZOMB || gone(p)
                            || !canSignal(self, p, sig)) {
                        continue;
                    }
                    n++;
                    send(k, p, sig, info, true);
                }
                if (n == 0) {
                    throw new LwpException(Errno.ESRCH, call);
                }
            } else {
                group(k, self, pid == 0 ? self.pgid() : -pid, sig, info, call);
            }
        } finally {
            k.tree.unlock();
        }
        afterSend(me);
    }

    public static void killpg(int pgid, int sig) {
        String call = "killpg(" + pgid + ", " + sig + ")";
        KLwp me = enter(call, sig);
        if (pgid < 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        if (pgid == 1) {
            throw new LwpException(Errno.ESRCH, call); // BSD libc: never the group of init
        }
        Kernel k = me.kernel;
        KProc self = me.proc;
        k.tree.lock();
        try {
            group(k, self, pgid == 0 ? self.pgid() : pgid, sig, new SigInfo(sig, SI_USER, self.pid, self.uid), call);
        } finally {
            k.tree.unlock();
        }
        afterSend(me);
    }

    /** Every process of group {@code pgid}, init excepted (tree lock held). */
    private static void group(Kernel k, KProc self, int pgid, int sig, SigInfo info, String call) {
        boolean any = false, allowed = false;
        for (KProc p : k.procList()) {
            if (p.pgid() != pgid || p == k.init || gone(p)) {
                continue;
            }
            any = true;
            if (canSignal(self, p, sig)) {
                allowed = true;
                send(k, p, sig, info, true);
            }
        }
        if (!any) {
            throw new LwpException(Errno.ESRCH, call);
        }
        if (!allowed) {
            throw new LwpException(Errno.EPERM, call);
        }
    }

    /** Post to one process (tree lock held); signal 0 posts nothing. */
    private static void send(Kernel k, KProc p, int sig, SigInfo info, boolean group) {
        if (sig != 0) {
            SignalLayer.send(k, p, sig, info, null, group);
        }
    }

    /** A safe point on the way out: what the caller sent itself is delivered now. */
    private static void afterSend(KLwp me) {
        SafePoints.curlwp("signal delivery");
    }

    public static void lwpKill(int lid, int sig) {
        String call = "_lwp_kill(" + lid + ", " + sig + ")";
        KLwp me = enter(call, sig);
        Kernel k = me.kernel;
        KProc p = me.proc;
        k.underTree(() -> {
            int tell = 0;
            p.lock.lock();
            try {
                KLwp t = p.findOrEsrch(lid, call);
                if (sig != 0) {
                    tell = SignalLayer.post(k, p, sig, new SigInfo(sig, SI_LWP, p.pid, p.uid), t, false);
                }
            } finally {
                p.lock.unlock();
            }
            SignalLayer.tellParent(k, p, tell);
        });
        afterSend(me);
    }

    /** sigaction; {@code d == null} only queries. */
    public static Disposition sigaction(int sig, Disposition d) {
        String call = "sigaction(" + sig + ")";
        KLwp me = SafePoints.curlwp(call);
        if (!SigSet.valid(sig)) {
            throw new LwpException(Errno.EINVAL, call);
        }
        KProc p = me.proc;
        SigActs acts = p.underLock(() -> p.sig.acts);
        if (d == null) {
            return acts.get(sig);
        }
        if ((SigSet.has(SigSet.CANTMASK, sig) && d.kind() != Disposition.Kind.DEFAULT)
                || (d.flags() & ~SigSet.SA_KNOWN) != 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        Disposition old = acts.set(sig, d);
        boolean discards = d.kind() == Disposition.Kind.IGNORE
                || (d.kind() == Disposition.Kind.DEFAULT && SigSet.has(SigSet.DFL_IGNORE, sig));
        if (discards) {
            for (KProc q : acts.sharers()) {
                q.lock.lock();
                try {
                    SignalLayer.discard(q, q.sig, SigSet.bit(sig));
                } finally {
                    q.lock.unlock();
                }
            }
        }
        return old;
    }

    public static long sigprocmask(int how, long set) {
        String call = "sigprocmask(" + how + ")";
        KLwp me = SafePoints.curlwp(call);
        KProc p = me.proc;
        ProcSig ps = p.sig;
        long old;
        p.lock.lock();
        try {
            old = me.sigmask;
            long n;
            switch (how) {
                case SIG_BLOCK:
                    n = old | set;
                    break;
                case SIG_UNBLOCK:
                    n = old & ~set;
                    break;
                case SIG_SETMASK:
                    n = set;
                    break;
                default:
                    throw new LwpException(Errno.EINVAL, call);
            }
            n &= SigSet.ALL & ~SigSet.CANTMASK;
            me.sigmask = n;
            if (((me.sigpending | ps.pending) & ~n) != 0) {
                me.post(KLwp.AST_SIGNAL);
            }
            SignalLayer.redirect(p, ps, n & ~old, me);
        } finally {
            p.lock.unlock();
        }
        afterSend(me);
        return old;
    }

    public static long sigpending() {
        KLwp me = SafePoints.curlwp("sigpending");
        KProc p = me.proc;
        ProcSig ps = p.sig;
        p.lock.lock();
        try {
            return (me.sigpending | ps.pending) & me.sigmask;
        } finally {
            p.lock.unlock();
        }
    }
}
