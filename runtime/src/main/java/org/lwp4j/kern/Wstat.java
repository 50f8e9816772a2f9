package org.lwp4j.kern;

/** BSD wait status words ({@code <sys/wait.h>}). */
public final class Wstat {
    private Wstat() {
    }

    public static final int WSTOPPED_LOW = 0x7f;
    public static final int WCONTINUED_WORD = 0xffff;

    /** W_EXITCODE(ret, 0). */
    public static int exited(int code) {
        return (code & 0xff) << 8;
    }

    /** Terminated by a signal. */
    public static int signaled(int sig) {
        return sig & 0x7f;
    }

    /** W_STOPCODE(sig). */
    public static int stopped(int sig) {
        return (sig << 8) | WSTOPPED_LOW;
    }

    public static int continued() {
        return WCONTINUED_WORD;
    }

    /** {@code si_status} for an exit status word: the exit code, or the terminating signal. */
    public static int siStatus(int wstatus) {
        return (wstatus & 0x7f) == 0 ? (wstatus >> 8) & 0xff : wstatus & 0x7f;
    }
}
