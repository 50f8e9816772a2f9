package org.lwp4j.kern;

import java.util.Objects;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
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
    public static final int MAXCOMLEN = 16;

    private LwpCalls() {
    }

    /**
     * An error found with p.lock held, possibly after sleeping: if the caller's process began
     * exiting meanwhile (or the caller was killed), unwind with LwpExit instead. NetBSD returns
     * the error too, but the LWP exits at userret before user code can see it.
     */
    private static LwpException unlessExiting(KLwp me, LwpException e) {
        if ((me.ast & (KLwp.AST_EXIT | KLwp.AST_KILL)) != 0) {
            SafePoints.userretHoldingOwnLock(me);
        }
        return e;
    }

    /** An {@code _lwp_*} call's work on one LWP of the caller's process, run under p.lock. */
    @FunctionalInterface
    interface OnLwp {
        int apply(KLwp me, KProc p, KLwp t);
    }

    /**
     * The common frame of the calls that act on a sibling: enter (a safe point), take p.lock,
     * find LWP {@code lid} (ESRCH if there is none; a zombie only with {@code zombies}), run
     * {@code op}, release p.lock.
     */
    static int onLwp(String call, int lid, boolean zombies, OnLwp op) {
        KLwp me = SafePoints.curlwp(call);
        KProc p = me.proc;
        p.lock.lock();
        try {
            KLwp t = zombies ? p.lwps.get(lid) : p.find(lid);
            if (t == null || t.stat == KLwp.LSDEAD) {
                throw new LwpException(Errno.ESRCH, call);
            }
            return op.apply(me, p, t);
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * The names of _lwp_create calls with valid flags, for their errors: made once, so that a
     * create allocates no string (a create with other flags builds its name to refuse it).
     */
    private static final String[] CREATE_CALLS = new String[(LWP_DETACHED | LWP_SUSPENDED) + 1];

    static {
        for (int f = 0; f < CREATE_CALLS.length; f++) {
            CREATE_CALLS[f] = createCall(f);
        }
    }

    private static String createCall(int flags) {
        return "_lwp_create(flags=0x" + Integer.toHexString(flags) + ")";
    }

    public static int create(Runnable body, int flags) {
        Objects.requireNonNull(body, "body");
        String call = flags >= 0 && flags < CREATE_CALLS.length ? CREATE_CALLS[flags] : createCall(flags);
        KLwp me = SafePoints.curlwp(call);
        if ((flags & ~(LWP_DETACHED | LWP_SUSPENDED)) != 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        KProc p = me.proc;
        KLwp l;
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                // exit1 or close has begun: its kill round may be over, so an LWP made now
                // would never be told to exit. The caller was told: it unwinds here.
                throw unlessExiting(me, new LwpException(Errno.EAGAIN, call));
            }
            l = me.kernel.lifecycle.newLwp(p, body, (flags & LWP_DETACHED) != 0, (flags & LWP_SUSPENDED) != 0,
                    null, call);
        } finally {
            p.lock.unlock();
        }
        me.kernel.lifecycle.startLwp(l, flags, call);
        return l.lid;
    }

    /** _lwp_exit: the error that unwinds the calling LWP (the caller throws it). */
    public static LwpExit exit() {
        KLwp me = SafePoints.curlwp("_lwp_exit");
        // exitUnwind also ends the LWP of an attached thread, which no lwpMain will dispose of.
        return me.kernel.safePoints.exitUnwind(me, "called _lwp_exit");
    }

    public static int self() {
        return SafePoints.curlwp("_lwp_self").lid;
    }

    public static void checkpoint() {
        SafePoints.curlwp("checkpoint");
    }

    public static Object getPrivate() {
        return SafePoints.curlwp("_lwp_getprivate").priv;
    }

    public static void setPrivate(Object value) {
        SafePoints.curlwp("_lwp_setprivate").priv = value;
    }

    private static KLwp target(KLwp me, int lid, String call) {
        if (lid == 0 || lid == me.lid) {
            return me;
        }
        KLwp t = me.proc.find(lid);
        if (t == null) {
            throw new LwpException(Errno.ESRCH, call);
        }
        return t;
    }

    public static void setName(int lid, String name) {
        Objects.requireNonNull(name, "name");
        String call = "_lwp_setname(" + lid + ")";
        KLwp me = SafePoints.curlwp(call);
        KLwp t = target(me, lid, call);
        String kept = truncate(name);
        t.name = kept;
        if (t.attachedThread) {
            if (t.carriesName()) {
                t.thread.setName(t.threadName());
            }
        } else if (t.thread instanceof LwpThread) {
            // Not by t.thread.setName: the thread may have moved on to another LWP (the LWP
            // cache); rename acts only while it still runs t.
            ((LwpThread) t.thread).rename(t);
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
        KLwp me = SafePoints.curlwp(call);
        return target(me, lid, call).name;
    }

    /** The control block of an LWP of the caller's process (0 = self). */
    public static KLwp ctl(int lid) {
        String call = "_lwp_ctl(" + lid + ")";
        KLwp me = SafePoints.curlwp(call);
        return target(me, lid, call);
    }

    /** LWPs that are running (not suspended, stopped or dead): NetBSD p_nrlwps. Under p.lock. */
    private static int running(KProc p) {
        int n = 0;
        Object[] s = p.lwps.slots();
        for (int i = 0; i < s.length; i++) {
            KLwp l = LidTable.at(s, i);
            int st = l == null ? KLwp.LSDEAD : l.stat; // an empty slot: no LWP, not running
            if (st == KLwp.LSRUN || st == KLwp.LSIDL) {
                n++;
            }
        }
        return n;
    }

    public static void suspend(int lid) {
        suspendSleeping(lid);
        SafePoints.returning(SafePoints.current()); // the return is a safe point too (userret)
    }

    private static void suspendSleeping(int lid) {
        String call = "_lwp_suspend(" + lid + ")";
        onLwp(call, lid, false, (me, p, t) -> {
            if ((t == me && running(p) == 1) || p.pstat != KProc.SACTIVE) {
                throw unlessExiting(me, new LwpException(Errno.EDEADLK, call));
            }
            if (t == me) {
                me.post(KLwp.AST_SUSPEND);
                SafePoints.userretHoldingOwnLock(me);
                return 0;
            }
            if (t.stat == KLwp.LSSUSPENDED) {
                return 0;
            }
            t.post(KLwp.AST_SUSPEND);
            for (;;) {
                ParkResult r = p.cvWaitInterruptibly(me, KProc.CH_LWP, p.lock);
                if (r == ParkResult.INTERRUPTED) {
                    if (me.ast != 0) {
                        SafePoints.userretHoldingOwnLock(me);
                    } else {
                        if (t.stat != KLwp.LSSUSPENDED) {
                            t.clearAst(KLwp.AST_SUSPEND);
                        }
                        throw new LwpException(Errno.EINTR, call);
                    }
                }
                if (p.find(lid) != t) {
                    throw unlessExiting(me, new LwpException(Errno.ESRCH, call));
                }
                if (p.pstat != KProc.SACTIVE) {
                    throw unlessExiting(me, new LwpException(Errno.EDEADLK, call));
                }
                if (t.stat == KLwp.LSSUSPENDED || (t.ast & KLwp.AST_SUSPEND) == 0) {
                    return 0;
                }
            }
        });
    }

    public static void resume(int lid) {
        onLwp("_lwp_continue(" + lid + ")", lid, false, (me, p, t) -> {
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
            return 0;
        });
    }

    /**
     * NetBSD lwp_wait1, with the deadlock check extended from "the target waits for me" to any
     * cycle of waiters (t1 -> t2 -> t3 -> t1), which NetBSD's comment leaves out. As NetBSD's
     * lwp_free, it returns once the zombie is off its CPU (Kernel.waitOffCpu: bounded, best effort).
     */
    public static int waitFor(int lid) {
        int r = waitForSleeping(lid, false, 0);
        SafePoints.returning(SafePoints.current()); // the return is a safe point too (userret)
        return r;
    }

    /**
     * Timed {@code _lwp_wait}: as {@link #waitFor(int)}, but answers 0 ("not yet") when
     * {@code timeoutNanos} pass first (at once, after one look, for 0 or less).
     *
     * @param lid          the LWP, or 0 for any
     * @param timeoutNanos relative; {@code Long.MAX_VALUE} waits for good
     * @return the departed lid, or 0
     */
    public static int waitFor(int lid, long timeoutNanos) {
        KLwp me = SafePoints.curlwp("_lwp_wait(" + lid + ")");
        long deadline = Timeouts.deadline(me.kernel, timeoutNanos);
        int r = waitForSleeping(lid, timeoutNanos != Long.MAX_VALUE, deadline);
        SafePoints.returning(me); // the return is a safe point too (userret)
        return r;
    }

    /** _lwp_wait's sleep and collection; 0 when a timed wait timed out. */
    private static int waitForSleeping(int lid, boolean timed, long deadline) {
        KLwp t = collectZombie(lid, timed, deadline);
        if (t == null) {
            return 0;
        }
        t.kernel.lifecycle.waitOffCpu(t);
        return t.lid;
    }

    /**
     * _lwp_wait up to taking the zombie out of the table; answers it.
     *
     * Repeatedly, under p.lock:
     * <ol>
     * <li>one target: ESRCH if it is gone or was never started, EDEADLK if it is the caller or
     *     waits for it (through any chain), EINVAL if detached; claim it if unclaimed; a zombie
     *     is collected;</li>
     * <li>any target: collect the oldest zombie not claimed by another waiter (KProc's zombie
     *     list, no table scan); ESRCH if there is nothing to wait for;</li>
     * <li>EDEADLK if the process is exiting or every LWP that could still give a zombie waits;</li>
     * <li>else sleep on CH_LWP; a safe-point request is acted on (p.lock released) and the
     *     wait goes on; a wakeup or an interrupt answers EINTR.</li>
     * </ol>
     */
    private static KLwp collectZombie(int lid, boolean timed, long deadline) {
        // the call's name is made only for an error: a wait that collects allocates no string
        KLwp me = SafePoints.curlwp("_lwp_wait");
        KProc p = me.proc;
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
                        throw unlessExiting(me, new LwpException(Errno.ESRCH, waitCall(lid)));
                    }
                    if (t.detached) { // before the cycle check, as NetBSD's lwp_wait: a detached self is EINVAL
                        throw unlessExiting(me, new LwpException(Errno.EINVAL, waitCall(lid)));
                    }
                    if (t == me || waitsForMe(p, t, me)) {
                        throw unlessExiting(me, new LwpException(Errno.EDEADLK, waitCall(lid)));
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
                    for (KLwp t = p.zombies; t != null; t = t.znext) {
                        if (t.waiter == 0 || t.waiter == me.lid) {
                            return collect(p, t);
                        }
                    }
                    nfound = p.njoinable - (me.joinable() ? 1 : 0);
                    if (nfound == 0) {
                        throw unlessExiting(me, new LwpException(Errno.ESRCH, waitCall(lid)));
                    }
                }
                if (p.pstat != KProc.SACTIVE || deadlocked(p)) {
                    throw unlessExiting(me, new LwpException(Errno.EDEADLK, waitCall(lid)));
                }
                ParkResult r = timed ? p.cvWaitInterruptiblyUntil(me, KProc.CH_LWP, p.lock, deadline)
                        : p.cvWaitInterruptibly(me, KProc.CH_LWP, p.lock);
                if (r == ParkResult.TIMED_OUT) {
                    return null; // "not yet": the claim is released below
                }
                if (r == ParkResult.INTERRUPTED) {
                    SigIntr.beforeSafePoint(me, waitCall(lid)); // EINTR after a handler, unless SA_RESTART
                    SafePoints.userretHoldingOwnLock(me);
                    SigIntr.afterSafePoint(me, waitCall(lid));
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

    private static String waitCall(int lid) {
        return "_lwp_wait(" + lid + ")";
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
        onLwp(call, lid, true, (me, p, t) -> {
            if (t.detached) {
                throw new LwpException(Errno.EINVAL, call);
            }
            t.detached = true;
            t.recount();
            if (t.stat == KLwp.LSZOMB) {
                collect(p, t);
            }
            p.broadcast(KProc.CH_LWP);
            return 0;
        });
    }
}
