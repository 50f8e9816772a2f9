package org.lwp4j;

/**
 * What was delivered ({@code siginfo_t}): the signal ({@code si_signo}), a code ({@code si_code}:
 * {@link Sig#SI_USER}, {@link Sig#SI_LWP}, {@link Sig#SI_QUEUE}, {@link Sig#SI_TIMER},
 * {@code CLD_*} for SIGCHLD, or the kernel's code), the sending process and its uid (0 and 0 when
 * the runtime itself sent it; for SIGCHLD, the child), {@code si_status} and {@code si_value}.
 *
 * @param signo  the signal number
 * @param code   the {@code si_code}
 * @param pid    the sending process ({@code si_pid}), 0 for the runtime
 * @param uid    the sender's uid ({@code si_uid})
 * @param status {@code si_status}: for SIGCHLD, the child's exit status (CLD_EXITED), the signal
 *               that killed it (CLD_KILLED), stopped it (CLD_STOPPED), or SIGCONT
 *               (CLD_CONTINUED), as FreeBSD's {@code childproc_*}; 0 otherwise
 * @param value  {@code si_value.sival_int}: what {@link Signals#sigqueue} passed; 0 otherwise
 */
public record SigInfo(int signo, int code, int pid, int uid, int status, int value) {
    /**
     * A siginfo with no status and no value.
     *
     * @param signo the signal number
     * @param code  the {@code si_code}
     * @param pid   the sending process, 0 for the runtime
     * @param uid   the sender's uid
     */
    public SigInfo(int signo, int code, int pid, int uid) {
        this(signo, code, pid, uid, 0, 0);
    }
}
