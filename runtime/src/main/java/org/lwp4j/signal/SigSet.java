package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import org.lwp4j.Disposition;

/**
 * Signal sets (a long, bit {@code n - 1} for signal {@code n}) and each signal's default action
 * (BSD's {@code sigprop} table).
 */
final class SigSet {
    private SigSet() {
    }

    /** Every valid signal, 1 .. NSIG - 1. */
    static final long ALL = -1L >>> (65 - NSIG);
    /** Signals that cannot be masked, caught or ignored. */
    static final long CANTMASK = bit(SIGKILL) | bit(SIGSTOP);
    /** Signals whose default action is to stop the process. */
    static final long STOPSIGS = bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU);
    /** Signals whose default action is to ignore them (SIGCONT also continues, when sent). */
    static final long DFL_IGNORE = bit(SIGURG) | bit(SIGCONT) | bit(SIGCHLD) | bit(SIGIO) | bit(SIGWINCH)
            | bit(SIGINFO);
    /** The disposition flags sigaction accepts. */
    static final int SA_KNOWN = SA_RESTART | SA_RESETHAND | SA_NOCLDSTOP | SA_NODEFER | SA_NOCLDWAIT;

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static boolean valid(int sig) {
        return sig >= 1 && sig < NSIG;
    }

    static boolean has(long set, int sig) {
        return (set & bit(sig)) != 0;
    }

    /** The lowest-numbered signal of a non-empty set. */
    static int first(long set) {
        return Long.numberOfTrailingZeros(set) + 1;
    }

    static boolean isStop(int sig) {
        return has(STOPSIGS, sig);
    }

    /** Whether the default action of {@code sig} is to terminate the process. */
    static boolean defaultTerminates(int sig) {
        return !has(STOPSIGS | DFL_IGNORE, sig);
    }

    /** Is {@code sig} discarded under {@code act} (init also discards what would end or stop it)? */
    static boolean ignored(Disposition act, int sig, boolean init) {
        switch (act.kind()) {
            case IGNORE:
                return true;
            case DEFAULT:
                return init || SigSet.has(SigSet.DFL_IGNORE, sig);
            default:
                return false;
        }
    }

    /** Does taking {@code sig} need a blocked JDK call woken (handler or terminate)? */
    static boolean wakes(Disposition act, int sig) {
        return act.kind() == Disposition.Kind.HANDLER
                || (act.kind() == Disposition.Kind.DEFAULT && SigSet.defaultTerminates(sig));
    }
}
