package org.lwp4j.signal;

import org.lwp4j.Sig;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.lwp4j.SigInfo;

/**
 * The siginfo of the signals pending on one process or one LWP (FreeBSD {@code struct
 * sigqueue}): which instance a delivery hands to the handler, and how many instances wait.
 */
final class SigQueue {
    /*
     * Implementation overview (FreeBSD kern_sig.c sigqueue_add / sigqueue_get / sigqueue_take).
     *
     * The pending bit itself stays in the owner's pending set (ProcSig.pending, KLwp.sigpending);
     * this object keeps what each pending instance carries. Two kinds of instances:
     *
     *   standard  a signal below SIGRTMIN sent by kill, _lwp_kill, the runtime: it does not
     *             queue. The first instance's siginfo is kept and later ones are dropped while
     *             it is pending (FreeBSD's sigqueue_add returns early for a pending sig <
     *             SIGRTMIN; POSIX leaves it open, Linux does the same).
     *   queued    every instance is kept, in the order posted, with its own siginfo: the
     *             real-time signals SIGRTMIN .. SIGRTMAX, and SIGCHLD reports of children (exit,
     *             stop, continue), which FreeBSD queues through each child's p_ksi (KSI_INS). A
     *             child has at most one report queued: a newer one replaces it in place, as the
     *             child's single p_ksi would be. A reaped child's report is withdrawn
     *             (proc_reap's sigqueue_take), so SIGCHLD stays pending only while some other
     *             instance is left.
     *
     * Delivery takes the standard instance first, then the oldest queued one; the owner keeps
     * the pending bit while has(sig) still answers true. A real-time signal posted when the
     * process's queue is full (RTSIG_MAX instances) by kill keeps only its pending bit, as
     * FreeBSD does for a ksiginfo it cannot allocate; sigqueue answers EAGAIN instead.
     *
     * Guarded by the owner's process lock; no method calls out.
     */

    /** The most queued instances of a process or LWP (FreeBSD max_pending_per_proc is 128). */
    static final int RTSIG_MAX = 128;

    private final SigInfo[] first = new SigInfo[Sig.NSIG];
    private final ArrayDeque<SigInfo> queued = new ArrayDeque<>(0);

    /** Signals whose every instance queues: the real-time ones. */
    static boolean queues(int sig) {
        return sig >= Sig.SIGRTMIN && sig <= Sig.SIGRTMAX;
    }

    /**
     * A child's report to its parent (from the kernel: exit, stop or continue): SIGCHLD, or the
     * parent signal of an RFLINUXTHPN child. Only the kernel sends CLD_* codes.
     */
    static boolean isChildReport(SigInfo info) {
        return info.code() >= Sig.CLD_EXITED && info.code() <= Sig.CLD_CONTINUED;
    }

    /**
     * Is there room for one more queued real-time instance? Child reports do not count: each
     * child has its own, as FreeBSD's preallocated p_ksi.
     */
    boolean hasRoom() {
        if (queued.size() < RTSIG_MAX) {
            return true;
        }
        int n = 0;
        for (SigInfo q : queued) {
            if (queues(q.signo())) {
                n++;
            }
        }
        return n < RTSIG_MAX;
    }

    /**
     * Record an instance of {@code info.signo()} being made pending; answers false if it was
     * dropped (a standard signal already pending; a queued one with no room left: the caller
     * still sets the pending bit, the delivery then makes up a siginfo).
     */
    boolean add(SigInfo info) {
        int sig = info.signo();
        if (isChildReport(info)) {
            for (Iterator<SigInfo> it = queued.iterator(); it.hasNext(); ) {
                SigInfo q = it.next();
                if (isChildReport(q) && q.pid() == info.pid()) {
                    replace(q, info);
                    return true;
                }
            }
            queued.addLast(info);
            return true;
        }
        if (queues(sig)) {
            if (!hasRoom()) {
                return false;
            }
            queued.addLast(info);
            return true;
        }
        if (has(sig)) {
            return false;
        }
        first[sig] = info;
        return true;
    }

    private void replace(SigInfo old, SigInfo info) {
        ArrayDeque<SigInfo> copy = new ArrayDeque<>(queued.size());
        for (SigInfo q : queued) {
            copy.addLast(q == old ? info : q);
        }
        queued.clear();
        queued.addAll(copy);
    }

    /** Does an instance of {@code sig} carry a siginfo here? */
    boolean has(int sig) {
        if (first[sig] != null) {
            return true;
        }
        for (SigInfo q : queued) {
            if (q.signo() == sig) {
                return true;
            }
        }
        return false;
    }

    /** The siginfo the next delivery of {@code sig} takes, without taking it; null if none. */
    SigInfo peek(int sig) {
        if (first[sig] != null) {
            return first[sig];
        }
        for (SigInfo q : queued) {
            if (q.signo() == sig) {
                return q;
            }
        }
        return null;
    }

    /** Take the next instance of {@code sig}; null if none carries a siginfo. */
    SigInfo take(int sig) {
        SigInfo i = first[sig];
        if (i != null) {
            first[sig] = null;
            return i;
        }
        for (Iterator<SigInfo> it = queued.iterator(); it.hasNext(); ) {
            SigInfo q = it.next();
            if (q.signo() == sig) {
                it.remove();
                return q;
            }
        }
        return null;
    }

    /** Drop every instance of the signals in {@code set}. */
    void discard(long set) {
        for (long s = set; s != 0; s &= s - 1) {
            first[SigSet.first(s)] = null;
        }
        if (!queued.isEmpty()) {
            queued.removeIf(q -> SigSet.has(set, q.signo()));
        }
    }

    /**
     * Withdraw the report of child {@code pid} (it has been reaped); answers the set of its
     * signals (SIGCHLD, or an RFLINUXTHPN child's) that no instance is left of.
     */
    long withdrawChild(int pid) {
        long gone = 0;
        for (Iterator<SigInfo> it = queued.iterator(); it.hasNext(); ) {
            SigInfo q = it.next();
            if (isChildReport(q) && q.pid() == pid) {
                it.remove();
                gone |= SigSet.bit(q.signo());
            }
        }
        for (long s = gone; s != 0; s &= s - 1) {
            if (has(SigSet.first(s))) {
                gone &= ~SigSet.bit(SigSet.first(s));
            }
        }
        return gone;
    }

    /** Queued instances (for tests and ps). */
    int queuedCount() {
        return queued.size();
    }
}
