package org.lwp4j.proc;

import org.lwp4j.ExitHook;
import java.util.ArrayList;
import java.util.List;
import org.lwp4j.LwpException;
import org.lwp4j.Rusage;
import org.lwp4j.kern.Events;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.signal.SignalLayer;
import org.lwp4j.Sig;
import org.lwp4j.Wait;

/**
 * The process layer's part of exit: DragonFly {@code exit1} after {@code killalllwps}.
 */
public final class Exit {
    /*
     * Implementation overview.
     *
     * Kernel.exit1 elects the master (the first LWP to move the process out of SACTIVE; a racing
     * second exit only ends its own LWP), kills every other LWP at its safe point and waits for
     * them. Then it calls exited() here, on the master, with no lock held. In DragonFly's order:
     *
     *  1. A leader (RFTHREAD) kills its peers (SIGKILL at their safe points: posted directly, so
     *     it works with or without the signal layer) and waits until each has left its peer list
     *     (uninterruptibly, as tsleep without PCATCH; re-checking every 50 ms for a peer forked
     *     meanwhile, and for the supervisor closing, which ends processes without this path).
     *  2. The at-exit hooks run (exit_list), then the resource table is released (fdfree):
     *     entries held by no other table are closed. Exceptions from either are kept in the
     *     process record, not thrown: the exit goes on.
     *  3. Under the tree lock, in one step so waiters never see a half-exited process: a peer
     *     leaves its leader's list; a PPWAIT parent is released; a session leader stops being
     *     one; the process becomes a zombie; it gives up its reaper node (reaper_exit); its
     *     children go to the nearest live reaper (reaper_get: init at the root), zombies among
     *     them into that reaper's zombie queue, each with a SIGCHLD to that reaper (FreeBSD; not
     *     DragonFly); if its parent ignores SIGCHLD or set NOCLDWAIT
     *     (KProc.noCldWait, kept by the signal layer), the zombie itself goes to the reaper (which
     *     can be the parent itself). The zombie then joins its parent's zombie queue and the
     *     parent's CH_CHILD is broadcast; a zombie whose parent is init is reaped at once (init
     *     reaps its children, as a real init does), so init never collects zombies.
     *  4. The parent is signalled (SIGCHLD with CLD_EXITED or CLD_KILLED, si_status the exit
     *     code or signal) through the signal layer's psignal, still under the tree lock, so no
     *     waiter can reap the zombie before its SIGCHLD is queued (DragonFly's order).
     *  5. AST_EXIT is posted to the master itself: whatever runtime call its unwinding body makes
     *     from a finally block ends at once with LwpExit, so a zombie runs no more user code that
     *     calls in.
     *
     * The rusage of the zombie (CPU time of its LWPs) is complete only once its last LWP has left
     * (Kernel.lwpExit adds each LWP's time as it goes); kern_wait waits for that, as DragonFly
     * waits for p_nthreads to reach 0 before reaping.
     */
    static final Object CH_PEERS = org.lwp4j.kern.Channel.PEERS;

    private Exit() {
    }

    /** An uncaught Throwable in an LWP body: terminate the process with SIGABRT. */
    static void fault(KLwp l, Throwable t) {
        try {
            l.kernel.exits.exit1(l, Wait.signaledStatus(Sig.SIGABRT));
        } catch (LwpException e) {
            // init cannot exit: its LWP just ends
        }
    }

    static void exited(ProcLayer L, KLwp master, KProc p, int wstatus) {
        Kernel k = L.kernel;
        PState s;
        List<KProc> peers = List.of();
        k.tree.lock();
        try {
            s = p.ps;
            s.xstat = wstatus;
            s.fault = master.fault();
            if (s.leader == p && s.peers != null && !s.peers.isEmpty()) {
                peers = new ArrayList<>(s.peers);
            }
        } finally {
            k.tree.unlock();
        }
        if (!peers.isEmpty()) {
            killPeers(k, master, p, s, peers);
        }
        List<Throwable> errors = new ArrayList<>(0);
        for (ExitHook h : L.exitHooks) {
            try {
                h.exiting(p.pid, wstatus);
            } catch (Throwable t) {
                errors.add(t);
            }
        }
        errors.addAll(s.resources.release());
        KProc pp;
        int sig;
        k.tree.lock();
        try {
            s.exitErrors = errors;
            becomeZombie(L, p, s);
            pp = p.parent;
            sig = s.sigparent;
            // DragonFly exit1's order: the parent is signalled before the zombie can be reaped
            // (a waiter claims it under the tree lock), so a reap always finds the SIGCHLD
            // report it withdraws
            SignalLayer.psignal(pp, sig, Wait.exitCode(wstatus), p, Wait.siStatus(wstatus));
        } finally {
            k.tree.unlock();
        }
        Events.procExit(p, wstatus);
        master.post(KLwp.AST_EXIT);
    }

