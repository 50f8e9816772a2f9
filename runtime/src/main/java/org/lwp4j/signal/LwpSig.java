package org.lwp4j.signal;

import org.lwp4j.Sig;
import org.lwp4j.SigInfo;

/**
 * The signal state of one LWP beyond its mask and pending set ({@code KLwp.sig}), made on first
 * need. Guarded by the process's lock.
 */
public final class LwpSig {
    /** siginfo of each LWP-pending signal (index: signal number). */
    final SigInfo[] info = new SigInfo[Sig.NSIG];
    /** A sender interrupted the LWP's thread to wake a blocking JDK call; cleared at delivery. */
    boolean interrupted;

    LwpSig() {
    }
}
