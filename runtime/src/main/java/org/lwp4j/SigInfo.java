package org.lwp4j;

/**
 * What was delivered: the signal, a code ({@link Sig#SI_USER}, {@link Sig#SI_LWP}, {@code CLD_*}
 * for SIGCHLD, or the kernel's code), and the sending process and its uid (0 and 0 when the
 * runtime itself sent it).
 *
 * @param signo the signal number
 * @param code  the {@code si_code}
 * @param pid   the sending process ({@code si_pid}), 0 for the runtime
 * @param uid   the sender's uid ({@code si_uid})
 */
public record SigInfo(int signo, int code, int pid, int uid) {
}
