package org.lwp4j.kern;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;

/**
 * DragonFly {@code exit1}'s first part and {@code killalllwps}: the election of the one LWP that
 * performs a process exit, and the kill round that ends every other LWP at its safe point.
 */
public final class ProcExit {
    /*
     * Implementation overview.
     *
     * The first LWP to move the process from SACTIVE to SEXITING under p.lock is the master; a
     * second exit finds SEXITING and only ends its own LWP (EALREADY inside the kernel, false
     * here). The master posts AST_EXIT to every other live LWP, interrupts their threads so
     * that blocking JDK calls return, and waits, uninterruptibly, until it is the only live one.
     * Then, with no lock held, the process layer does the rest (Upcalls.exited).
     *
     * A foreign (attached) thread cannot be made to unwind: its LWP ends at once in the kill
     * round, and the thread learns it (LwpExit) at its next call into the runtime.
     */
    private final Kernel k;

    ProcExit(Kernel k) {
        this.k = k;
    }

    /**
     * Become the master of the process exit, kill every other LWP at its safe point and wait
     * until they are gone, then run the process layer's exit work. No lock held on entry.
     *
     * @param me      the calling LWP
     * @param wstatus the wait status the process exits with
     * @return false if another LWP is already exiting the process (the caller just ends its LWP)
     * @throws LwpException EPERM for init, which cannot exit
     */
    public boolean exit1(KLwp me, int wstatus) {
        KProc p = me.proc;
        if (p == k.init) {
            throw new LwpException(Errno.EPERM, "exit: init cannot exit");
        }
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                return false;
            }
            p.pstat = KProc.SEXITING;
            if (me.fault != null) {
                p.exitFaulted = me; // the cause of the others' LwpExit (Faults)
            }
            killOthers(p, me);
            while (p.nlive > (me.isLive() ? 1 : 0)) {
                p.cvWait(me, KProc.CH_LWP, p.lock);
            }
            Object[] s = p.lwps.slots();
            for (int i = 0; i < s.length; i++) {
                KLwp t = LidTable.at(s, i);
                if (t != null && t != me && t.stat == KLwp.LSZOMB && t.attachedThread) {
                    t.setStat(KLwp.LSDEAD);
                    p.lwps.remove(t.lid, t);
                }
            }
        } finally {
            p.lock.unlock();
        }
        k.up.exited(me, p, wstatus);
        return true;
    }

    /**
     * killalllwps: post AST_EXIT to every live LWP of p but {@code me} (null: all of them, as
     * close does). Caller holds p.lock.
     */
    void killOthers(KProc p, KLwp me) {
        Object[] s = p.lwps.slots();
        for (int i = 0; i < s.length; i++) {
            KLwp t = LidTable.at(s, i);
            if (t == null || t == me || !t.isLive()) {
                continue;
            }
            t.post(KLwp.AST_EXIT);
            if (t.attachedThread) {
                t.setStat(KLwp.LSDEAD);
                p.nlive--;
                p.lwps.remove(t.lid, t);
                k.lifecycle.killedAttached();
                p.checkLwpsGone();
            } else {
                t.thread.interrupt();
            }
        }
        p.broadcast(KProc.CH_SUSPEND);
        p.broadcast(KProc.CH_LWP);
    }
}
