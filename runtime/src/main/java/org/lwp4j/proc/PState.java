package org.lwp4j.proc;

import java.util.LinkedHashSet;
import java.util.Set;
import org.lwp4j.kern.KProc;
import org.lwp4j.Sig;

/**
 * The process layer's part of a process record ({@code KProc.ps}), made with the record. Every
 * field is guarded by the kernel's tree lock, except {@code resources} and {@code storage}, which
 * are set once before the process's first LWP starts (fork, attach) and are thread-safe objects
 * of their own.
 */
public final class PState {
    final ProcLayer layer;
    final KProc proc;

    /** Process group (and through it the session): the one source of the pgid and sid. */
    Pgrp pgrp;
    /** p_reaper: the reaper node this process belongs to (holds one reference); null once exited. */
    Reaper reaper;
    /**
     * p_reapsubtree: the pid of the reaper's child this process was forked below (its own pid
     * for a child of its reaper), recorded at fork and kept when it is reparented to the reaper
     * as an orphan. Reset for the descendants of a process that acquires or gives up a reaper
     * node (Reapers.acquire / abandon).
     */
    int reapSubtree;
    /** p_leader: the leader of this process's RFTHREAD group (itself when not a peer). */
    KProc leader;
    /** p_peers, on a leader: its live peers. */
    Set<KProc> peers;
    Resources resources;
    Storage storage;

    /**
     * Zombie children not yet claimed by a waiter, oldest first. A wait for any child takes the
     * head, so reaping costs O(1) per child whatever the number of children.
     */
    final Set<KProc> zombies = new LinkedHashSet<>();
    /**
     * The same for children whose parent signal is not SIGCHLD (forked with RFLINUXTHPN): only
     * a WLINUXCLONE wait sees them, and it sees nothing else (DragonFly kern_wait).
     */
    final Set<KProc> cloneZombies = new LinkedHashSet<>();
    /** Children whose parent signal is not SIGCHLD, zombies included until claimed. */
    int cloneChildren;

    /**
     * Set when exit counted this process out of its group's job-control count (fixjobc at
     * exit, in becomeZombie): from then on it neither qualifies its group nor is moved in or
     * out of the count by a reparent or a parent's group move. isExiting() is not the same:
     * it holds from exit1's start, long before (the other LWPs, the at-exit hooks).
     */
    boolean jobcOut;

    /**
     * The signal the parent gets at exit (p_sigparent): SIGCHLD, or SIGUSR1 for a child forked
     * with RFLINUXTHPN. Reset to SIGCHLD when the process is reparented.
     */
    int sigparent = Sig.SIGCHLD;

    /** A child of the RFLINUXTHPN kind: its parent signal is not SIGCHLD. */
    boolean linuxClone() {
        return sigparent != Sig.SIGCHLD;
    }

    /** This parent's queue of unclaimed zombies of child {@code c}'s kind. */
    Set<KProc> zombiesOf(PState c) {
        return c.linuxClone() ? cloneZombies : zombies;
    }

    /**
     * Child c leaves this parent's children (reaped, claimed, reparented, or fork undone): drop
     * it from the child list, the zombie queue of its kind and the clone count (tree lock held).
     * Answers whether it was a queued zombie.
     */
    boolean dropChild(KProc c) {
        PState cs = c.ps;
        proc.children.remove(c);
        if (cs.linuxClone()) {
            cloneChildren--;
        }
        return zombiesOf(cs).remove(c);
    }
    /** RFPPWAIT: the process whose forking LWP waits for this one to exit; null when none. */
    KProc ppwaitParent;

    // Set at exit.
    /** The wait status (p_xstat). */
    int xstat;
    /** The uncaught Throwable that terminated the process (SIGABRT), or null. */
    Throwable fault;
    /** Errors thrown by resource close() or at-exit hooks during exit (kept for diagnosis). */
    java.util.List<Throwable> exitErrors = java.util.List.of();

    /** Reaped children's CPU time, ns (p_cru). */
    long cruCpuNanos, cruUserNanos;

    PState(ProcLayer layer, KProc proc) {
        this.layer = layer;
        this.proc = proc;
    }

    /**
     * The process group id (0 before the process joins a group).
     *
     * @return the pgid
     */
    public int pgid() {
        Pgrp g = pgrp;
        return g == null ? 0 : g.pgid;
    }

    /**
     * The session id (0 before the process joins a group).
     *
     * @return the sid
     */
    public int sid() {
        Pgrp g = pgrp;
        return g == null ? 0 : g.session.sid;
    }

    /** Does this process own its reaper node (is it a reaper)? */
    boolean ownsReaper() {
        return reaper != null && reaper.p == proc;
    }
}
