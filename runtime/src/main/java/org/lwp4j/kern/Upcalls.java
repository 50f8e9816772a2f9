package org.lwp4j.kern;

import org.lwp4j.proc.PState;

/**
 * What a kernel asks of the layers above it (the signal and process layers): one object per
 * kernel, given to its constructor and held in a final field. The kernel owns the mechanism
 * (tables, LWP life cycle, safe points, the exit election); these calls are the policy it cannot
 * decide alone. Each says which locks the kernel holds when it calls.
 */
public interface Upcalls {
    /**
     * The per-process state of the process layer for a new record, made while the record is
     * built (no lock held, the record not yet visible). Init's is made during the kernel's
     * construction, before anything else runs.
     *
     * @param p the new record
     * @return its process-layer state
     */
    PState newProcState(KProc p);

    /**
     * A new LWP record, not yet visible nor started ({@code l.proc.lock} held): inherit the
     * creating LWP's signal mask ({@link SafePoints#current()} is the creator, null for an
     * attached thread) and pick up signals already pending on the process.
     *
     * @param l the new LWP
     */
    void lwpCreated(KLwp l);

    /**
     * Deliver every deliverable signal to the calling LWP {@code l} at its safe point (no lock
     * held); may end the LWP with {@link org.lwp4j.LwpExit}.
     *
     * @param l the calling LWP
     */
    void deliverSignals(KLwp l);

    /**
     * {@code l} stopped, or ended while its process was stopping: if no live LWP of the process
     * runs any more, the stop is complete and is reported once (no lock held).
     *
     * @param l the LWP that stopped or ended
     */
    void lwpStopped(KLwp l);

    /**
     * An uncaught Throwable ended the body of the calling LWP {@code l} (no lock held).
     *
     * @param l the LWP
     * @param t what it threw
     */
    void fault(KLwp l, Throwable t);

    /**
     * The process part of exit1, run by the exit master once every other LWP is gone (no lock
     * held): hooks, resources, reparenting, the zombie, the parent's SIGCHLD.
     *
     * @param master  the LWP performing the exit
     * @param p       its process
     * @param wstatus the wait status the process exits with
     */
    void exited(KLwp master, KProc p, int wstatus);

    /**
     * Whether a pid still names a process group or a session, so that it is not handed out
     * again (tree lock held).
     *
     * @param pid a candidate pid
     * @return true if it is in use as a group or session id
     */
    boolean pidInUse(int pid);
}