    /**
     * Kill the peers and wait until every one has left the list. A peer may fork a new peer
     * meanwhile: each round kills whatever is on the list and not yet killed, and the sleep
     * re-checks every 50 ms (a fork does not broadcast the leader's channel).
     */
    private static void killPeers(Kernel k, KLwp master, KProc p, PState s, List<KProc> first) {
        java.util.Set<KProc> killed = new java.util.HashSet<>();
        List<KProc> toKill = first;
        for (;;) {
            for (KProc q : toKill) {
                if (killed.add(q)) {
                    SignalLayer.psignal(q, Sig.SIGKILL, Sig.SI_USER, null);
                }
            }
            k.tree.lock();
            try {
                while (!s.peers.isEmpty() && killed.containsAll(s.peers) && !k.isClosed()) {
                    p.cvWaitUntil(master, CH_PEERS, k.tree, k.cfg.clock().getAsLong() + Fork.CLOSE_POLL_NANOS);
                }
                if (s.peers.isEmpty() || k.isClosed()) {
                    return;
                }
                toKill = new ArrayList<>(s.peers);
            } finally {
                k.tree.unlock();
            }
        }
    }

    /** Step 3 of the overview (tree lock held). */
    private static void becomeZombie(ProcLayer L, KProc p, PState s) {
        Kernel k = L.kernel;
        if (s.leader != p) {
            PState ls = s.leader.ps;
            if (ls.peers != null) {
                ls.peers.remove(p);
            }
            s.leader.broadcast(CH_PEERS);
        }
        if (s.ppwaitParent != null) {
            KProc w = s.ppwaitParent;
            s.ppwaitParent = null;
            w.broadcast(KProc.CH_PPWAIT);
        }
        if (s.pgrp != null && s.pgrp.session.leader == p) {
            s.pgrp.session.leader = null;
        }
        // fixjobc(p, pgrp, 0): p no longer qualifies its group; its live children stop
        // qualifying theirs through p as reparent moves them (and may qualify them again
        // through the reaper). Groups orphaned by it all are signalled at the end.
        Orphans dropped = new Orphans();
        if (s.pgrp != null) {
            Groups.count(p.parent, s.pgrp, false, dropped);
        }
        s.jobcOut = true;
        p.setPstat(KProc.SZOMB);
        Reaper reap = Reapers.exit(s);
        KProc reproc = null;
        if (!p.children.isEmpty()) {
            reproc = reaperOrInit(k, reap);
            for (KProc c : new ArrayList<>(p.children)) {
                if (reparent(L, c, reproc, dropped) && reproc != k.init) {
                    // FreeBSD exit1: the reaper is told of each zombie it adopts, before it can
                    // reap it (psignal under the tree lock, which a waiter needs to claim it)
                    int x = c.ps.xstat;
                    SignalLayer.psignal(reproc, Sig.SIGCHLD, Wait.exitCode(x), c, Wait.siStatus(x));
                }
            }
            reproc.broadcast(KProc.CH_CHILD);
        }
        dropped.signal();
        KProc pp = p.parent;
        if (pp.sig.noCldWait) {
            if (reproc == null) {
                reproc = reaperOrInit(k, reap);
            }
            if (reproc != pp) {
                pp.ps.dropChild(p);
                p.parent = reproc;
                reproc.children.add(p);
                s.sigparent = Sig.SIGCHLD;
                pp.broadcast(KProc.CH_CHILD); // its waiters re-check: maybe no child is left (ECHILD)
            }
        }
        if (reap != null) {
            Reapers.drop(reap);
        }
        pp = p.parent;
        if (pp == k.init) {
            reapNow(L, pp, p);
        } else {
            pp.ps.zombiesOf(s).add(p);
            pp.broadcast(KProc.CH_CHILD);
        }
    }

    private static KProc reaperOrInit(Kernel k, Reaper reap) {
        KProc r = Reapers.get(reap);
        return r != null ? r : k.init;
    }

    /**
     * proc_reparent: c becomes a child of np; a zombie moves to np's queue; a live c's group
     * is counted out through its old parent and in through the new one (tree lock held).
     * Answers whether c was a queued zombie.
     */
    static boolean reparent(ProcLayer L, KProc c, KProc np, Orphans dropped) {
        KProc op = c.parent;
        Pgrp cg = c.ps.pgrp;
        if (!c.ps.jobcOut && cg != null) {
            Groups.count(op, cg, false, dropped);
            Groups.count(np, cg, true, dropped);
        }
        boolean zombie = op.ps.dropChild(c);
        c.parent = np;
        np.children.add(c);
        c.ps.sigparent = Sig.SIGCHLD;
        if (zombie) {
            if (np == L.kernel.init) {
                reapNow(L, np, c);
            } else {
                np.ps.zombies.add(c);
            }
        }
        return zombie;
    }

    /**
     * Reap zombie z of parent at once, without waiting for its last LWP (init's automatic reap):
     * the CPU time of an LWP that has not left yet is not counted (tree lock held). The parent's
     * waiters are woken to look again: an LWP of init asleep in a wait for z now answers ECHILD
     * (or reaps another child); without the wake it would sleep for good.
     */
    static void reapNow(ProcLayer L, KProc parent, KProc z) {
        PState ps = parent.ps;
        ps.dropChild(z);
        PState zs = z.ps;
        z.lock.lock();
        try {
            Rusage ru = z.rusage();
            ps.cruCpuNanos += ru.cpuNanos() + zs.cruCpuNanos;
            ps.cruUserNanos += ru.userNanos() + zs.cruUserNanos;
        } finally {
            z.lock.unlock();
        }
        release(L, z, zs);
        parent.broadcast(KProc.CH_CHILD);
    }

    /** The last of a reaped process: out of its group and the process table (tree lock held). */
    static void release(ProcLayer L, KProc z, PState zs) {
        Groups.leave(L, z, zs);
        L.kernel.removeProc(z);
        z.setPstat(KProc.SDEAD);
    }
}
