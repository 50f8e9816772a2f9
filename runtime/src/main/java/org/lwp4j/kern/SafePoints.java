package org.lwp4j.kern;

import org.lwp4j.LwpExit;
import org.lwp4j.Sig;
import org.lwp4j.Wait;

/**
 * Safe points (NetBSD and DragonFly {@code userret}): where an LWP acts on what others asked of
 * it, and the job-control mechanism (post and clear AST_STOP) the signal layer drives.
 */
public final class SafePoints {
    /*
     * Implementation overview.
     *
     * Java cannot stop a thread from outside, so requests (exit, kill, signal, suspend, stop)
     * post a bit in the target's ast word and kick it out of any interruptible sleep; the target
     * acts on them here, at its next call into the runtime (curlwp) or when a sleep of the
     * runtime ends with INTERRUPTED (the way out of a blocking call is a safe point too, as
     * userret runs on the way back to user code).
     *
     * Finding the current LWP is one type check and one field read for the LWPs we started
     * (LwpThread); a thread that entered with attach is found through a thread-local, the only
     * static state of the kernel (a thread is an LWP of at most one kernel at a time).
     *
     * Stops. A suspension (_lwp_suspend) and a job-control stop (SIGSTOP and kin) both park the
     * LWP in stopSelf until the bit is cleared; the LWP is LSSUSPENDED or LSSTOP meanwhile, so
     * that _lwp_wait's deadlock check and ps see it. The signal layer's job control decides when
     * a process stops and continues; here is only the mechanism: stopProc posts AST_STOP to every
     * live LWP (and makes new ones start stopped), continueProc clears it and makes them
     * runnable at once, allStopped says whether none runs any more.
     */

    private static final ThreadLocal<KLwp> ATTACHED = new ThreadLocal<>();
    private final Kernel k;

    SafePoints(Kernel k) {
        this.k = k;
    }

    /**
     * The calling thread's LWP, or null if it is not one.
     *
     * @return the LWP or null
     */
    public static KLwp current() {
        Thread t = Thread.currentThread();
        if (t instanceof LwpThread) {
            return ((LwpThread) t).lwp;
        }
        return ATTACHED.get();
    }

    /**
     * The calling LWP, after a safe point: what others asked of it is done first.
     *
     * @param call the call being made, for the error
     * @return the calling LWP
     * @throws IllegalStateException if the calling thread is not an LWP
     */
    public static KLwp curlwp(String call) {
        KLwp l = current();
        if (l == null) {
            throw new IllegalStateException(call + ": the calling thread is not an LWP; "
                    + "attach it with Supervisor.attach() first");
        }
        if (l.ast != 0) {
            l.kernel.safePoints.userret(l);
        }
        return l;
    }

    /**
     * The return of a blocking call of the calling LWP {@code l}, which holds no lock: a safe
     * point too (NetBSD's userret on the way out), so a signal that became deliverable while the
     * call slept uninterruptibly, or after it woke, is acted on before the call returns.
     *
     * @param l the calling LWP
     * @throws LwpExit when the LWP must end
     */
    public static void returning(KLwp l) {
        if (l.ast != 0) {
            l.kernel.safePoints.userret(l);
        }
    }

    /**
     * Throw IllegalStateException if the calling thread is a live LWP. An attachment that no
     * longer counts (its supervisor closed, or its process's exit ended the LWP) is forgotten,
     * so the thread may attach again, to this supervisor or another.
     *
     * @throws IllegalStateException if the calling thread is a live LWP
     */
    public static void checkNotAttached() {
        KLwp l = current();
        if (l == null) {
            return;
        }
        if (l.attachedThread && (l.kernel.isClosed() || l.stat == KLwp.LSDEAD)) {
            ATTACHED.remove();
            l.restoreThreadName();
            return;
        }
        throw new IllegalStateException("attach: the calling thread is already an LWP");
    }

    static void setAttached(KLwp l) {
        ATTACHED.set(l);
    }

    /** Forget the calling thread's attachment if it is {@code l}; answers whether it was. */
    static boolean clearAttached(KLwp l) {
        if (ATTACHED.get() != l) {
            return false;
        }
        ATTACHED.remove();
        l.restoreThreadName();
        return true;
    }

    /**
     * The safe point of a call that took its own process lock once and holds it: p.lock is
     * released for userret and held again after, as a condition wait does (the one other place
     * that gives up the caller's lock, and for the same reason: the caller sleeps or stops here).
     */
    public static void userretHoldingOwnLock(KLwp me) {
        me.proc.lock.unlock();
        try {
            me.kernel.safePoints.userret(me);
        } finally {
            me.proc.lock.lock();
        }
    }

    /**
     * Act on the safe-point requests of the calling LWP {@code l}; the caller holds no lock.
     *
     * Repeatedly:
     * <ol>
     * <li>nothing is pending: return;</li>
     * <li>AST_EXIT (its process is exiting): unwind with LwpExit;</li>
     * <li>AST_KILL (SIGKILL): exit the process as signaled, then unwind;</li>
     * <li>AST_SUSPEND or AST_STOP: stop until continued (before signals, as NetBSD's issignal
     *     stops first: a stopped or suspended LWP takes no signal but SIGKILL until continued);</li>
     * <li>AST_SIGNAL: clear it and let the signal layer deliver what is deliverable.</li>
     * </ol>
     *
     * @param l the calling LWP
     * @throws LwpExit when the LWP must end
     */
    public void userret(KLwp l) {
        for (;;) {
            int a = l.ast;
            if (a == 0) {
                return;
            }
            if ((a & KLwp.AST_EXIT) != 0) {
                throw exitUnwind(l, "its process is exiting");
            }
            if ((a & KLwp.AST_KILL) != 0) {
                l.clearAst(KLwp.AST_KILL);
                k.exits.exit1(l, Wait.signaledStatus(Sig.SIGKILL));
                throw exitUnwind(l, "killed");
            }
            if ((a & (KLwp.AST_SUSPEND | KLwp.AST_STOP)) != 0) {
                stopSelf(l);
                continue;
            }
            if ((a & KLwp.AST_SIGNAL) != 0) {
                l.clearAst(KLwp.AST_SIGNAL);
                k.up.deliverSignals(l);
            }
        }
    }

