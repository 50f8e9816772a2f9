package org.lwp4j.proc;

import java.util.ArrayList;
import java.util.List;
import org.lwp4j.Sig;
import org.lwp4j.kern.KProc;
import org.lwp4j.signal.SignalLayer;

/**
 * The process groups one change of the tree may have orphaned (POSIX; DragonFly {@code fixjobc}
 * and {@code orphanpg}): the job-control counts that fall to 0 are collected while the change is
 * made, and the groups still orphaned when it is done are signalled. One per change, under the
 * tree lock.
 */
final class Orphans {
    private final List<Pgrp> dropped = new ArrayList<>(0);

    /** Count a qualifying member of g in or out; a count that falls to 0 is collected. */
    void adjust(Pgrp g, boolean entering) {
        if (entering) {
            g.jobc++;
        } else if (--g.jobc == 0) {
            dropped.add(g);
        }
    }

    /**
     * orphanpg: each collected group that is still orphaned and has a stopped member gets
     * SIGHUP, then SIGCONT, on every member that has not exited (tree lock held).
     */
    void signal() {
        for (Pgrp g : dropped) {
            if (g.jobc != 0) {
                continue; // counted in again by the same change (a reparent)
            }
            boolean stopped = false;
            for (KProc m : g.members) {
                stopped |= !m.isExiting() && m.stopping;
            }
            if (!stopped) {
                continue;
            }
            for (KProc m : new ArrayList<>(g.members)) {
                if (!m.isExiting()) {
                    SignalLayer.psignal(m, Sig.SIGHUP, Sig.SI_USER, null);
                    SignalLayer.psignal(m, Sig.SIGCONT, Sig.SI_USER, null);
                }
            }
        }
    }
}
