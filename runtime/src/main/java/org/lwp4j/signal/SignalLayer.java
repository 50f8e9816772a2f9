package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.Disposition;
import org.lwp4j.SigInfo;
import org.lwp4j.kern.Events;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.SigIntr;
import org.lwp4j.Wait;

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
     *   SIGCONT   resume (JobControl.cont), discard pending stop signals, and report the
     *             continue if the stop had been reported; then, if caught, post as below;
     *   stop      (default action, or SIGSTOP) discard a pending SIGCONT and stop the process
     *             (JobControl.stop: AST_STOP to every LWP) unless every LWP masks it, in which
     *             case it stays pending and stops the process when delivered;
     *   ignored   discarded (init also discards what would terminate or stop it).
     * Otherwise the signal is made pending (on the process or the LWP) and one LWP that does
     * not mask it is told: AST_SIGNAL, which also kicks an interruptible sleep in the runtime,
     * and, for a signal with a handler or a terminating default, Thread.interrupt() of an LWP
     * thread that is not asleep in the runtime, so that a blocking JDK call returns. Attached
     * threads are never interrupted (they are the user's own threads, as in ProcExit.killOthers).
     *
     * Delivery (deliver(), on the LWP at its safe point, SafePoints.userret, no lock held): take the
     * lowest-numbered pending unmasked signal under p.lock (the LWP's own instance before the
     * process's) and act on it with p.lock released: run the handler with the mask widened, or
     * exit the process (exit1 with a "signaled" status, then unwind). Repeat until nothing is
     * deliverable. A poster sets pending before posting AST_SIGNAL, and userret clears
     * AST_SIGNAL before calling us, so a signal posted during delivery is either seen by this
     * loop or makes userret call us again: none is lost. While the process is stopping nothing
     * is delivered: AST_SIGNAL is posted again and userret, which acts on stops before signals
     * (NetBSD's issignal stops first too), stops the LWP; it takes the signal once continued.
     *
     * Stops. Job control (JobControl) is the state machine; posting and delivery drive it, and
     * stopped() (Upcalls.lwpStopped, no lock held) completes a stop once no live LWP runs: the
     * parent's waiters are woken and it gets SIGCHLD (CLD_STOPPED), after the child's lock is
     * released, so that no two process locks are ever held.
     *
     * Fork: ForkSignals carries the group signals, a group stop and a group kill over to a
     * child forked while its group is signalled; the child's first LWP inherits the forking
     * LWP's mask (lwpCreated).
     */

    private SignalLayer() {
    }

    /** Supervisor.close, before the kernel closes: stop the interval timers' thread. */
    public static void closing(Kernel k, long timeoutNanos) {
        k.timers.close(timeoutNanos);
    }

    /**
     * The interval timers' thread, if alive (for Supervisor.liveThreads).
     *
     * @param k the kernel
     * @return the thread, or null
     */
    public static Thread timerThread(Kernel k) {
        return k.timers.liveThread();
    }

    /**
     * A reaped child's SIGCHLD report leaves its parent's queue (FreeBSD proc_reap's
     * sigqueue_take): SIGCHLD stays pending only while another instance is left. The caller
     * may hold the tree lock, but no process lock.
     */
    public static void withdrawChild(KProc parent, KProc child) {
        ProcSig ps = parent.sig;
        parent.lock.lock();
        try {
            long gone = ps.info.withdrawChild(child.pid);
            ps.pending &= ~gone;
            ps.groupPending &= ~gone;
        } finally {
            parent.lock.unlock();
        }
    }

    /** The LWP's extra state, made on first need (caller holds its process's lock). */
    static LwpSig ls(KLwp l) {
        if (l.sig == null) {
            l.sig = new LwpSig();
        }
        return l.sig;
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
        Events.signal(info.pid(), p, sig);
        ProcSig ps = p.sig;
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
            tell = ps.jobc.cont();
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
                    return ps.jobc.stop(sig, group);
                }
            }
        }
        if (SigSet.ignored(act, sig, init) && !SigWait.waitedFor(p, ps, sig)) {
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

    /**
     * The LWP to take a process-directed signal: the caller if it can (NetBSD prefers curlwp),
     * else a running one that sleeps interruptibly in the runtime (a kick wakes it at once),
     * else any running one, else a suspended or stopped one; none masking it. Null if every
     * LWP masks it. Caller holds p.lock.
     */
    static KLwp pick(KProc p, int sig) {
        KLwp waiter = SigWait.waiterFor(p, p.sig, sig);
        if (waiter != null && waiter.isLive()) {
            return waiter; // sigwait accepts it (it does not mask what it waits for)
        }
        long b = SigSet.bit(sig);
        KLwp me = SafePoints.current();
        if (me != null && me.proc == p && (me.sigmask & b) == 0 && me.isLive()) {
            return me;
        }
        KLwp running = null, other = null;
        for (KLwp t : p.lwpList()) {
            if ((t.sigmask & b) != 0 || !t.isLive()) {
                continue;
            }
            if (t.stat() == KLwp.LSRUN) {
                if (t.sleepsInterruptibly()) {
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
        if (SigSet.wakes(act, sig)) {
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
                || t.isSleeping()) {
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
        ps.jobc.killed();
        for (KLwp t : p.lwpList()) {
            if (t.isLive()) {
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
            if (t.sig != null) {
                t.sig.info.discard(set);
            }
        }
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
        ProcSig pps = pp.sig;
        int code = tell == JobControl.TELL_STOPPED ? CLD_STOPPED : CLD_CONTINUED;
        int status = tell == JobControl.TELL_STOPPED ? p.sig.jobc.stopSignal() : SIGCONT;
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
     * Kernel-generated signal (SIGCHLD at exit, REAP_KILL, orphaned groups): no permission
     * check; the siginfo names {@code sender} (null: the runtime). The caller may hold the tree
     * lock, but no process lock.
     */
    public static void psignal(KProc p, int sig, int code, KProc sender) {
        psignal(p, sig, code, sender, 0);
    }

    /**
     * As {@link #psignal(KProc, int, int, KProc)}, with the siginfo's {@code si_status} (a
     * SIGCHLD's exit code or terminating signal).
     */
    public static void psignal(KProc p, int sig, int code, KProc sender, int status) {
        if (!SigSet.valid(sig)) {
            throw new IllegalArgumentException("psignal: not a signal: " + sig);
        }
        SigInfo info = new SigInfo(sig, code, sender == null ? 0 : sender.pid, sender == null ? 0 : sender.uid,
                status, 0);
        Kernel k = p.kernel;
        k.tree.lock();
        try {
            send(k, p, sig, info, null, false);
        } finally {
            k.tree.unlock();
        }
    }

    /** post under p's lock, then tell the parent what it must hear (tree lock held). */
    static void send(Kernel k, KProc p, int sig, SigInfo info, KLwp target, boolean group) {
        int tell;
        p.lock.lock();
        try {
            tell = post(k, p, sig, info, target, group);
        } finally {
            p.lock.unlock();
        }
        tellParent(k, p, tell);
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

    /** Upcalls.deliverSignals: deliver every deliverable signal to the calling LWP l (no lock held). */
    public static void deliver(KLwp l) {
        KProc p = l.proc;
        Kernel k = l.kernel;
        ProcSig ps = p.sig;
        for (;;) {
            int sig;
            SigInfo info;
            Disposition act;
            long saved = 0;
            boolean terminate = false;
            p.lock.lock();
            try {
                LwpSig x = l.sig;
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
                info = SigWait.take(l, ps, ready); // the lowest one, the LWP's own first
                sig = info.signo();
                long b = SigSet.bit(sig);
                act = ps.acts.get(sig);
                if (act.kind() != Disposition.Kind.HANDLER) {
                    if (SigSet.ignored(act, sig, p == k.init)) {
                        continue;
                    }
                    if (SigSet.isStop(sig)) { // a stop that was masked: userret stops us next
                        ps.jobc.begin(sig, false);
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
                k.exits.exit1(l, Wait.signaledStatus(sig));
                throw k.safePoints.exitUnwind(l, "killed by " + name(sig));
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

    /**
     * Upcalls.lwpStopped: l stopped, or ended while its process was stopping (no lock held). The
     * common case, that another LWP still runs, is decided under p.lock alone; only the last one
     * takes the tree lock (the lock order comes first) to complete and report the stop.
     */
    public static void stopped(KLwp l) {
        KProc p = l.proc;
        Kernel k = l.kernel;
        p.lock.lock();
        try {
            if (p.sig.jobc.state() != JobControl.STOPPING || !k.safePoints.allStopped(p)) {
                return;
            }
        } finally {
            p.lock.unlock();
        }
        k.tree.lock();
        try {
            int tell;
            p.lock.lock();
            try {
                tell = p.sig.jobc.complete();
            } finally {
                p.lock.unlock();
            }
            tellParent(k, p, tell);
        } finally {
            k.tree.unlock();
        }
    }

    // ------------------------------------------------------------------ creation and fork

    /**
     * Upcalls.lwpCreated (p.lock held, the LWP not yet visible): inherit the creator's
     * mask, and pick up what is already pending on the process.
     */
    public static void lwpCreated(KLwp l) {
        KLwp creator = SafePoints.current();
        if (creator != null) {
            l.sigmask = creator.sigmask; // the creator's own field, read on its own thread
        }
        ProcSig ps = l.proc.sig;
        if (ps.killed) {
            l.post(KLwp.AST_KILL);
        } else if ((ps.pending & ~l.sigmask) != 0) {
            l.post(KLwp.AST_SIGNAL);
        }
    }
}
