package org.lwp4j.signal;

import java.util.ArrayList;
import java.util.List;
import org.lwp4j.Sig;
import org.lwp4j.Disposition;
import org.lwp4j.kern.KProc;

/**
 * The dispositions of one or more processes (DragonFly {@code struct sigacts}): copied at fork,
 * or shared by every process forked with SIGSHARE from a sharer.
 */
final class SigActs {
    /*
     * The table is copy-on-write behind a volatile field: delivery and posting read it without
     * this object's lock; sigaction replaces it under the lock. The lock is a leaf: it is taken
     * with a process lock held (SA_RESETHAND at delivery), never the other way round.
     *
     * The sharers list names the processes that use this table, so that a change of SIGCHLD's
     * disposition updates ProcSig.noCldWait of each, and a newly ignored signal is discarded in
     * each. Processes that have exited are pruned whenever the list is read or grown, so it is
     * bounded by the live sharers plus those that exited since.
     */
    /** No disposition set: all default. Shared, never written (set() and copyFor() copy). */
    private static final Disposition[] ALL_DEFAULT = new Disposition[Sig.NSIG];
    private volatile Disposition[] acts = ALL_DEFAULT;
    private final List<KProc> sharers = new ArrayList<>(1);

    SigActs(KProc owner) {
        sharers.add(owner);
    }

    private SigActs(Disposition[] acts) {
        this.acts = acts;
    }

    Disposition get(int sig) {
        Disposition d = acts[sig];
        return d == null ? Disposition.DEFAULT : d;
    }

    /** A private copy for a forked child (its only sharer). */
    SigActs copyFor(KProc child) {
        SigActs c = new SigActs(acts.clone());
        c.sharers.add(child);
        child.sig.noCldWait = c.noCldWait();
        return c;
    }

    /** Sets the disposition and returns the old one; keeps noCldWait of every sharer right. */
    synchronized Disposition set(int sig, Disposition d) {
        Disposition[] a = acts.clone();
        Disposition old = a[sig] == null ? Disposition.DEFAULT : a[sig];
        a[sig] = d == Disposition.DEFAULT ? null : d;
        if (sig == Sig.SIGCHLD) {
            // Before the table is published: whoever sees the new SIGCHLD disposition (get()
            // takes no lock) also sees noCldWait follow it.
            boolean n = noCldWait(a);
            for (KProc p : sharers) {
                p.sig.noCldWait = n;
            }
        }
        acts = a;
        return old;
    }

    /** SA_RESETHAND at delivery: back to default, if the disposition is still {@code d}. */
    synchronized void resetHand(int sig, Disposition d) {
        if (acts[sig] == d) {
            set(sig, Disposition.DEFAULT);
        }
    }

    synchronized void addSharer(KProc p) {
        prune();
        sharers.add(p);
        p.sig.noCldWait = noCldWait();
    }

    /** The processes using this table now. */
    synchronized List<KProc> sharers() {
        prune();
        return new ArrayList<>(sharers);
    }

    private void prune() {
        sharers.removeIf(p -> p.pstat() == KProc.SZOMB || p.pstat() == KProc.SDEAD);
    }

    /** SIGCHLD ignored or SA_NOCLDWAIT: exiting children do not wait as zombies. */
    boolean noCldWait() {
        return noCldWait(acts);
    }

    private static boolean noCldWait(Disposition[] a) {
        Disposition d = a[Sig.SIGCHLD] == null ? Disposition.DEFAULT : a[Sig.SIGCHLD];
        return d.kind() == Disposition.Kind.IGNORE || (d.flags() & Sig.SA_NOCLDWAIT) != 0;
    }
}
