package org.lwp4j.signal;

/**
 * The signal state of one LWP beyond its mask and pending set ({@code KLwp.sig}), made on first
 * need. Guarded by the process's lock.
 */
public final class LwpSig {
    /** siginfo of the LWP-pending signals' instances. */
    final SigQueue info = new SigQueue();
    /** The set this LWP waits for in sigwait / sigtimedwait, 0 when not waiting. */
    long waitset;
    /** A sender interrupted the LWP's thread to wake a blocking JDK call; cleared at delivery. */
    boolean interrupted;

    LwpSig() {
    }
}
