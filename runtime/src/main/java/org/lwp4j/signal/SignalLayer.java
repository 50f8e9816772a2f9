package org.lwp4j.signal;

import static org.lwp4j.Signals.*;

import org.lwp4j.Signals.Disposition;
import org.lwp4j.Signals.SigInfo;
import org.lwp4j.kern.Events;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SigIntr;
import org.lwp4j.kern.Wstat;
import org.lwp4j.sleep.Waiter;

/**
 * The signal layer of a kernel: posting, delivery at safe points, job control, signals at fork.
 */
public final class SignalLayer {
    /*
     * Implementation overview (NetBSD kern_sig.c kpsignal2 / issignal / postsig, DragonFly
     * lwpsignal / tstop, mapped onto safe points).
     *
     * State. Dispositions live in a SigActs (per process, or shared with SIGSHARE). Pending
     * process-directed signals are a set on the process (ProcSig.pending, NetBSD p_sigpend);
     * LWP-directed ones (_lwp_kill) a set on the LWP (KLwp.sigpending); masks are per LWP
     * (KLwp.sigmask). Everything but the dispositions is guarded by the process's lock.
     *
     * Posting (post(), caller holds the tree lock and p.lock): actions that concern the whole
     * process happen at once, as in kpsignal2, because waiting for a safe point of one LWP
     * could wait forever:
     *   SIGKILL   AST_KILL to every live LWP, CH_SUSPEND broadcast (stopped and suspended LWPs
     *             sleep uninterruptibly there and leave on AST_KILL), threads interrupted;
     *   SIGCONT   resume (Kernel.continueProc), discard pending stop signals, and report the
     *             continue if the stop had been reported; then, if caught, post as below;
     *   stop      (default action, or SIGSTOP) discard a pending SIGCONT and stop the process
     *             (Kernel.stopProc: AST_STOP to every LWP) unless every LWP masks it, in which
     *             case it stays pending and stops the process when delivered;
     *   ignored   discarded (init also discards what would terminate or stop it).
     * Otherwise the signal is made pending (on the process or the LWP) and one LWP that does
     * not mask it is told: AST_SIGNAL, which also kicks an interruptible sleep in the runtime,
     * and, for a signal with a handler or a terminating default, Thread.interrupt() of an LWP
     * thread that is not asleep in the runtime, so that a blocking JDK call returns. Attached
     * threads are never interrupted (they are the user's own threads, as in Kernel.killOthers).
     *
     * Delivery (deliver(), on the LWP at its safe point, Kernel.userret, no lock held): take the
     * lowest-numbered pending unmasked signal under p.lock (the LWP's own instance before the
     * process's) and act on it with p.lock released: run the handler with the mask widened, or
     * exit the process (exit1 with a "signaled" status, then unwind). Repeat until nothing is
     * deliverable. A poster sets pending before posting AST_SIGNAL, and userret clears
     * AST_SIGNAL before calling us, so a signal posted during delivery is either seen by this
     * loop or makes userret call us again: none is lost. While the process is stopping nothing
     * is delivered: AST_SIGNAL is posted again and userret, which acts on stops before signals
     * (NetBSD's issignal stops first too), stops the LWP; it takes the signal once continued.
     *
     * Stop reporting. Kernel.stopSelf calls stopped() when an LWP stops, and lwpExit when an LWP
     * ends while its process is stopping. When no live LWP runs any more (Kernel.allStopped),
     * the stop is reported once: KProc.stopSig/stopUnreported for wait, a CH_CHILD broadcast to
     * the parent, SIGCHLD (CLD_STOPPED). The report is decided under the tree lock and p.lock,
     * which a continue also holds, so a report can never land after the continue that ended the
     * stop: stops and continues are reported strictly alternately, a continue only after a
     * reported stop. Since the hook is called with p.lock held and the tree lock comes first in
     * the lock order, it releases p.lock to take both (Kernel.stopSelf re-checks afterwards).
     * Parents are told after the child's lock is released: no two process locks are ever held.
     *
     * Fork. A group signal still pending on the parent (and not masked by the forking LWP), a
     * group stop in force and a group kill are posted to the child as well, so a child forked
     * while its group is signalled does not miss the signal (DragonFly and FreeBSD restart the
     * fork instead). The child's first LWP inherits the forking LWP's mask (lwpCreated).
     */

