package org.lwp4j;

import static org.lwp4j.Sig.NSIG;

import java.util.Objects;
import org.lwp4j.signal.QueuedSignals;
import org.lwp4j.signal.SigWait;
import org.lwp4j.signal.Timers;
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
 * LWP. Standard signals do not queue: a signal already pending is not pended twice, and the
 * first instance's siginfo is the one delivered. Real-time signals ({@link Sig#SIGRTMIN} ..
 * {@link Sig#SIGRTMAX}) queue every instance with its own siginfo ({@link #sigqueue}), and so do
 * children's SIGCHLD reports, one per child, withdrawn when the child is reaped. The action
 * is taken at a safe point of the receiving LWP, because Java cannot run code on a thread from
 * outside:
 * <ul>
 * <li>a <em>handler</em> runs on the receiving LWP, with the signal itself (unless
 * {@link Sig#SA_NODEFER}) and the disposition's mask added to the LWP's mask while it runs. An LWP
 * asleep in the runtime (park, a parking-lot wait, {@code _lwp_wait}, process wait, a pipe read
 * or write) is woken: its call returns INTERRUPTED or EINTR after the handler ran, except that a
 * kernel sleep (not park nor the parking lot) starts again when the handler has
 * {@link Sig#SA_RESTART}. A stop and continue do not interrupt a kernel sleep. An LWP blocked in a JDK call is
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
     * {@code sigqueue(2)}: send {@code sig} to process {@code pid} with {@code value}, which the
     * handler (or sigwaitinfo) reads as {@link SigInfo#value()}, code {@link Sig#SI_QUEUE}. A
     * real-time signal ({@link Sig#SIGRTMIN} .. {@link Sig#SIGRTMAX}) is queued: every instance is
     * delivered, with its own value, in the order sent, up to 128 queued instances per process;
     * a standard signal already pending is dropped (the first instance's siginfo is kept).
     * Signal 0 only checks existence and permission. Sending to a zombie succeeds and changes
     * nothing. A signal the caller can take itself is delivered before the call returns.
     *
     * @param pid   the target process
     * @param sig   the signal, or 0
     * @param value the {@code si_value} it carries
     * @throws LwpException EINVAL if {@code sig} is outside [0, NSIG) or {@code pid <= 0};
     *                      ESRCH if there is no such process; EPERM if the caller may not
     *                      signal it; EAGAIN if {@code sig} is real-time and the process has
     *                      128 queued instances already (nothing is sent)
     */
    public static void sigqueue(int pid, int sig, int value) {
        QueuedSignals.sigqueue(pid, sig, value);
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
     * {@code sigwait(3)}: wait until one of the signals of {@code set} is pending for the calling
     * LWP or its process, take it without running its action, and answer its number. The
     * signals of {@code set} should be masked by every LWP of the process (POSIX); while the
     * caller waits it counts as not masking them, so a signal sent to the process goes to it,
     * and a signal of the set is kept for it even if its disposition ignores it (FreeBSD; SIGCHLD
     * can be waited for with its default disposition). A default-stop signal of the set is
     * taken, not acted on. SIGKILL and SIGSTOP in {@code set} are left out. A caught signal
     * outside the set runs its handler and the wait goes on (sigwait never answers EINTR);
     * a stop stops the caller and the wait goes on; a kill ends it. Real-time and SIGCHLD
     * instances queue: each call takes one (the lowest-numbered pending signal first).
     *
     * @param set the signals waited for
     * @return the signal taken
     * @throws LwpException EINVAL if {@code set} has bits that name no signal; EINTR on
     *                      {@link Lwp#wakeup} or {@link Thread#interrupt()}
     */
    public static int sigwait(long set) {
        return SigWait.sigwait(set);
    }

    /**
     * {@code sigwaitinfo(2)}: as {@link #sigwait}, answering the siginfo; a caught signal
     * outside the set runs its handler and the call answers EINTR.
     *
     * @param set the signals waited for
     * @return the siginfo of the signal taken
     * @throws LwpException EINVAL if {@code set} has bits that name no signal; EINTR
     */
    public static SigInfo sigwaitinfo(long set) {
        return SigWait.sigwaitinfo(set);
    }

    /**
     * {@code sigtimedwait(2)}: as {@link #sigwaitinfo}, waiting at most {@code timeoutNanos}
     * (relative, on the supervisor's clock; 0 only polls).
     *
     * @param set          the signals waited for
     * @param timeoutNanos the longest wait, in nanoseconds
     * @return the siginfo of the signal taken
     * @throws LwpException EAGAIN if the timeout passes first; EINVAL if {@code set} has bits
     *                      that name no signal or {@code timeoutNanos} is negative; EINTR
     */
    public static SigInfo sigtimedwait(long set, long timeoutNanos) {
        return SigWait.sigtimedwait(set, timeoutNanos);
    }

    /**
     * {@code sigsuspend(2)}: replace the calling LWP's mask with {@code mask} and sleep until a
     * signal's handler has run (it runs with {@code mask}, plus its own mask), then restore the
     * old mask and answer, always, EINTR. A signal pending before the call that {@code mask}
     * does not mask is delivered at once. A stop and continue, or a signal that is ignored, do
     * not end the call; a terminating signal ends the LWP. SIGKILL and SIGSTOP in {@code mask}
     * are left out.
     *
     * @param mask the mask to sleep with
     * @throws LwpException EINTR after a handler ran (or on {@link Lwp#wakeup} or
     *                      {@link Thread#interrupt()}); EINVAL if {@code mask} has bits that
     *                      name no signal (nothing changes)
     */
    public static void sigsuspend(long mask) {
        SigWait.sigsuspend(mask);
    }

    /**
     * {@code setitimer(2)} for {@link ItimerVal#ITIMER_REAL}: arm the caller's process's real-time timer
     * to send it SIGALRM (code {@link Sig#SI_TIMER}) after {@code v.valueNanos()}, then every
     * {@code v.intervalNanos()} if that is not 0; a value of 0 disarms it. Answers the previous
     * setting (its remaining time). One timer per process, shared by its LWPs, not inherited
     * by fork, dropped at exit; the expiries run on one timer thread per supervisor, stopped by
     * {@link Supervisor#close()}. Periods a slow machine missed are skipped, not sent late.
     *
     * @param which {@link ItimerVal#ITIMER_REAL}
     * @param v     the new setting
     * @return the previous setting
     * @throws LwpException EINVAL for ITIMER_VIRTUAL, ITIMER_PROF or another {@code which}, or
     *                      for a negative time
     * @throws NullPointerException if {@code v} is null
     */
    public static ItimerVal setitimer(int which, ItimerVal v) {
        return Timers.setitimer(which, v);
    }

    /**
     * {@code getitimer(2)}: the caller's process's timer: its remaining time (0 when disarmed,
     * at least 1 ns while armed) and interval.
     *
     * @param which {@link ItimerVal#ITIMER_REAL}
     * @return the current setting
     * @throws LwpException EINVAL for a {@code which} other than ITIMER_REAL
     */
    public static ItimerVal getitimer(int which) {
        return Timers.getitimer(which);
    }

    /**
     * {@code alarm(3)}: SIGALRM after {@code seconds} (0 cancels), as
     * {@code setitimer(ITIMER_REAL, {seconds, 0})}; answers the seconds that were left on the
     * previous setting, rounded up (0 if none was armed).
     *
     * @param seconds the delay, 0 to cancel
     * @return the seconds left on the previous setting
     * @throws LwpException EINVAL for a negative {@code seconds}
     */
    public static int alarm(int seconds) {
        return Timers.alarm(seconds);
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
