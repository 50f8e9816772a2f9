package org.lwp4j;

/**
 * BSD {@code <sys/wait.h>}: the options of {@link Proc#wait} and {@link Proc#waitpid}, and the
 * one home of the wait status word's encoding ({@code W_EXITCODE}, {@code W_STOPCODE}, ...) and
 * decoding ({@link #WIFEXITED(int)} ...). Pure constants and functions.
 *
 * <p>The status word: exited: {@code (code & 0xff) << 8}; killed: the signal number in the low 7
 * bits; stopped: {@code (sig << 8) | 0x7f}; continued: {@code 0xffff}.
 */
public final class Wait {
    private Wait() {
    }

    /** Wait option: answer "none yet" instead of sleeping. */
    public static final int WNOHANG = 1;
    /** Wait option: report stopped children (same as {@link #WSTOPPED}). */
    public static final int WUNTRACED = 2;
    /** Wait option: report stopped children. */
    public static final int WSTOPPED = WUNTRACED;
    /** Wait option: report continued children. */
    public static final int WCONTINUED = 4;
    /** Wait option: report, but leave the child waitable (the same report can be had again). */
    public static final int WNOWAIT = 8;
    /** Wait option: report exited children (reaping them unless WNOWAIT). */
    public static final int WEXITED = 16;
    /**
     * Wait option: report only the children forked with {@link ProcFlags#LINUXTHPN} (whose parent signal
     * is not SIGCHLD), and none of the others.
     */
    public static final int WLINUXCLONE = 0x80000000;

    /** The wait option bits with their names, in the order {@link #optionNames} prints them. */
    private static final int[] WAIT_OPTION_BITS = {WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT, WLINUXCLONE};
    private static final String[] WAIT_OPTION_NAMES = {"WEXITED", "WSTOPPED", "WCONTINUED", "WNOHANG", "WNOWAIT",
        "WLINUXCLONE"};

    /**
     * The names of the wait option bits in {@code options}, joined with {@code |}
     * ({@code "WEXITED|WNOHANG"}); bits without a name are appended in hex ({@code "WNOHANG|0x40"});
     * no bits at all is {@code "0"}. Error messages of the wait calls print their options so.
     *
     * @param options wait option bits, as given to {@link Proc#wait(IdType, int, int)}
     * @return the names of the bits
     */
    public static String optionNames(int options) {
        StringBuilder sb = new StringBuilder();
        int rest = options;
        for (int i = 0; i < WAIT_OPTION_BITS.length; i++) {
            if ((rest & WAIT_OPTION_BITS[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(WAIT_OPTION_NAMES[i]);
                rest &= ~WAIT_OPTION_BITS[i];
            }
        }
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /** The low byte of a stopped status ({@code _WSTOPPED}). */
    private static final int WSTOPPED_LOW = 0x7f;
    /** The status of a continued child ({@code _WCONTINUED}). */
    private static final int WCONTINUED_WORD = 0xffff;

    // ------------------------------------------------------------------ encoders

    /**
     * {@code W_EXITCODE(code, 0)}: the status of a child that exited.
     *
     * @param code the exit code (its low 8 bits are kept)
     * @return the status word
     */
    public static int exitedStatus(int code) {
        return (code & 0xff) << 8;
    }

    /**
     * The status of a child terminated by a signal.
     *
     * @param sig the signal
     * @return the status word
     */
    public static int signaledStatus(int sig) {
        return sig & 0x7f;
    }

    /**
     * {@code W_STOPCODE(sig)}: the status of a stopped child.
     *
     * @param sig the stop signal
     * @return the status word
     */
    public static int stoppedStatus(int sig) {
        return (sig << 8) | WSTOPPED_LOW;
    }

    /**
     * The status of a continued child.
     *
     * @return the status word
     */
    public static int continuedStatus() {
        return WCONTINUED_WORD;
    }

    /**
     * The SIGCHLD / wait {@code si_code} of an exit status: {@link Sig#CLD_EXITED} or
     * {@link Sig#CLD_KILLED}.
     *
     * @param status an exit or termination status word
     * @return the code
     */
    public static int exitCode(int status) {
        return WIFEXITED(status) ? Sig.CLD_EXITED : Sig.CLD_KILLED;
    }

    /**
     * The SIGCHLD / wait {@code si_status} of an exit status: the exit code of a child that
     * exited, the terminating signal of one that was killed.
     *
     * @param status an exit or termination status word
     * @return the exit code or the signal number
     */
    public static int siStatus(int status) {
        return WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
    }

    // ------------------------------------------------------------------ decoders

    /**
     * @param status a status word
     * @return whether the child exited normally
     */
    public static boolean WIFEXITED(int status) {
        return (status & 0x7f) == 0;
    }

    /**
     * @param status the status of an exited child
     * @return the exit code (low 8 bits of what the child passed to exit)
     */
    public static int WEXITSTATUS(int status) {
        return (status >> 8) & 0xff;
    }

    /**
     * @param status a status word
     * @return whether the child was terminated by a signal
     */
    public static boolean WIFSIGNALED(int status) {
        int low = status & 0x7f;
        return low != 0 && low != WSTOPPED_LOW;
    }

    /**
     * @param status the status of a terminated child
     * @return the signal that terminated it
     */
    public static int WTERMSIG(int status) {
        return status & 0x7f;
    }

    /**
     * @param status a status word
     * @return whether the child is stopped
     */
    public static boolean WIFSTOPPED(int status) {
        return (status & 0xff) == WSTOPPED_LOW;
    }

    /**
     * @param status the status of a stopped child
     * @return the signal that stopped it
     */
    public static int WSTOPSIG(int status) {
        return (status >> 8) & 0xff;
    }

    /**
     * @param status a status word
     * @return whether the child was continued
     */
    public static boolean WIFCONTINUED(int status) {
        return status == WCONTINUED_WORD;
    }
}
