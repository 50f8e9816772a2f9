package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.SigInfo;
import org.lwp4j.kern.Channel;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SigIntr;

/**
 * {@code sigwait}, {@code sigwaitinfo}, {@code sigtimedwait} and {@code sigsuspend}: waiting for
 * signals (FreeBSD {@code kern_sigtimedwait} and {@code kern_sigsuspend}).
 */
public final class SigWait {
    /*
     * Implementation overview.
     *
     * sigtimedwait (and sigwait, sigwaitinfo). Under p.lock: if a signal of the wait set is
     * pending on the LWP or its process, take it (its siginfo, as delivery would, lowest number
     * first, the LWP's own before the process's) without running its action, and answer it.
     * Otherwise sleep on the process's "sigwait" channel with the LWP's mask narrowed by the
     * wait set, as FreeBSD does (td_sigmask minus waitset): a poster then counts the LWP as one
     * that takes the signal (pick() prefers an LWP waiting for it), posts AST_SIGNAL, which kicks
     * the sleep, and the LWP takes the signal on waking, still under p.lock, before any safe
     * point could deliver it. The mask is restored before anything else runs. Posting and the
     * check-then-sleep both hold p.lock, and the sleep is linked before the lock is released
     * (cvWait), so a signal posted between the check and the sleep is not lost (the race the
     * jcstress test SigwaitVsKillTest drives).
     *
     * A signal in the set is not discarded for being ignored while an LWP waits for it (FreeBSD
     * tdsendsignal keeps an ignored signal for sigwait: SIGCHLD can be waited for with its
     * default disposition); ProcSig.sigwaiters says whether anyone waits, so the common post
     * does not look further.
     *
     * Woken with nothing of the set pending: a wakeup or Thread.interrupt answers EINTR; a
     * safe-point request is acted on with p.lock released (a stop stops, a kill ends the LWP,
     * a caught signal outside the set runs its handler). After a handler sigwaitinfo and
     * sigtimedwait answer EINTR; sigwait starts again (POSIX: sigwait never answers EINTR, and
     * FreeBSD's sys_sigwait turns EINTR into ERESTART). Otherwise the wait goes on. The
     * timeout is relative, on the supervisor's clock; when it passes, EAGAIN.
     *
     * sigsuspend. Under p.lock: the mask becomes the given one and, if that unmasks something
     * pending, AST_SIGNAL is posted to self. Then: act on safe-point requests (with p.lock
     * released) until one of them ran a handler, sleeping on "sigsusp" in between; a stop and
     * continue or an ignored signal do not end it; a terminating signal ends the LWP. The
     * handler runs with the sigsuspend mask (plus its own), and the old mask is restored when
     * the call ends, with EINTR, as POSIX's sigsuspend always answers.
     */
    private static final Object CH_SIGWAIT = Channel.SIGWAIT, CH_SIGSUSPEND = Channel.SIGSUSPEND;

    private SigWait() {
    }

    /** The set without SIGKILL and SIGSTOP; EINVAL for a bit that names no signal. */
    private static long checkSet(long set, String call) {
        if ((set & ~SigSet.ALL) != 0) {
            throw new LwpException(Errno.EINVAL, call + ": bits outside signals 1.." + (NSIG - 1));
        }
        return set & ~SigSet.CANTMASK;
    }

    private static String hex(long set) {
        return "0x" + Long.toHexString(set);
    }

    public static int sigwait(long set) {
        return wait(set, false, 0, "sigwait(" + hex(set) + ")", true).signo();
    }

    public static SigInfo sigwaitinfo(long set) {
        return wait(set, false, 0, "sigwaitinfo(" + hex(set) + ")", false);
    }

    public static SigInfo sigtimedwait(long set, long timeoutNanos) {
        String call = "sigtimedwait(" + hex(set) + ", " + timeoutNanos + " ns)";
        if (timeoutNanos < 0) {
            SafePoints.curlwp(call);
            throw new LwpException(Errno.EINVAL, call + ": negative timeout");
        }
        return wait(set, true, timeoutNanos, call, false);
    }

    private static SigInfo wait(long rawSet, boolean timed, long timeout, String call, boolean restart) {
        SigInfo i = sleepingWait(rawSet, timed, timeout, call, restart);
        SafePoints.returning(SafePoints.current()); // the return is a safe point too (userret)
        return i;
    }

