package org.lwp4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;

/** Builds {@link Ps} snapshots from the kernel's tables. */
final class PsView {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private PsView() {
    }

    static Ps snapshot(Kernel k) {
        List<Ps.Row> rows = new ArrayList<>();
        k.tree.lock();
        try {
            List<KProc> procs = k.procList();
            procs.sort(Comparator.comparingInt(p -> p.pid));
            for (KProc p : procs) {
                char ps = procState(p);
                int ppid = p.parent == null ? 0 : p.parent.pid;
                List<KLwp> lwps = p.lwpList();
                lwps.sort(Comparator.comparingInt(l -> l.lid));
                if (lwps.isEmpty()) {
                    rows.add(new Ps.Row(p.pid, ppid, p.pgid(), p.sid(), p.uid, ps, 0, null, "-", "", 0));
                }
                for (KLwp l : lwps) {
                    Object wc = l.waitChannel();
                    rows.add(new Ps.Row(p.pid, ppid, p.pgid(), p.sid(), p.uid, ps, l.lid, Lwp.stateOf(l),
                            wc == null ? "-" : String.valueOf(wc), l.name(), cpu(l)));
                }
            }
        } finally {
            k.tree.unlock();
        }
        return new Ps(List.copyOf(rows));
    }

    private static char procState(KProc p) {
        switch (p.pstat()) {
            case KProc.SACTIVE:
                return p.stopping ? 'T' : 'R';
            case KProc.SEXITING:
                return 'E';
            default:
                return 'Z';
        }
    }

    private static long cpu(KLwp l) {
        Thread t = l.thread();
        if (t == null || !MX.isThreadCpuTimeSupported()) {
            return -1;
        }
        if (l.stat() == KLwp.LSZOMB || l.stat() == KLwp.LSDEAD || !t.isAlive()) {
            return l.cpuNanos();
        }
        long n = MX.getThreadCpuTime(t.getId());
        return n < 0 ? -1 : n;
    }
}
