package org.lwp4j;

/**
 * What {@link Proc#wait(IdType, int, int)} reports about one child: DragonFly {@code kern_wait}'s
 * pid, status word, {@code siginfo} (code and uid) and {@code __wrusage}.
 *
 * <p>A result with {@code pid == 0} is the WNOHANG answer "no child has anything to report yet"
 * ({@link #isNone()}); its other fields are zero.
 *
 * <p>The status word is BSD's {@code <sys/wait.h>} encoding, read with the static decoders
 * ({@link #WIFEXITED(int)} ...) or the instance shortcuts ({@link #exited()} ...):
 * exited: {@code (code & 0xff) << 8}; killed: the signal number in the low 7 bits; stopped:
 * {@code (sig << 8) | 0x7f}; continued: {@code 0xffff}.
 *
 * @param pid            the child's pid, or 0 for "none yet"
 * @param status         the status word
 * @param code           siginfo code: {@link #CLD_EXITED}, {@link #CLD_KILLED},
 *                       {@link #CLD_STOPPED} or {@link #CLD_CONTINUED} (0 for "none yet")
 * @param uid            the child's uid (siginfo {@code si_uid})
 * @param rusage         CPU time of the child's own LWPs (zero for stop/continue reports)
 * @param childrenRusage CPU time of the children the child had reaped, recursively
 * @param fault          the uncaught Throwable that terminated the child with SIGABRT, or null
 */
public record WaitResult(int pid, int status, int code, int uid, Rusage rusage, Rusage childrenRusage,
                         Throwable fault) {
    /** siginfo codes for SIGCHLD and wait ({@code CLD_*}). */
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4,
            CLD_STOPPED = 5, CLD_CONTINUED = 6;

    private static final WaitResult NONE = new WaitResult(0, 0, 0, 0, Rusage.ZERO, Rusage.ZERO, null);

    /** The WNOHANG "none yet" answer. */
    public static WaitResult none() {
        return NONE;
    }

    /** True for the WNOHANG answer "no child has anything to report yet". */
    public boolean isNone() {
        return pid == 0;
    }

    // ------------------------------------------------------------------ decoders (<sys/wait.h>)

    /** The child exited normally. */
    public static boolean WIFEXITED(int status) {
        return (status & 0x7f) == 0;
    }

    /** The exit code (low 8 bits of what the child passed to exit). */
    public static int WEXITSTATUS(int status) {
        return (status >> 8) & 0xff;
    }

    /** The child was terminated by a signal. */
    public static boolean WIFSIGNALED(int status) {
        int low = status & 0x7f;
        return low != 0 && low != 0x7f;
    }

    /** The signal that terminated the child. */
    public static int WTERMSIG(int status) {
        return status & 0x7f;
    }

    /** The child is stopped. */
    public static boolean WIFSTOPPED(int status) {
        return (status & 0xff) == 0x7f;
    }

    /** The signal that stopped the child. */
    public static int WSTOPSIG(int status) {
        return (status >> 8) & 0xff;
    }

    /** The child was continued. */
    public static boolean WIFCONTINUED(int status) {
        return status == 0xffff;
    }

    /** {@code si_signo} of the siginfo wait fills: SIGCHLD (20), or 0 for "none yet" (FreeBSD {@code kern_wait6}). */
    public int signo() {
        return isNone() ? 0 : Signals.SIGCHLD;
    }

    /**
     * {@code si_status}: the exit status (CLD_EXITED), the signal that killed the child
     * (CLD_KILLED), the signal that stopped it (CLD_STOPPED), or SIGCONT (CLD_CONTINUED); 0 for
     * "none yet".
     */
    public int siStatus() {
        if (isNone()) {
            return 0;
        }
        if (WIFCONTINUED(status)) {
            return Signals.SIGCONT;
        }
        if (WIFSTOPPED(status)) {
            return WSTOPSIG(status);
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
    }

    public boolean exited() {
        return !isNone() && WIFEXITED(status);
    }

    public int exitStatus() {
        return WEXITSTATUS(status);
    }

    public boolean signaled() {
        return WIFSIGNALED(status);
    }

    public int termSig() {
        return WTERMSIG(status);
    }

    public boolean stopped() {
        return WIFSTOPPED(status);
    }

    public int stopSig() {
        return WSTOPSIG(status);
    }

    public boolean continued() {
        return WIFCONTINUED(status);
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "WaitResult[none yet]";
        }
        String what = exited() ? "exited " + exitStatus() : signaled() ? "killed by " + termSig()
                : stopped() ? "stopped by " + stopSig() : continued() ? "continued" : "status " + status;
        return "WaitResult[pid=" + pid + ", " + what + ", code=" + code + ", uid=" + uid + ", rusage="
                + rusage + ", children=" + childrenRusage + (fault == null ? "" : ", fault=" + fault) + "]";
    }
}