    /**
     * The error that unwinds the calling LWP {@code l}. An attached thread cannot be made to
     * end, so its LWP ends here, and the thread learns it from the error. When an uncaught
     * Throwable of another LWP made the process exit, that Throwable is the error's cause.
     *
     * @param l   the calling LWP
     * @param why what the message says
     * @return the error to throw
     */
    public LwpExit exitUnwind(KLwp l, String why) {
        if (l.attachedThread && clearAttached(l) && l.stat != KLwp.LSDEAD) {
            k.lifecycle.lwpExit(l);
        }
        String msg = "lwp " + l.proc.pid + "/" + l.lid + " exits: " + why;
        KLwp m = l.proc.exitFaulted;
        if (m == null || m == l) {
            return new LwpExit(msg);
        }
        return new LwpExit(msg + " (after lwp " + m.proc.pid + "/" + m.lid + " threw "
                + m.fault.getClass().getName() + ")", m.fault);
    }

    /**
     * Suspend or stop the calling LWP until continued or told to exit.
     *
     * Repeatedly, under p.lock:
     * <ol>
     * <li>no stop or suspension is asked any more, or an exit is: leave (LSRUN again);</li>
     * <li>not yet in the asked state: enter it, and tell the signal layer after unlocking (the
     *     process may have stopped as a whole), then look again;</li>
     * <li>else sleep, uninterruptibly, until a continue, a resume or a kill broadcasts.</li>
     * </ol>
     */
    private void stopSelf(KLwp l) {
        Events.Stop e = Events.stopBegin();
        Events.stopEnd(e, l, stopSelfUntilContinued(l));
    }

    /** stopSelf's loop; answers "stop" or "suspend" (the last state entered), null if none. */
    private String stopSelfUntilContinued(KLwp l) {
        KProc p = l.proc;
        String kind = null;
        for (;;) {
            boolean entered = false;
            p.lock.lock();
            try {
                int a = l.ast;
                if ((a & (KLwp.AST_SUSPEND | KLwp.AST_STOP)) == 0 || (a & (KLwp.AST_EXIT | KLwp.AST_KILL)) != 0) {
                    if (l.stat != KLwp.LSRUN) {
                        l.setStat(KLwp.LSRUN);
                        p.broadcast(KProc.CH_LWP);
                    }
                    return kind;
                }
                int st = (a & KLwp.AST_SUSPEND) != 0 ? KLwp.LSSUSPENDED : KLwp.LSSTOP;
                if (l.stat != st) {
                    l.setStat(st);
                    p.broadcast(KProc.CH_LWP);
                    entered = true;
                    kind = st == KLwp.LSSTOP ? "stop" : "suspend";
                } else {
                    p.cvWait(l, st == KLwp.LSSTOP ? KProc.CH_STOP : KProc.CH_SUSPEND, p.lock);
                }
            } finally {
                p.lock.unlock();
            }
            if (entered) {
                k.up.lwpStopped(l);
            }
        }
    }

    /**
     * Job-control stop (caller holds p.lock): every live LWP stops at its next safe point, and
     * LWPs created from now on start stopped, until {@link #continueProc}.
     *
     * @param p the process
     */
    public void stopProc(KProc p) {
        p.stopping = true;
        Object[] s = p.lwps.slots();
        for (int i = 0; i < s.length; i++) {
            KLwp t = LidTable.at(s, i);
            if (t != null && t.isLive()) {
                t.post(KLwp.AST_STOP);
            }
        }
    }

    /**
     * Undo a job-control stop (caller holds p.lock). Stopped LWPs are runnable (or suspended,
     * if they also were) at once, as NetBSD's proc_unstop, not when their threads get round to
     * it: _lwp_wait's deadlock check reads stat right after.
     *
     * @param p the process
     */
    public void continueProc(KProc p) {
        p.stopping = false;
        Object[] s = p.lwps.slots();
        for (int i = 0; i < s.length; i++) {
            KLwp t = LidTable.at(s, i);
            if (t == null) {
                continue;
            }
            t.clearAst(KLwp.AST_STOP);
            if (t.stat == KLwp.LSSTOP) {
                t.setStat((t.ast & KLwp.AST_SUSPEND) != 0 ? KLwp.LSSUSPENDED : KLwp.LSRUN);
            }
        }
        p.broadcast(KProc.CH_LWP);
        p.broadcast(KProc.CH_SUSPEND);
    }

    /**
     * True when p has live LWPs and every one of them is stopped or suspended, i.e. none runs
     * (NetBSD p_nrlwps == 0). Caller holds p.lock.
     *
     * @param p the process
     * @return whether no live LWP of p runs
     */
    public boolean allStopped(KProc p) {
        int live = 0;
        Object[] s = p.lwps.slots();
        for (int i = 0; i < s.length; i++) {
            KLwp t = LidTable.at(s, i);
            if (t == null || !t.isLive()) {
                continue;
            }
            int st = t.stat;
            if (st != KLwp.LSSTOP && st != KLwp.LSSUSPENDED) {
                return false;
            }
            live++;
        }
        return live > 0;
    }
}
