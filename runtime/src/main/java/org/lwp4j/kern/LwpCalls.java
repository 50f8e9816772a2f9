package org.lwp4j.kern;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.sleep.Waiter;

/**
 * NetBSD's {@code sys_lwp.c}: the {@code _lwp_*} calls, acting on the caller's process only.
 */
public final class LwpCalls {
    /*
     * Every call starts with curlwp(), which is a safe point. Lookups of a target use
     * KProc.find (NetBSD lwp_find): the caller's own process only, zombies excluded, so an LWP of
     * another process, an unknown id or a zombie all answer ESRCH.
     *
     * The waits here (_lwp_wait, _lwp_suspend) are NetBSD's cv_wait_sig on p_lwpcv: kernel
     * waits in the sleep table on (process, CH_LWP) with p.lock released while asleep; every
     * change they may be waiting for broadcasts CH_LWP under p.lock. A safe-point request
     * while waiting is acted on with p.lock released, then the wait goes on; a wakeup or a
     * Thread.interrupt ends it with EINTR.
     */
    public static final int LWP_DETACHED = 0x40, LWP_SUSPENDED = 0x80;
    public static final int UNPARK_MAX = 1024;
    public static final int MAXCOMLEN = 16;

    private LwpCalls() {
    }

    private static LwpException err(Errno e, String call) {
        return new LwpException(e, call);
    }

    /**
     * An error found with p.lock held, possibly after sleeping: if the caller's process began
     * exiting meanwhile (or the caller was killed), unwind with LwpExit instead. NetBSD returns
     * the error too, but the LWP exits at userret before user code can see it.
     */
    private static LwpException unlessExiting(KLwp me, LwpException e) {
        if ((me.ast & (KLwp.AST_EXIT | KLwp.AST_KILL)) != 0) {
            me.kernel.safePointUnlocked(me, me.proc.lock);
        }
        return e;
    }

