package org.lwp4j;

/**
 * What {@link Proc#wait(IdType, int, int)} reports about one child: DragonFly {@code kern_wait}'s
 * pid, status word, {@code siginfo} (code and uid) and {@code __wrusage}.
 *
 * <p>A result with {@code pid == 0} is the WNOHANG answer "no child has anything to report yet"
 * ({@link #isNone()}); its other fields are zero.
 *
 * <p>The status word is BSD's {@code <sys/wait.h>} encoding, read with the static decoders
 * ({@link Wait#WIFEXITED(int)} ...) or the instance shortcuts ({@link #exited()} ...):
 * exited: {@code (code & 0xff) << 8}; killed: the signal number in the low 7 bits; stopped:
 * {@code (sig << 8) | 0x7f}; continued: {@code 0xffff}.
 *
 * @param pid            the child's pid, or 0 for "none yet"
 * @param status         the status word
 * @param code           siginfo code: {@link Sig#CLD_EXITED}, {@link Sig#CLD_KILLED},
 *                       {@link Sig#CLD_STOPPED} or {@link Sig#CLD_CONTINUED} (0 for "none yet")
 * @param uid            the child's uid (siginfo {@code si_uid})
 * @param rusage         CPU time of the child's own LWPs (zero for stop/continue reports)
 * @param childrenRusage CPU time of the children the child had reaped, recursively
 * @param fault          the uncaught Throwable that terminated the child with SIGABRT, or null
 */
public record WaitResult(int pid, int status, int code, int uid, Rusage rusage, Rusage childrenRusage,
                         Throwable fault) {
    private static final WaitResult NONE = new WaitResult(0, 0, 0, 0, Rusage.ZERO, Rusage.ZERO, null);

    /**
     * The WNOHANG "none yet" answer.
     *
     * @return the one result with pid 0 and every other field zero
     */
    public static WaitResult none() {
        return NONE;
    }

    /**
     * True for the WNOHANG answer "no child has anything to report yet".
     *
     * @return whether {@code pid == 0}
     */
    public boolean isNone() {
        return pid == 0;
    }

    /**
     * {@code si_signo} of the siginfo wait fills (FreeBSD {@code kern_wait6}).
     *
     * @return SIGCHLD (20), or 0 for "none yet"
     */
    public int signo() {
        return isNone() ? 0 : Sig.SIGCHLD;
    }

    /**
     * {@code si_status} of the siginfo wait fills.
     *
     * @return the exit status (CLD_EXITED), the signal that killed the child (CLD_KILLED), the
     *         signal that stopped it (CLD_STOPPED), or SIGCONT (CLD_CONTINUED); 0 for "none yet"
     */
    public int siStatus() {
        if (isNone()) {
            return 0;
        }
        if (Wait.WIFCONTINUED(status)) {
            return Sig.SIGCONT;
        }
        if (Wait.WIFSTOPPED(status)) {
            return Wait.WSTOPSIG(status);
        }
        return Wait.siStatus(status);
    }

    /**
     * {@link Wait#WIFEXITED} of this result (false for the "none yet" answer).
     *
     * @return whether the child exited normally
     */
    public boolean exited() {
        return !isNone() && Wait.WIFEXITED(status);
    }

    /**
     * {@link Wait#WEXITSTATUS} of this result.
     *
     * @return the exit code, meaningful when {@link #exited()}
     */
    public int exitStatus() {
        return Wait.WEXITSTATUS(status);
    }

    /**
     * {@link Wait#WIFSIGNALED} of this result.
     *
     * @return whether the child was terminated by a signal
     */
    public boolean signaled() {
        return Wait.WIFSIGNALED(status);
    }

    /**
     * {@link Wait#WTERMSIG} of this result.
     *
     * @return the terminating signal, meaningful when {@link #signaled()}
     */
    public int termSig() {
        return Wait.WTERMSIG(status);
    }

    /**
     * {@link Wait#WIFSTOPPED} of this result.
     *
     * @return whether this reports a stop
     */
    public boolean stopped() {
        return Wait.WIFSTOPPED(status);
    }

    /**
     * {@link Wait#WSTOPSIG} of this result.
     *
     * @return the stopping signal, meaningful when {@link #stopped()}
     */
    public int stopSig() {
        return Wait.WSTOPSIG(status);
    }

    /**
     * {@link Wait#WIFCONTINUED} of this result.
     *
     * @return whether this reports a continue
     */
    public boolean continued() {
        return Wait.WIFCONTINUED(status);
    }

    /**
     * The result for people: {@code WaitResult[pid=4, stopped by SIGSTOP, code=5, ...]}, signals
     * by name ({@link Sig#name}).
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        if (isNone()) {
            return "WaitResult[none yet]";
        }
        String what = exited() ? "exited " + exitStatus() : signaled() ? "killed by " + Sig.name(termSig())
                : stopped() ? "stopped by " + Sig.name(stopSig()) : continued() ? "continued"
                : "status 0x" + Integer.toHexString(status);
        return "WaitResult[pid=" + pid + ", " + what + ", code=" + code + ", uid=" + uid + ", rusage="
                + rusage + ", children=" + childrenRusage + (fault == null ? "" : ", fault=" + fault) + "]";
    }
}
