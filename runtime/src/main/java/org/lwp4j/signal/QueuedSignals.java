package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.SigInfo;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;

/**
 * {@code sigqueue(2)}: a signal with a value, queued per instance for the real-time signals
 * (FreeBSD {@code sys_sigqueue} / {@code kern_sigqueue}).
 */
public final class QueuedSignals {
    /*
     * As kill(pid > 0) with SI_QUEUE and the value in the siginfo. The instance goes through
     * SignalLayer.post like any other; SigQueue keeps it: every real-time instance is queued
     * (RTSIG_MAX = 128 per process, FreeBSD's max_pending_per_proc), a standard signal already
     * pending is dropped, its first siginfo kept. A real-time sigqueue that finds the queue
     * full answers EAGAIN and changes nothing; the check and the post hold the target's lock,
     * so no other sender can fill the last slot between them. kill of a real-time signal with
     * the queue full still makes it pending, without a siginfo of its own (FreeBSD does the same
     * when no ksiginfo can be had for SI_USER).
     */
    private QueuedSignals() {
    }

    public static void sigqueue(int pid, int sig, int value) {
        String call = "sigqueue(" + pid + ", " + sig + ", " + value + ")";
        KLwp me = SafePoints.curlwp(call);
        if (sig < 0 || sig >= NSIG) {
            throw new LwpException(Errno.EINVAL, call + ": not a signal");
        }
        if (pid <= 0) {
            throw new LwpException(Errno.EINVAL, call + ": sigqueue takes one pid > 0");
        }
        Kernel k = me.kernel;
        KProc self = me.proc;
        k.tree.lock();
        try {
            KProc p = k.findProc(pid);
            if (p == null || p.pstat() == KProc.SDEAD) {
                throw new LwpException(Errno.ESRCH, call);
            }
            if (!SignalCalls.canSignal(self, p, sig)) {
                throw new LwpException(Errno.EPERM, call);
            }
            if (sig == 0) {
                return;
            }
            ProcSig ps = p.sig;
            int tell;
            p.lock.lock();
            try {
                if (SigQueue.queues(sig) && p.pstat() == KProc.SACTIVE && !ps.info.hasRoom()) {
                    throw new LwpException(Errno.EAGAIN, call + ": " + SigQueue.RTSIG_MAX
                            + " queued signals already");
                }
                tell = SignalLayer.post(k, p, sig, new SigInfo(sig, SI_QUEUE, self.pid, self.uid, 0, value), null,
                        false);
            } finally {
                p.lock.unlock();
            }
            SignalLayer.tellParent(k, p, tell);
        } finally {
            k.tree.unlock();
        }
        SafePoints.curlwp("signal delivery"); // what the caller sent itself is delivered now
    }
}
