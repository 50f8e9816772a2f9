package org.lwp4j.signal;

import org.lwp4j.kern.KProc;

/**
 * The signal state of one process ({@code KProc.sig}), made with the process record. Every field
 * is guarded by the process's lock (p_lock) unless it says otherwise; {@code acts} is only
 * replaced before the process has LWPs (fork).
 */
public final class ProcSig {
    /** Dispositions, private or shared (SIGSHARE). */
    SigActs acts;
    /** Process-directed signals not yet taken by an LWP (NetBSD p_sigpend). */
    long pending;
    /** The subset of {@code pending} sent to a group or to all: re-posted to a child forked meanwhile. */
    long groupPending;
    /** siginfo of the process-pending signals' instances. */
    final SigQueue info = new SigQueue();
    /** LWPs of the process in sigwait / sigtimedwait (SigWait): only then can post keep an ignored signal. */
    int sigwaiters;
    /** The armed ITIMER_REAL, or null (Timers). */
    Timers.Itimer itimer;
    /** Bumped at every setitimer: an expiry of an older setting does nothing (Timers). */
    long itimerGen;
    /** SIGKILL was posted: LWPs created from now on are killed at once. */
    boolean killed;
    /** ... and it came from a group signal: a child forked meanwhile is killed too. */
    boolean groupKill;
    /** Stop and continue, and their reports for wait. */
    public final JobControl jobc;
    /**
     * Set while SIGCHLD is ignored or SA_NOCLDWAIT is set (by SigActs, for every sharer): this
     * process's exiting children then do not stay zombies. Volatile: the process layer reads it
     * at a child's exit without this process's lock.
     */
    public volatile boolean noCldWait;

    /**
     * The state of a new process, with default dispositions of its own (fork replaces them).
     *
     * @param p the new process record
     */
    public ProcSig(KProc p) {
        this.acts = new SigActs(p);
        this.jobc = new JobControl(p);
    }
}
