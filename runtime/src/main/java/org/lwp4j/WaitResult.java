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
    /** siginfo code: the child exited ({@code CLD_EXITED}). */
    public static final int CLD_EXITED = 1;
    /** siginfo code: the child was killed by a signal ({@code CLD_KILLED}). */
    public static final int CLD_KILLED = 2;
    /** siginfo code: the child was killed and dumped core ({@code CLD_DUMPED}; never reported here). */
    public static final int CLD_DUMPED = 3;
    /** siginfo code: a traced child trapped ({@code CLD_TRAPPED}; never reported here). */
    public static final int CLD_TRAPPED = 4;
    /** siginfo code: the child stopped ({@code CLD_STOPPED}). */
    public static final int CLD_STOPPED = 5;
    /** siginfo code: the stopped child was continued ({@code CLD_CONTINUED}). */
    public static final int CLD_CONTINUED = 6;

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

    // ------------------------------------------------------------------ decoders (<sys/wait.h>)

    /**
     * The child exited normally.
     *
     * @param status a status word
     * @return whether it reports an exit
     */
    public static boolean WIFEXITED(int status) {
        return (status & 0x7f) == 0;
    }

    /**
     * The exit code (low 8 bits of what the child passed to exit).
     *
     * @param status a status word that reports an exit
     * @return the exit code, 0 to 255
     */
    public static int WEXITSTATUS(int status) {
        return (status >> 8) & 0xff;
    }

    /**
     * The child was terminated by a signal.
     *
     * @param status a status word
     * @return whether it reports a termination by a signal
     */
    public static boolean WIFSIGNALED(int status) {
        int low = status & 0x7f;
        return low != 0 && low != 0x7f;
    }

    /**
     * The signal that terminated the child.
     *
     * @param status a status word that reports a termination by a signal
     * @return the signal number
     */
    public static int WTERMSIG(int status) {
        return status & 0x7f;
    }

    /**
     * The child is stopped.
     *
     * @param status a status word
     * @return whether it reports a stop
     */
    public static boolean WIFSTOPPED(int status) {
        return (status & 0xff) == 0x7f;
    }

    /**
     * The signal that stopped the child.
     *
     * @param status a status word that reports a stop
     * @return the signal number
     */
    public static int WSTOPSIG(int status) {
        return (status >> 8) & 0xff;
    }

    /**
     * The child was continued.
     *
     * @param status a status word
     * @return whether it reports a continue
     */
    public static boolean WIFCONTINUED(int status) {
        return status == 0xffff;
    }

    /**
     * {@link #WIFEXITED} of this result (false for "none yet").
     *
     * @return whether the child exited normally
     */
    public boolean exited() {
        return !isNone() && WIFEXITED(status);
    }

    /**
     * {@link #WEXITSTATUS} of this result.
     *
     * @return the exit code, meaningful when {@link #exited()}
     */
    public int exitStatus() {
        return WEXITSTATUS(status);
    }

    /**
     * {@link #WIFSIGNALED} of this result.
     *
     * @return whether the child was terminated by a signal
     */
    public boolean signaled() {
        return WIFSIGNALED(status);
    }

    /**
     * {@link #WTERMSIG} of this result.
     *
     * @return the terminating signal, meaningful when {@link #signaled()}
     */
    public int termSig() {
        return WTERMSIG(status);
    }

    /**
     * {@link #WIFSTOPPED} of this result.
     *
     * @return whether this reports a stop
     */
    public boolean stopped() {
        return WIFSTOPPED(status);
    }

    /**
     * {@link #WSTOPSIG} of this result.
     *
     * @return the stopping signal, meaningful when {@link #stopped()}
     */
    public int stopSig() {
        return WSTOPSIG(status);
    }

    /**
     * {@link #WIFCONTINUED} of this result.
     *
     * @return whether this reports a continue
     */
    public boolean continued() {
        return WIFCONTINUED(status);
    }

    /**
     * The result for people: {@code WaitResult[pid=4, stopped by SIGSTOP, code=5, ...]}, signals
     * by name ({@link Signals#name}).
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        if (isNone()) {
            return "WaitResult[none yet]";
        }
        String what = exited() ? "exited " + exitStatus() : signaled() ? "killed by " + Signals.name(termSig())
                : stopped() ? "stopped by " + Signals.name(stopSig()) : continued() ? "continued"
                : "status 0x" + Integer.toHexString(status);
        return "WaitResult[pid=" + pid + ", " + what + ", code=" + code + ", uid=" + uid + ", rusage="
                + rusage + ", children=" + childrenRusage + (fault == null ? "" : ", fault=" + fault) + "]";
    }
}
