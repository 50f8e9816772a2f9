package org.lwp4j;

import static org.lwp4j.Sig.NSIG;

import java.util.Objects;

import org.lwp4j.signal.SignalCalls;

/**
 * BSD signals between lwp4j processes and LWPs: {@code kill}, {@code killpg}, {@code _lwp_kill},
 * {@code sigaction}, {@code sigprocmask} and {@code sigpending}, with BSD signal numbers and
 * {@link Sig#NSIG} = 64 (signal 0 only checks that the target exists).
 *
 * <p><b>Who may call.</b> Every method that acts (all but the set helpers) must be called from
 * an LWP (see {@link Lwp}); it acts for the caller's process, and each is a safe point.
 *
 * <p><b>Dispositions</b> are per process ({@link #sigaction}); a child process gets a copy at
 * fork, or shares them with its parent when forked with SIGSHARE. <b>Masks</b> are per LWP
 * ({@link #sigprocmask}); a new LWP (and a forked process's first LWP) starts with its creator's
 * mask; a thread that enters with {@code Supervisor.attach} starts with an empty one. SIGKILL and
 * SIGSTOP cannot be caught, ignored or masked.
 *
 * <p><b>Delivery.</b> A signal sent to a process is pending on the process and taken by one of
 * its LWPs that does not mask it; a signal sent to an LWP ({@link #lwpKill}) is pending on that
 * LWP. Standard signals do not queue: a signal already pending is not pended twice. The action
 * is taken at a safe point of the receiving LWP, because Java cannot run code on a thread from
 * outside:
 * <ul>
 * <li>a <em>handler</em> runs on the receiving LWP, with the signal itself (unless
 * {@link Sig#SA_NODEFER}) and the disposition's mask added to the LWP's mask while it runs. An LWP
 * asleep in the runtime (park, a parking-lot wait, {@code _lwp_wait}, process wait) is woken:
 * its call returns INTERRUPTED or EINTR after the handler ran. An LWP blocked in a JDK call is
 * woken with {@link Thread#interrupt()}; that interrupt status is cleared again when the signal
 * is delivered, if it is still set.</li>
 * <li>default <em>terminate</em> (SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGABRT, SIGUSR1,
 * SIGUSR2, SIGALRM, SIGPIPE, signals 32 and up, ...): the process exits, its wait status says
 * "signaled" with that signal; woken as for a handler.</li>
 * <li>default <em>stop</em> (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU): every LWP of the process stops
 * at its next safe point; once none runs, the parent is told (wait with WSTOPPED, SIGCHLD with
 * code {@link Sig#CLD_STOPPED} unless its SIGCHLD disposition has {@link Sig#SA_NOCLDSTOP}). LWPs
 * created meanwhile start stopped. Other signals stay pending while the process is stopped,
 * except SIGKILL, which ends it.</li>
 * <li>SIGCONT, whatever its disposition, resumes a stopped process, discards pending stop
 * signals, and, if the stop had been reported, tells the parent (WCONTINUED, SIGCHLD with
 * {@link Sig#CLD_CONTINUED}); a stop signal discards a pending SIGCONT.</li>
 * <li>default <em>ignore</em> (SIGCHLD, SIGURG, SIGWINCH, SIGINFO, SIGIO, SIGCONT) and
 * {@link Disposition#IGNORE}: the signal is discarded when sent (it is still generated: wait
 * still reports what happened to a child).</li>
 * </ul>
 * Init (process 1) is protected as in BSD: signals whose action would terminate or stop it are
 * discarded (sending them succeeds).
 *
 * <p><b>What the JVM allows.</b> An LWP that never calls into the runtime and never blocks
 * cannot be signalled, stopped or killed until it does ({@link Lwp#checkpoint()} exists for long
 * computations). Threads that entered with {@code Supervisor.attach} are never interrupted by
 * lwp4j; they act on signals at their next call into the runtime, or at once when asleep in it.
 *
 * <p><b>Memory effects.</b> Actions of the sender before a {@code kill}, {@code killpg} or
 * {@code lwpKill} that posts a signal happen-before the handler that signal runs (the signal is
 * posted under the target process's lock, which the receiver takes to take it).
 *
 * <p><b>Credentials.</b> A process may signal another only if both have the same uid, or the
 * sender's uid is 0; SIGCONT may also be sent within the same session.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * {@code kill(2)}: send {@code sig} to processes. {@code pid > 0}: that process;
     * {@code 0}: every process of the caller's process group; {@code -1}: every process the
     * caller may signal except init and the caller's own; {@code < -1}: every process of group
     * {@code -pid}. Signal 0 sends nothing and only checks existence and permission. Killing a
     * zombie succeeds and changes nothing. When the caller's own process is a target and the
     * signal can be taken by the caller, it is delivered before this call returns (a handler
     * runs first; a terminating signal ends the caller with {@link LwpExit}).
     *
     * @param pid the target: a pid, 0, -1 or minus a process group id
     * @param sig the signal, or 0 to check only
     * @throws LwpException EINVAL if {@code sig} is outside [0, NSIG); ESRCH if no process
     *                      matches; EPERM if processes match but the caller may signal none of
     *                      them
     */
    public static void kill(int pid, int sig) {
        SignalCalls.kill(pid, sig);
    }

    /**
     * {@code killpg(3)}: send {@code sig} to every process of group {@code pgid} (0: the
     * caller's group). As {@link #kill} with {@code -pgid}.
     *
     * @param pgid a process group id, or 0 for the caller's
     * @param sig  the signal, or 0 to check only
     * @throws LwpException EINVAL if {@code sig} is outside [0, NSIG) or {@code pgid < 0};
     *                      ESRCH if the group has no process (and for {@code pgid == 1});
     *                      EPERM if the caller may signal none of its processes
     */
    public static void killpg(int pgid, int sig) {
        SignalCalls.killpg(pgid, sig);
    }

    /**
     * {@code _lwp_kill(2)}: send {@code sig} to one LWP of the caller's process. It is taken by
     * that LWP only (unless its action is process-wide: SIGKILL ends the process, stop signals
     * stop it, SIGCONT continues it). Signal 0 only checks that the LWP exists.
     *
     * @param lid an LWP of the caller's process
     * @param sig the signal, or 0 to check only
     * @throws LwpException EINVAL if {@code sig} is outside [0, NSIG); ESRCH if there is no
     *                      such live LWP in the caller's process (an LWP of another process,
     *                      0, a zombie)
     */
    public static void lwpKill(int lid, int sig) {
        SignalCalls.lwpKill(lid, sig);
    }

    /**
     * {@code sigaction(2)}: set the caller's process's disposition of {@code sig} and return
     * the previous one. Setting {@link Disposition#IGNORE}, or the default of a signal whose
     * default is to ignore it, discards that signal where it is pending in the process, masked
     * or not. For SIGCHLD, {@link Disposition#IGNORE} or the flag {@link Sig#SA_NOCLDWAIT} makes
     * exiting children go to the reaper instead of staying zombies for this process. With
     * SIGSHARE the change is seen by every process sharing the dispositions. The change
     * happens-before any delivery that reads it.
     *
     * @param sig the signal
     * @param d   the new disposition
     * @return the previous disposition
     * @throws LwpException EINVAL if {@code sig} is outside [1, NSIG), if it is SIGKILL or
     *                      SIGSTOP and {@code d} is not the default, or for unknown flags
     * @throws NullPointerException if {@code d} is null
     */
    public static Disposition sigaction(int sig, Disposition d) {
        Objects.requireNonNull(d, "d");
        return SignalCalls.sigaction(sig, d);
    }

    /**
     * {@code sigaction(2)} with no new action: the caller's process's disposition of {@code sig}.
     *
     * @param sig the signal
     * @return its disposition now
     * @throws LwpException EINVAL if {@code sig} is outside [1, NSIG)
     */
    public static Disposition sigaction(int sig) {
        return SignalCalls.sigaction(sig, null);
    }

    /**
     * {@code sigprocmask(2)} (per LWP, as {@code pthread_sigmask}): change the calling LWP's
     * mask and return the previous one. SIGKILL and SIGSTOP are silently left out; bits of no
     * signal are ignored. If the change unmasks pending signals, they are delivered before this
     * call returns.
     *
     * @param how {@link Sig#SIG_BLOCK}, {@link Sig#SIG_UNBLOCK} or {@link Sig#SIG_SETMASK}
     * @param set a signal set, bit {@code n - 1} for signal {@code n} (see {@link #sigmask})
     * @return the calling LWP's previous mask
     * @throws LwpException EINVAL for an unknown {@code how}
     */
    public static long sigprocmask(int how, long set) {
        return SignalCalls.sigprocmask(how, set);
    }

    /**
     * {@code sigpending(2)}: the signals pending on the calling LWP or its process that the
     * calling LWP masks.
     *
     * @return the set of those signals
     */
    public static long sigpending() {
        return SignalCalls.sigpending();
    }

    // ------------------------------------------------------------------ signal sets

    /**
     * The set holding only {@code sig} (bit {@code sig - 1}).
     *
     * @param sig a signal, 1 to NSIG - 1
     * @return the set
     * @throws IllegalArgumentException if {@code sig} is outside [1, NSIG)
     */
    public static long sigmask(int sig) {
        if (sig < 1 || sig >= NSIG) {
            throw new IllegalArgumentException("sigmask: not a signal: " + sig);
        }
        return 1L << (sig - 1);
    }

    /**
     * The set of the given signals.
     *
     * @param sigs signals, each 1 to NSIG - 1
     * @return the set holding each of them
     * @throws IllegalArgumentException for a non-signal
     */
    public static long sigset(int... sigs) {
        long s = 0;
        for (int sig : sigs) {
            s |= sigmask(sig);
        }
        return s;
    }

    /**
     * Whether {@code set} holds {@code sig} (false for a non-signal).
     *
     * @param set a signal set
     * @param sig a signal number
     * @return whether bit {@code sig - 1} is set
     */
    public static boolean sigismember(long set, int sig) {
        return sig >= 1 && sig < NSIG && (set & (1L << (sig - 1))) != 0;
    }

}
