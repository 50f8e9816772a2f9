package org.lwp4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;

/** Builds {@link Ps} snapshots from the kernel's tables. */
final class PsView {
    private PsView() {
    }

    static Ps snapshot(Kernel k) {
        List<Ps.Row> rows = new ArrayList<>();
        k.tree.lock();
        try {
            List<KProc> procs = k.procList();
            procs.sort(Comparator.comparingInt(p -> p.pid));
            for (KProc p : procs) {
                int ppid = p.parent == null ? 0 : p.parent.pid;
                List<KLwp> lwps = p.lwpList();
                lwps.sort(Comparator.comparingInt(l -> l.lid));
                char ps = procState(p, lwps);
                if (lwps.isEmpty()) {
                    rows.add(new Ps.Row(p.pid, ppid, p.pgid(), p.sid(), p.uid, ps, 0, null, "-", procName(k, p), 0));
                }
                for (KLwp l : lwps) {
                    Object wc = l.waitChannel();
                    rows.add(new Ps.Row(p.pid, ppid, p.pgid(), p.sid(), p.uid, ps, l.lid, Lwp.stateOf(l),
                            wc == null ? "-" : String.valueOf(wc), l.name(), l.cpuNanosSoFar()));
                }
            }
        } finally {
            k.tree.unlock();
        }
        return new Ps(List.copyOf(rows));
    }

    /**
     * BSD ps's process state letter. E and Z first; then R if an LWP runs (not asleep, not
     * stopped nor suspended), T when a job-control stop is in force or every live LWP is stopped
     * or suspended, else S: every live LWP sleeps, or none is left (init without an attached
     * thread). An LWP between its safe point and its sleep counts as running.
     */
    private static char procState(KProc p, List<KLwp> lwps) {
        switch (p.pstat()) {
            case KProc.SACTIVE:
                break;
            case KProc.SEXITING:
                return 'E';
            default:
                return 'Z';
        }
        boolean live = false, allHeld = true;
        for (KLwp l : lwps) {
            Lwp.State st = Lwp.stateOf(l);
            if (st == Lwp.State.RUNNING) {
                return 'R';
            }
            if (st == Lwp.State.SLEEPING) {
                allHeld = false;
                live = true;
            } else if (st == Lwp.State.STOPPED || st == Lwp.State.SUSPENDED) {
                live = true;
            }
        }
        return p.stopping || (live && allHeld) ? 'T' : 'S';
    }

    /** The name of a process row without LWPs: init, a zombie, or an exiting process. */
    private static String procName(Kernel k, KProc p) {
        if (p == k.init) {
            return "init";
        }
        return p.pstat() == KProc.SACTIVE ? "-" : p.pstat() == KProc.SEXITING ? "<exiting>" : "<defunct>";
    }
}