    public static int create(Runnable body, int flags) {
        Objects.requireNonNull(body, "body");
        String call = "_lwp_create(flags=0x" + Integer.toHexString(flags) + ")";
        KLwp me = Kernel.curlwp(call);
        if ((flags & ~(LWP_DETACHED | LWP_SUSPENDED)) != 0) {
            throw err(Errno.EINVAL, call);
        }
        KProc p = me.proc;
        KLwp l;
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                // exit1 or close has begun: its kill round may be over, so an LWP made now
                // would never be told to exit. The caller was told: it unwinds here.
                throw unlessExiting(me, err(Errno.EAGAIN, call));
            }
            l = me.kernel.newLwp(p, body, (flags & LWP_DETACHED) != 0, (flags & LWP_SUSPENDED) != 0,
                    null, call);
        } finally {
            p.lock.unlock();
        }
        me.kernel.startLwp(l, flags, call);
        return l.lid;
    }

    public static int self() {
        return Kernel.curlwp("_lwp_self").lid;
    }

    public static void checkpoint() {
        Kernel.curlwp("checkpoint");
    }

    public static Object getPrivate() {
        return Kernel.curlwp("_lwp_getprivate").priv;
    }

    public static void setPrivate(Object value) {
        Kernel.curlwp("_lwp_setprivate").priv = value;
    }

    private static KLwp target(KLwp me, int lid, String call) {
        if (lid == 0 || lid == me.lid) {
            return me;
        }
        KLwp t = me.proc.find(lid);
        if (t == null) {
            throw err(Errno.ESRCH, call);
        }
        return t;
    }

    public static void setName(int lid, String name) {
        Objects.requireNonNull(name, "name");
        String call = "_lwp_setname(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KLwp t = target(me, lid, call);
        String kept = truncate(name);
        t.name = kept;
        if (!t.attachedThread) {
            t.thread.setName(t.threadName());
        }
    }

    /** Keep MAXCOMLEN - 1 = 15 characters, without splitting a surrogate pair. */
    static String truncate(String name) {
        if (name.length() <= MAXCOMLEN - 1) {
            return new String(name);
        }
        int end = MAXCOMLEN - 1;
        if (Character.isHighSurrogate(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end);
    }

    public static String getName(int lid) {
        String call = "_lwp_getname(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        return target(me, lid, call).name;
    }

    /** The control block of an LWP of the caller's process (0 = self). */
    public static KLwp ctl(int lid) {
        String call = "_lwp_ctl(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        return target(me, lid, call);
    }

    /** LWPs that are running (not suspended, stopped or dead): NetBSD p_nrlwps. Under p.lock. */
    private static int running(KProc p) {
        int n = 0;
        for (KLwp l : p.lwps.values()) {
            int s = l.stat;
            if (s == KLwp.LSRUN || s == KLwp.LSIDL) {
                n++;
            }
        }
        return n;
    }

    public static void suspend(int lid) {
        String call = "_lwp_suspend(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KProc p = me.proc;
        Kernel k = me.kernel;
        p.lock.lock();
        try {
            KLwp t = p.find(lid);
            if (t == null) {
                throw err(Errno.ESRCH, call);
            }
            if ((t == me && running(p) == 1) || p.pstat != KProc.SACTIVE) {
                throw unlessExiting(me, err(Errno.EDEADLK, call));
            }
            if (t == me) {
                me.post(KLwp.AST_SUSPEND);
                k.safePointUnlocked(me, p.lock);
                return;
            }
            if (t.stat == KLwp.LSSUSPENDED) {
                return;
            }
            t.post(KLwp.AST_SUSPEND);
            for (;;) {
                ParkResult r = k.sleep.cvWait(me, p, p.pid, KProc.CH_LWP, p.lock, true, false, 0);
                if (r == ParkResult.INTERRUPTED) {
                    if (me.ast != 0) {
                        k.safePointUnlocked(me, p.lock);
                    } else {
                        if (t.stat != KLwp.LSSUSPENDED) {
                            t.clearAst(KLwp.AST_SUSPEND);
                        }
                        throw err(Errno.EINTR, call);
                    }
                }
                if (p.find(lid) != t) {
                    throw unlessExiting(me, err(Errno.ESRCH, call));
                }
                if (p.pstat != KProc.SACTIVE) {
                    throw unlessExiting(me, err(Errno.EDEADLK, call));
                }
                if (t.stat == KLwp.LSSUSPENDED || (t.ast & KLwp.AST_SUSPEND) == 0) {
                    return;
                }
            }
        } finally {
            p.lock.unlock();
        }
    }

    public static void resume(int lid) {
        String call = "_lwp_continue(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KProc p = me.proc;
        p.lock.lock();
        try {
            KLwp t = p.find(lid);
            if (t == null) {
                throw err(Errno.ESRCH, call);
            }
            if ((t.ast & KLwp.AST_SUSPEND) != 0) {
                t.clearAst(KLwp.AST_SUSPEND);
                // NetBSD lwp_continue makes the LWP runnable at once (p_nrlwps counts it again),
                // not when its thread gets round to it: _lwp_wait's deadlock check and a
                // self-suspend's "only running LWP" check read stat right after this call.
                if (t.stat == KLwp.LSSUSPENDED && (t.ast & KLwp.AST_STOP) == 0) {
                    t.setStat(KLwp.LSRUN);
                    p.broadcast(KProc.CH_LWP);
                }
                p.broadcast(KProc.CH_SUSPEND);
            }
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * NetBSD lwp_wait1, with the deadlock check extended from "the target waits for me" to any
     * cycle of waiters (t1 -> t2 -> t3 -> t1), which NetBSD's comment leaves out. As NetBSD's
     * lwp_free, it returns once the zombie is off its CPU (Kernel.waitOffCpu: bounded, best effort).
     */
    public static int waitFor(int lid) {
        KLwp t = collectZombie(lid);
        t.kernel.waitOffCpu(t);
        return t.lid;
    }

    /** _lwp_wait up to taking the zombie out of the table; answers it. */
    private static KLwp collectZombie(int lid) {
        String call = "_lwp_wait(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KProc p = me.proc;
        Kernel k = me.kernel;
        KLwp marked = null; // the target this call claimed (waiter), to release on the way out
        p.lock.lock();
        p.nlwpwait++;
        me.waitingFor = lid;
        try {
            for (;;) {
                int nfound = 0;
                if (lid != 0) {
                    KLwp t = p.lwps.get(lid);
                    if (t == null || t.stat == KLwp.LSDEAD || t.stat == KLwp.LSIDL) {
                        throw unlessExiting(me, err(Errno.ESRCH, call));
                    }
                    if (t.detached) { // before the cycle check, as NetBSD's lwp_wait: a detached self is EINVAL
                        throw unlessExiting(me, err(Errno.EINVAL, call));
                    }
                    if (t == me || waitsForMe(p, t, me)) {
                        throw unlessExiting(me, err(Errno.EDEADLK, call));
                    }
                    if (t.waiter == 0) {
                        t.waiter = me.lid;
                        marked = t;
                    }
                    if (t.stat == KLwp.LSZOMB) {
                        return collect(p, t);
                    }
                    nfound = 1;
                } else {
                    for (KLwp t : p.lwps.values()) {
                        if (t == me || t.detached || t.stat == KLwp.LSDEAD) {
                            continue;
                        }
                        nfound++;
                        if (t.waiter != 0 && t.waiter != me.lid) {
                            continue;
                        }
                        if (t.stat == KLwp.LSZOMB) {
                            return collect(p, t);
                        }
                    }
                    if (nfound == 0) {
                        throw unlessExiting(me, err(Errno.ESRCH, call));
                    }
                }
                if (p.pstat != KProc.SACTIVE || deadlocked(p)) {
                    throw unlessExiting(me, err(Errno.EDEADLK, call));
                }
                ParkResult r = k.sleep.cvWait(me, p, p.pid, KProc.CH_LWP, p.lock, true, false, 0);
                if (r == ParkResult.INTERRUPTED) {
                    SigIntr.afterInterrupt(me, p.lock, call); // EINTR after a handler, unless SA_RESTART
                }
            }
        } finally {
            p.nlwpwait--;
            me.waitingFor = 0;
            if (marked != null && marked.waiter == me.lid) {
                marked.waiter = 0;
            }
            p.lock.unlock();
            // Other waiters re-check (a target collected, a claim released, one waiter fewer),
            // woken after the unlock so that they do not wake only to block on p.lock.
            p.broadcast(KProc.CH_LWP);
        }
    }

    /** Does t wait, directly or through a chain of waiters, for me? (under p.lock) */
    private static boolean waitsForMe(KProc p, KLwp t, KLwp me) {
        KLwp x = t;
        for (int steps = p.lwps.size(); steps > 0 && x != null; steps--) {
            int w = x.waitingFor;
            if (w == 0) {
                return false;
            }
            if (w == me.lid) {
                return true;
            }
            x = p.lwps.get(w);
        }
        return false;
    }

    /**
     * NetBSD: if the LWPs that may still produce a zombie to collect (running or zombie, not
     * detached) are no more than the waiters, everyone would wait forever.
     */
    private static boolean deadlocked(KProc p) {
        return p.nwaitable <= p.nlwpwait;
    }

    private static KLwp collect(KProc p, KLwp t) {
        t.setStat(KLwp.LSDEAD);
        p.lwps.remove(t.lid, t);
        return t;
    }

    public static void detach(int lid) {
        String call = "_lwp_detach(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KProc p = me.proc;
        p.lock.lock();
        try {
            KLwp t = p.lwps.get(lid);
            if (t == null || t.stat == KLwp.LSDEAD) {
                throw err(Errno.ESRCH, call);
            }
            if (t.detached) {
                throw err(Errno.EINVAL, call);
            }
            t.detached = true;
            t.recount();
            if (t.stat == KLwp.LSZOMB) {
                collect(p, t);
            }
            p.broadcast(KProc.CH_LWP);
        } finally {
            p.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ sleep table calls

    public static ParkResult park(boolean timed, long deadline, int unparkLid, Object hint, Object unparkHint) {
        KLwp me = Kernel.curlwp("_lwp_park");
        KProc p = me.proc;
        if (unparkLid != 0) {
            KLwp t = p.find(unparkLid);
            if (t == null) {
                throw err(Errno.ESRCH, "_lwp_park(unpark=" + unparkLid + ")");
            }
            t.unpark();
        }
        ParkResult r = Events.PARK.isEnabled()
                ? parkRecorded(me, p, hint, timed, deadline)
                : me.kernel.sleep.park(me, p, p.pid, hint, timed, deadline);
        if (r == ParkResult.INTERRUPTED && me.ast != 0) {
            me.kernel.userret(me);
        }
        return r;
    }

    /** park with a JFR event around it; only taken while a recording enables the event. */
    private static ParkResult parkRecorded(KLwp me, KProc p, Object hint, boolean timed, long deadline) {
        Events.Park ev = new Events.Park();
        ev.begin();
        ParkResult r = me.kernel.sleep.park(me, p, p.pid, hint, timed, deadline);
        ev.end();
        if (ev.shouldCommit()) {
            ev.pid = p.pid;
            ev.lid = me.lid;
            ev.hint = String.valueOf(hint);
            ev.outcome = r.name();
            ev.commit();
        }
        return r;
    }

    public static void unpark(int lid, Object hint) {
        KLwp me = Kernel.curlwp("_lwp_unpark");
        KLwp t = me.proc.find(lid);
        if (t == null) {
            throw err(Errno.ESRCH, "_lwp_unpark(" + lid + ")");
        }
        t.unpark();
    }

    /** Unpark each of lids[0..n); ids that do not exist are skipped. Answers how many existed. */
    public static int unparkAll(int[] lids, int n, Object hint) {
        KLwp me = Kernel.curlwp("_lwp_unpark_all");
        if (lids == null) {
            return UNPARK_MAX;
        }
        if (n <= 0 || n > UNPARK_MAX || n > lids.length) {
            throw err(Errno.EINVAL, "_lwp_unpark_all(ntargets=" + n + ")");
        }
        KProc p = me.proc;
        Events.Unpark ev = new Events.Unpark();
        ev.begin();
        int found = 0;
        for (int i = 0; i < n; i++) {
            KLwp t = p.find(lids[i]);
            if (t != null) {
                t.unpark();
                found++;
            }
        }
        ev.end();
        if (ev.shouldCommit()) {
            ev.pid = p.pid;
            ev.targets = n;
            ev.commit();
        }
        return found;
    }

    public static void wakeup(int lid) {
        String call = "_lwp_wakeup(" + lid + ")";
        KLwp me = Kernel.curlwp(call);
        KProc p = me.proc;
        p.lock.lock();
        try {
            KLwp t = p.find(lid);
            if (t == null) {
                throw err(Errno.ESRCH, call);
            }
            int r;
            if (t.stat != KLwp.LSRUN) {
                r = Waiter.WAKEUP_NOT_SLEEPING;
                t.wakeupMarksOnly();
            } else {
                r = t.wakeup();
            }
            if (r == Waiter.WAKEUP_NOT_SLEEPING) {
                throw err(Errno.ENODEV, call);
            }
            if (r == Waiter.WAKEUP_UNINTERRUPTIBLE) {
                throw err(Errno.EBUSY, call);
            }
        } finally {
            p.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ parking lot

    public static ParkResult lotWait(Object hint, BooleanSupplier validate, boolean timed, long deadline,
                                     boolean interruptible) {
        Objects.requireNonNull(validate, "validate");
        KLwp me = Kernel.curlwp("parkinglot_wait");
        KProc p = me.proc;
        ParkResult r = me.kernel.sleep.lotWait(me, p, p.pid, hint, validate, timed, deadline, interruptible);
        if (r == ParkResult.INTERRUPTED && me.ast != 0) {
            me.kernel.userret(me);
        }
        return r;
    }

    public static int lotWake(Object hint, int n) {
        KLwp me = Kernel.curlwp("parkinglot_wake");
        if (n < 0) {
            throw err(Errno.EINVAL, "parkinglot_wake(n=" + n + ")");
        }
        return me.kernel.sleep.wake(me.proc, me.proc.pid, hint, n);
    }

    public static long lotRequeue(Object from, Object to, int nWake, int nMove) {
        KLwp me = Kernel.curlwp("parkinglot_requeue");
        if (nWake < 0 || nMove < 0) {
            throw err(Errno.EINVAL, "parkinglot_requeue(nWake=" + nWake + ", nMove=" + nMove + ")");
        }
        return me.kernel.sleep.requeue(me.proc, me.proc.pid, from, to, nWake, nMove);
    }
}