    private static SigInfo sleepingWait(long rawSet, boolean timed, long timeout, String call, boolean restart) {
        KLwp me = SafePoints.curlwp(call);
        long set = checkSet(rawSet, call);
        Kernel k = me.kernel;
        KProc p = me.proc;
        ProcSig ps = p.sig;
        long now = k.cfg.clock().getAsLong();
        long deadline = timed ? now + Math.min(timeout, Long.MAX_VALUE / 4) : 0;
        p.lock.lock();
        try {
            LwpSig x = SignalLayer.ls(me);
            for (;;) {
                SigInfo i = take(me, ps, set);
                if (i != null) {
                    return i;
                }
                if (timed && deadline - k.cfg.clock().getAsLong() <= 0) {
                    throw new LwpException(Errno.EAGAIN, call + ": timed out");
                }
                long saved = me.sigmask;
                me.sigmask = saved & ~set;
                x.waitset = set;
                ps.sigwaiters++;
                ParkResult r;
                try {
                    r = timed ? p.cvWaitInterruptiblyUntil(me, CH_SIGWAIT, p.lock, deadline)
                            : p.cvWaitInterruptibly(me, CH_SIGWAIT, p.lock);
                } finally {
                    ps.sigwaiters--;
                    x.waitset = 0;
                    me.sigmask = saved;
                }
                i = take(me, ps, set);
                if (i != null) {
                    return i;
                }
                if (r == ParkResult.INTERRUPTED) {
                    if (!me.safePointPending()) {
                        throw new LwpException(Errno.EINTR, call);
                    }
                    me.sigIntr = 0;
                    SafePoints.userretHoldingOwnLock(me);
                    if ((me.sigIntr & SigIntr.HANDLED) != 0 && !restart) {
                        me.sigIntr = 0;
                        throw new LwpException(Errno.EINTR, call);
                    }
                    me.sigIntr = 0;
                }
            }
        } finally {
            p.lock.unlock();
        }
    }

    /**
     * Take the lowest pending signal of {@code set}, the LWP's own first, with its siginfo, as
     * delivery would but without acting on it (p.lock held); null if none.
     */
    static SigInfo take(KLwp l, ProcSig ps, long set) {
        long ready = (l.sigpending | ps.pending) & set;
        if (ready == 0) {
            return null;
        }
        int sig = SigSet.first(ready);
        long b = SigSet.bit(sig);
        SigInfo info;
        if ((l.sigpending & b) != 0) {
            LwpSig x = l.sig;
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
        return info != null ? info : new SigInfo(sig, SI_USER, 0, 0);
    }

    /** Is an LWP of p waiting in sigwait for {@code sig}? (p.lock held) */
    static boolean waitedFor(KProc p, ProcSig ps, int sig) {
        return waiterFor(p, ps, sig) != null;
    }

    /** An LWP of p waiting in sigwait for {@code sig}, or null (p.lock held). */
    static KLwp waiterFor(KProc p, ProcSig ps, int sig) {
        if (ps.sigwaiters == 0) {
            return null;
        }
        for (KLwp t : p.lwpList()) {
            LwpSig x = t.sig;
            if (x != null && SigSet.has(x.waitset, sig)) {
                return t;
            }
        }
        return null;
    }

    public static void sigsuspend(long mask) {
        String call = "sigsuspend(" + hex(mask) + ")";
        KLwp me = SafePoints.curlwp(call);
        long m = checkSet(mask, call);
        Kernel k = me.kernel;
        KProc p = me.proc;
        ProcSig ps = p.sig;
        p.lock.lock();
        long saved = me.sigmask;
        try {
            me.sigmask = m;
            if (((me.sigpending | ps.pending) & ~m) != 0) {
                me.post(KLwp.AST_SIGNAL);
            }
            SignalLayer.redirect(p, ps, m & ~saved, me);
            me.sigIntr = 0;
            for (;;) {
                if (me.safePointPending()) {
                    SafePoints.userretHoldingOwnLock(me);
                    if ((me.sigIntr & SigIntr.HANDLED) != 0) {
                        break;
                    }
                    continue;
                }
                ParkResult r = p.cvWaitInterruptibly(me, CH_SIGSUSPEND, p.lock);
                if (r == ParkResult.INTERRUPTED && !me.safePointPending()) {
                    break; // a wakeup or Thread.interrupt
                }
            }
        } finally {
            me.sigIntr = 0;
            me.sigmask = saved;
            if (((me.sigpending | ps.pending) & ~saved) != 0) {
                me.post(KLwp.AST_SIGNAL);
            }
            SignalLayer.redirect(p, ps, saved & ~m, me);
            p.lock.unlock();
        }
        throw new LwpException(Errno.EINTR, call);
    }
}