    private SignalLayer() {
    }

    /** Posting outcomes that must reach the parent once the target's lock is released. */
    static final int TELL_STOPPED = 1, TELL_CONTINUED = 2;

    /** Install the signal layer's hooks on a new kernel. */
    public static void install(Kernel k) {
        k.setSignalHook(SignalLayer::deliver);
        k.setStopHook(SignalLayer::stopped);
        k.setLwpCreatedHook(SignalLayer::lwpCreated);
        k.setSignalPoster((p, sig, code, pid, uid, status) -> psignal(k, p, sig, code, pid, uid, status));
        k.setForkSignals((parent, child, share) -> fork(k, parent, child, share));
        k.setChildReapedHook(SignalLayer::withdrawChild);
        k.sigExt = new Timers(k);
    }

    /** Supervisor.close, before the kernel closes: stop the interval timers' thread. */
    public static void closing(Kernel k, long timeoutNanos) {
        ((Timers) k.sigExt).close(timeoutNanos);
    }

    /** The interval timers' thread, if alive (for Supervisor.liveThreads). */
    public static Thread timerThread(Kernel k) {
        return ((Timers) k.sigExt).liveThread();
    }

    /**
     * A reaped child's SIGCHLD report leaves its parent's queue (FreeBSD proc_reap's
     * sigqueue_take): SIGCHLD stays pending only while another instance is left. No process
     * lock held by the caller.
     */
    static void withdrawChild(KProc parent, KProc child) {
        ProcSig ps = ps(parent);
        parent.lock.lock();
        try {
            long gone = ps.info.withdrawChild(child.pid);
            ps.pending &= ~gone;
            ps.groupPending &= ~gone;
        } finally {
            parent.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ state

    static ProcSig ps(KProc p) {
        Object o = p.sigExt;
        if (o != null) {
            return (ProcSig) o;
        }
        p.lock.lock();
        try {
            if (p.sigExt == null) {
                p.sigExt = new ProcSig(new SigActs(p));
            }
            return (ProcSig) p.sigExt;
        } finally {
            p.lock.unlock();
        }
    }

    /** The LWP's extra state, made on first need (caller holds its process's lock). */
    static LwpSig ls(KLwp l) {
        if (l.sigExt == null) {
            l.sigExt = new LwpSig();
        }
        return (LwpSig) l.sigExt;
    }

    private static boolean isLive(KLwp t) {
        int s = t.stat();
        return s != KLwp.LSZOMB && s != KLwp.LSDEAD;
    }

    // ------------------------------------------------------------------ posting

    /**
     * Post {@code sig} to process {@code p} or, with {@code target}, to that LWP of it. Caller
     * holds the tree lock and p.lock. Answers TELL_* bits for {@link #tellParent}.
     */
    static int post(Kernel k, KProc p, int sig, SigInfo info, KLwp target, boolean group) {
        if (p.pstat() != KProc.SACTIVE) {
            return 0; // exiting or a zombie: nothing changes
        }
        Events.signal(info.pid(), p.pid, sig);
        ProcSig ps = ps(p);
        boolean init = p == k.init;
        if (sig == SIGKILL) {
            if (!init) {
                kill(p, ps, group);
            }
            return 0;
        }
        Disposition act = ps.acts.get(sig);
        int tell = 0;
        if (sig == SIGCONT) {
            discard(p, ps, SigSet.STOPSIGS);
            tell = cont(k, p, ps);
            if (act.kind() != Disposition.Kind.HANDLER) {
                return tell;
            }
        } else if (SigSet.isStop(sig)) {
            discard(p, ps, SigSet.bit(SIGCONT));
            if (sig == SIGSTOP || act.kind() == Disposition.Kind.DEFAULT) {
                if (init) {
                    return 0;
                }
                boolean takenNow = sig == SIGSTOP
                        || (target != null ? !SigSet.has(target.sigmask, sig) : pick(p, sig) != null);
                if (takenNow && sig != SIGSTOP && SigWait.waitedFor(p, ps, sig)) {
                    takenNow = false; // accepted by sigwait instead of acted on
                }
                if (takenNow) {
                    return stop(k, p, ps, sig, group);
                }
            }
        }
        if (ignored(act, sig, init) && !SigWait.waitedFor(p, ps, sig)) {
            return tell; // an ignored signal is kept only for an LWP waiting for it (SigWait)
        }
        long b = SigSet.bit(sig);
        if (target != null) {
            target.sigpending |= b;
            ls(target).info.add(info);
            if ((target.sigmask & b) == 0) {
                notify(target, act, sig);
            }
        } else {
            ps.pending |= b;
            ps.info.add(info);
            if (group) {
                ps.groupPending |= b;
            }
            KLwp t = pick(p, sig);
            if (t != null) {
                notify(t, act, sig);
            }
        }
        return tell;
    }

    private static boolean ignored(Disposition act, int sig, boolean init) {
        switch (act.kind()) {
            case IGNORE:
                return true;
            case DEFAULT:
                return init || SigSet.has(SigSet.DFL_IGNORE, sig);
            default:
                return false;
        }
    }

    /** Does taking {@code sig} need a blocked JDK call woken (handler or terminate)? */
    private static boolean wakes(Disposition act, int sig) {
        return act.kind() == Disposition.Kind.HANDLER
                || (act.kind() == Disposition.Kind.DEFAULT && SigSet.defaultTerminates(sig));
    }

    /**
     * The LWP to take a process-directed signal: the caller if it can (NetBSD prefers curlwp),
     * else a running one that sleeps interruptibly in the runtime (a kick wakes it at once),
     * else any running one, else a suspended or stopped one; none masking it. Null if every
     * LWP masks it. Caller holds p.lock.
     */
    static KLwp pick(KProc p, int sig) {
        KLwp waiter = SigWait.waiterFor(p, ps(p), sig);
        if (waiter != null && isLive(waiter)) {
            return waiter; // sigwait accepts it (it does not mask what it waits for)
        }
        long b = SigSet.bit(sig);
        KLwp me = Kernel.current();
        if (me != null && me.proc == p && (me.sigmask & b) == 0 && isLive(me)) {
            return me;
        }
        KLwp running = null, other = null;
        for (KLwp t : p.lwpList()) {
            if ((t.sigmask & b) != 0 || !isLive(t)) {
                continue;
            }
            if (t.stat() == KLwp.LSRUN) {
                if ((t.parkWord() & (Waiter.SLEEPING | Waiter.NOINTR)) == Waiter.SLEEPING) {
                    return t;
                }
                if (running == null) {
                    running = t;
                }
            } else if (other == null) {
                other = t;
            }
        }
        return running != null ? running : other;
    }

    /** Tell LWP t that a signal is deliverable to it (caller holds its process's lock). */
    private static void notify(KLwp t, Disposition act, int sig) {
        t.post(KLwp.AST_SIGNAL);
        if (wakes(act, sig)) {
            interrupt(t, true);
        }
    }

    /**
     * Interrupt t's thread so a blocking JDK call returns, unless it is an attached thread, the
     * caller itself, or asleep in the runtime (a kick reached it). {@code mark}: remember it so
     * delivery clears the interrupt status again.
     */
    private static void interrupt(KLwp t, boolean mark) {
        Thread th = t.thread();
        if (t.attachedThread || th == null || th == Thread.currentThread()
                || (t.parkWord() & Waiter.SLEEPING) != 0) {
            return;
        }
        if (mark) {
            ls(t).interrupted = true;
        }
        th.interrupt();
    }

    /** SIGKILL: every LWP is told to exit the process at once, stopped ones included. */
    private static void kill(KProc p, ProcSig ps, boolean group) {
        ps.killed = true;
        ps.groupKill |= group;
        p.stopUnreported = false; // a stop it will never continue from is no longer news
        for (KLwp t : p.lwpList()) {
            if (isLive(t)) {
                t.post(KLwp.AST_KILL);
                interrupt(t, false);
            }
        }
        p.broadcast(KProc.CH_SUSPEND);
    }

    /** Remove {@code set} from every pending set of p (caller holds p.lock). */
    static void discard(KProc p, ProcSig ps, long set) {
        ps.pending &= ~set;
        ps.groupPending &= ~set;
        ps.info.discard(set);
        for (KLwp t : p.lwpList()) {
            t.sigpending &= ~set;
            if (t.sigExt != null) {
                ((LwpSig) t.sigExt).info.discard(set);
            }
        }
    }

    /** Begin a job-control stop (tree lock and p.lock held); TELL_STOPPED if already complete. */
    private static int stop(Kernel k, KProc p, ProcSig ps, int sig, boolean group) {
        if (!p.stopping) {
            ps.stopSignal = sig;
            ps.stopReported = false;
            ps.groupStop = group;
            k.stopProc(p);
        }
        return stopComplete(k, p, ps);
    }

    /** Continue a stopped or stopping process (tree lock and p.lock held). */
    private static int cont(Kernel k, KProc p, ProcSig ps) {
        if (!p.stopping) {
            return 0;
        }
        boolean reported = ps.stopReported;
        ps.stopReported = false;
        ps.groupStop = false;
        ps.stopSignal = 0;
        k.continueProc(p);
        p.stopUnreported = false;
        if (!reported) {
            return 0;
        }
        p.contUnreported = true;
        return TELL_CONTINUED;
    }

    /**
     * If p is stopping, not yet reported, and no live LWP runs any more, record the stop for
     * wait (tree lock and p.lock held) and answer TELL_STOPPED.
     */
    private static int stopComplete(Kernel k, KProc p, ProcSig ps) {
        if (!p.stopping || ps.stopReported || p.pstat() != KProc.SACTIVE || !k.allStopped(p)) {
            return 0;
        }
        ps.stopReported = true;
        p.stopSig = ps.stopSignal;
        p.stopUnreported = true;
        p.contUnreported = false;
        return TELL_STOPPED;
    }

    /**
     * Tell p's parent that p stopped or continued: wake its waiters, send it SIGCHLD unless its
     * SIGCHLD disposition has SA_NOCLDSTOP. Caller holds the tree lock, no process lock.
     */
    static void tellParent(Kernel k, KProc p, int tell) {
        if (tell == 0) {
            return;
        }
        KProc pp = p.parent;
        if (pp == null) {
            return;
        }
        pp.broadcast(KProc.CH_CHILD);
        ProcSig pps = ps(pp);
        int code = tell == TELL_STOPPED ? CLD_STOPPED : CLD_CONTINUED;
        int status = tell == TELL_STOPPED ? p.stopSig : SIGCONT;
        pp.lock.lock();
        try {
            if ((pps.acts.get(SIGCHLD).flags() & SA_NOCLDSTOP) == 0) {
                post(k, pp, SIGCHLD, new SigInfo(SIGCHLD, code, p.pid, p.uid, status, 0), null, false);
            }
        } finally {
            pp.lock.unlock();
        }
    }

    /**
     * Kernel-generated signal (SIGCHLD at exit, REAP_KILL): no permission check. The caller
     * may hold the tree lock, but no process lock.
     */
    static void psignal(Kernel k, KProc p, int sig, int code, int senderPid, int senderUid, int status) {
        if (!SigSet.valid(sig)) {
            throw new IllegalArgumentException("psignal: not a signal: " + sig);
        }
        k.tree.lock();
        try {
            int tell;
            p.lock.lock();
            try {
                tell = post(k, p, sig, new SigInfo(sig, code, senderPid, senderUid, status, 0), null, false);
            } finally {
                p.lock.unlock();
            }
            tellParent(k, p, tell);
        } finally {
            k.tree.unlock();
        }
    }

    /**
     * After p's pending or mask changed, tell another LWP about process-pending signals in
     * {@code sigs} that {@code except} now masks (caller holds p.lock).
     */
    static void redirect(KProc p, ProcSig ps, long sigs, KLwp except) {
        for (long s = ps.pending & sigs; s != 0; s &= s - 1) {
            int sig = SigSet.first(s);
            KLwp t = pick(p, sig);
            if (t != null && t != except) {
                notify(t, ps.acts.get(sig), sig);
            }
        }
    }

    // ------------------------------------------------------------------ delivery

    /** Kernel.userret's signal hook: deliver every deliverable signal to the calling LWP l. */
    static void deliver(KLwp l) {
        KProc p = l.proc;
        Kernel k = l.kernel;
        ProcSig ps = ps(p);
        for (;;) {
            int sig;
            SigInfo info;
            Disposition act;
            long saved = 0;
            boolean terminate = false;
            p.lock.lock();
            try {
                LwpSig x = (LwpSig) l.sigExt;
                if (x != null && x.interrupted) {
                    x.interrupted = false;
                    Thread.interrupted(); // ours: a JDK call it was meant to wake is over
                }
                long ready = (l.sigpending | ps.pending) & ~l.sigmask;
                if (ready == 0) {
                    return;
                }
                if (p.stopping) { // userret stops l first (it has AST_STOP), then comes back
                    l.post(KLwp.AST_STOP | KLwp.AST_SIGNAL);
                    return;
                }
                sig = SigSet.first(ready);
                long b = SigSet.bit(sig);
                if ((l.sigpending & b) != 0) {
                    info = x == null ? null : x.info.take(sig);
                    if (x == null || !x.info.has(sig)) {
                        l.sigpending &= ~b;
                    }
                } else {
                    info = ps.info.take(sig);
                    if (!ps.info.has(sig)) {
                        ps.pending &= ~b;
                        ps.groupPending &= ~b;
                    }
                }
                if (info == null) {
                    info = new SigInfo(sig, SI_USER, 0, 0);
                }
                act = ps.acts.get(sig);
                if (act.kind() != Disposition.Kind.HANDLER) {
                    if (ignored(act, sig, p == k.init)) {
                        continue;
                    }
                    if (SigSet.isStop(sig)) { // a stop that was masked: userret stops us next
                        ps.stopSignal = sig;
                        ps.stopReported = false;
                        ps.groupStop = false;
                        k.stopProc(p);
                        continue;
                    }
                    terminate = true;
                } else {
                    saved = l.sigmask;
                    long extra = act.mask() | ((act.flags() & (SA_NODEFER | SA_RESETHAND)) != 0 ? 0 : b);
                    l.sigmask |= extra & SigSet.ALL & ~SigSet.CANTMASK;
                    if ((act.flags() & SA_RESETHAND) != 0) {
                        ps.acts.resetHand(sig, act);
                    }
                    redirect(p, ps, l.sigmask & ~saved, l);
                }
            } finally {
                p.lock.unlock();
            }
            if (terminate) {
                k.exit1(l, Wstat.signaled(sig));
                throw k.exitUnwind(l, "killed by " + name(sig));
            }
            SigIntr.handlerRuns(l, act.flags(), SA_RESTART);
            try {
                act.handler().handle(info);
            } finally {
                restoreMask(l, ps, saved);
            }
        }
    }

    /** After a handler: the mask it ran with goes; what it held back is deliverable again. */
    private static void restoreMask(KLwp l, ProcSig ps, long saved) {
        KProc p = l.proc;
        p.lock.lock();
        try {
            l.sigmask = saved;
            if (((l.sigpending | ps.pending) & ~saved) != 0) {
                l.post(KLwp.AST_SIGNAL);
            }
        } finally {
            p.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ stop reporting

    /** Kernel's stop hook: called with l.proc.lock held (maybe more than once). */
    static void stopped(KLwp l) {
        KProc p = l.proc;
        Kernel k = l.kernel;
        ProcSig ps = ps(p);
        if (!p.stopping || ps.stopReported || !k.allStopped(p)) {
            return; // the common case: not the last LWP to stop
        }
        int holds = p.lock.getHoldCount();
        boolean tree = k.tree.isHeldByCurrentThread();
        for (int i = 0; i < holds; i++) {
            p.lock.unlock();
        }
        try {
            if (!tree) {
                k.tree.lock();
            }
            try {
                int tell;
                p.lock.lock();
                try {
                    tell = stopComplete(k, p, ps);
                } finally {
                    p.lock.unlock();
                }
                tellParent(k, p, tell);
            } finally {
                if (!tree) {
                    k.tree.unlock();
                }
            }
        } finally {
            for (int i = 0; i < holds; i++) {
                p.lock.lock();
            }
        }
    }

    // ------------------------------------------------------------------ creation and fork

    /**
     * Kernel's LWP-created hook (p.lock held, the LWP not yet visible): inherit the creator's
     * mask, and pick up what is already pending on the process.
     */
    static void lwpCreated(KLwp l) {
        KLwp creator = Kernel.current();
        if (creator != null) {
            l.sigmask = creator.sigmask; // the creator's own field, read on its own thread
        }
        ProcSig ps = ps(l.proc);
        if (ps.killed) {
            l.post(KLwp.AST_KILL);
        } else if ((ps.pending & ~l.sigmask) != 0) {
            l.post(KLwp.AST_SIGNAL);
        }
    }

    /**
     * Kernel's fork hook (tree lock held, the child has no running LWP): copy or share the
     * dispositions and carry over group signals the parent has not taken yet.
     */
    static void fork(Kernel k, KProc parent, KProc child, boolean share) {
        ProcSig pps = ps(parent);
        SigActs acts;
        long carry;
        SigInfo[] infos = new SigInfo[NSIG];
        boolean kill, stop;
        int stopSig;
        parent.lock.lock();
        try {
            acts = pps.acts;
            KLwp forker = Kernel.current();
            long mask = forker != null && forker.proc == parent ? forker.sigmask : 0;
            carry = pps.groupPending & ~mask;
            for (long s = carry; s != 0; s &= s - 1) {
                int sig = SigSet.first(s);
                infos[sig] = pps.info.peek(sig);
            }
            kill = pps.killed && pps.groupKill;
            stop = parent.stopping && pps.groupStop;
            stopSig = pps.stopSignal;
        } finally {
            parent.lock.unlock();
        }
        if (share) {
            acts.addSharer(child);
        } else {
            acts = acts.copyFor(child);
        }
        k.tree.lock();
        try {
            int tell;
            child.lock.lock();
            try {
                ProcSig cps = ps(child);
                cps.acts = acts;
                if (kill) {
                    post(k, child, SIGKILL, new SigInfo(SIGKILL, SI_USER, 0, 0), null, true);
                }
                for (long s = carry; s != 0; s &= s - 1) {
                    int sig = SigSet.first(s);
                    SigInfo i = infos[sig] != null ? infos[sig] : new SigInfo(sig, SI_USER, 0, 0);
                    post(k, child, sig, i, null, true);
                }
                tell = stop ? post(k, child, stopSig, new SigInfo(stopSig, SI_USER, 0, 0), null, true) : 0;
            } finally {
                child.lock.unlock();
            }
            tellParent(k, child, tell);
        } finally {
            k.tree.unlock();
        }
    }
}
