package org.lwp4j.signal;


/**
 * The signal state of one LWP beyond its mask and pending set ({@code KLwp.sigExt}), made on
 * first need. Guarded by the process's lock.
 */
final class LwpSig {
    /** siginfo of the LWP-pending signals' instances. */
    final SigQueue info = new SigQueue();
    /** A sender interrupted the LWP's thread to wake a blocking JDK call; cleared at delivery. */
    boolean interrupted;
}
