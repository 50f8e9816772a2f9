package org.lwp4j.signal;


/**
 * The signal state of one process ({@code KProc.sigExt}). Every field is guarded by the
 * process's lock (p_lock); {@code acts} is only replaced before the process has LWPs (fork).
 */
final class ProcSig {
    /** Dispositions, private or shared (SIGSHARE). */
    SigActs acts;
    /** Process-directed signals not yet taken by an LWP (NetBSD p_sigpend). */
    long pending;
    /** The subset of {@code pending} sent to a group or to all: re-posted to a child forked meanwhile. */
    long groupPending;
    /** siginfo of the process-pending signals' instances. */
    final SigQueue info = new SigQueue();
    /** The signal that stopped (or is stopping) the process, while p.stopping. */
    int stopSignal;
    /** The current stop has been reported to the parent (cleared by a continue). */
    boolean stopReported;
    /** The current stop came from a group signal: a child forked meanwhile stops too. */
    boolean groupStop;
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

    ProcSig(SigActs acts) {
        this.acts = acts;
    }
}
