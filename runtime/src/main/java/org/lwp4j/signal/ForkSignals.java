package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.SigInfo;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;

/**
 * Signal state at fork (DragonFly fork1's signal part): the child's dispositions, and the group
 * signals, group stop and group kill it must not miss.
 */
public final class ForkSignals {
    /*
     * A group signal still pending on the parent (and not masked by the forking LWP), a group
     * stop in force and a group kill are posted to the child as well, so a child forked while its
     * group is signalled does not miss the signal (DragonFly and FreeBSD restart the fork
     * instead). The child's first LWP inherits the forking LWP's mask (SignalLayer.lwpCreated).
     */
    private ForkSignals() {
    }

    /**
     * At fork (tree lock held, the child has no running LWP): copy or share the
     * dispositions and carry over group signals the parent has not taken yet.
     */
    public static void fork(KProc parent, KProc child, boolean share) {
        Kernel k = parent.kernel;
        ProcSig pps = parent.sig;
        SigActs acts;
        long carry;
        SigInfo[] infos = new SigInfo[NSIG];
        boolean kill;
        int stopSig;
        parent.lock.lock();
        try {
            acts = pps.acts;
            KLwp forker = SafePoints.current();
            long mask = forker != null && forker.proc == parent ? forker.sigmask : 0;
            carry = pps.groupPending & ~mask;
            for (long s = carry; s != 0; s &= s - 1) {
                int sig = SigSet.first(s);
                infos[sig] = pps.info.peek(sig);
            }
            kill = pps.killed && pps.groupKill;
            stopSig = pps.jobc.groupStopSignal();
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
                ProcSig cps = child.sig;
                cps.acts = acts;
                if (kill) {
                    SignalLayer.post(k, child, SIGKILL, new SigInfo(SIGKILL, SI_USER, 0, 0), null, true);
                }
                for (long s = carry; s != 0; s &= s - 1) {
                    int sig = SigSet.first(s);
                    SigInfo i = infos[sig] != null ? infos[sig] : new SigInfo(sig, SI_USER, 0, 0);
                    SignalLayer.post(k, child, sig, i, null, true);
                }
                tell = stopSig != 0 ? SignalLayer.post(k, child, stopSig, new SigInfo(stopSig, SI_USER, 0, 0), null, true) : 0;
            } finally {
                child.lock.unlock();
            }
            SignalLayer.tellParent(k, child, tell);
        } finally {
            k.tree.unlock();
        }
    }
}
