package org.lwp4j;

/**
 * BSD signal numbers and the constants of the signal calls ({@code <sys/signal.h>}): the signal
 * numbers with {@link #NSIG} = 64, {@link Signals#sigprocmask} hows, {@link Disposition} flags
 * ({@code SA_*}), {@link SigInfo} codes ({@code SI_*}, {@code CLD_*}) and the real-time range
 * ({@link #SIGRTMIN} .. {@link #SIGRTMAX}). Pure constants and
 * names: nothing here acts, so any thread may use them.
 */
public final class Sig {
    private Sig() {
    }

    /** Number of signal numbers: valid signals are 1 .. NSIG - 1 (0 is the existence check). */
    public static final int NSIG = 64;

    /**
     * Hangup; default: terminate. Also sent, with SIGCONT, to a newly orphaned group with a stopped
     * member.
     */
    public static final int SIGHUP = 1;
    /** Interrupt; default: terminate. */
    public static final int SIGINT = 2;
    /** Quit; default: terminate. */
    public static final int SIGQUIT = 3;
    /** Illegal instruction; default: terminate. */
    public static final int SIGILL = 4;
    /** Trace trap; default: terminate. */
    public static final int SIGTRAP = 5;
    /** Abort; default: terminate. An uncaught Throwable in an LWP body ends its process with it. */
    public static final int SIGABRT = 6;
    /** Emulator trap; default: terminate. */
    public static final int SIGEMT = 7;
    /** Arithmetic exception; default: terminate. */
    public static final int SIGFPE = 8;
    /** Kill; always terminates: cannot be caught, ignored or masked. */
    public static final int SIGKILL = 9;
    /** Bus error; default: terminate. */
    public static final int SIGBUS = 10;
    /** Segmentation violation; default: terminate. */
    public static final int SIGSEGV = 11;
    /** Bad system call; default: terminate. */
    public static final int SIGSYS = 12;
    /** Write on a pipe with no reader; default: terminate. */
    public static final int SIGPIPE = 13;
    /** Alarm clock; default: terminate. */
    public static final int SIGALRM = 14;
    /** Termination request; default: terminate. */
    public static final int SIGTERM = 15;
    /** Urgent condition; default: ignore. */
    public static final int SIGURG = 16;
    /** Stop; always stops the process: cannot be caught, ignored or masked. */
    public static final int SIGSTOP = 17;
    /** Stop from the terminal; default: stop. */
    public static final int SIGTSTP = 18;
    /** Continue a stopped process; default: continue (whatever the disposition, it continues). */
    public static final int SIGCONT = 19;
    /** A child exited, stopped or continued; default: ignore (still generated, so wait works). */
    public static final int SIGCHLD = 20;
    /** Background read from the terminal; default: stop. */
    public static final int SIGTTIN = 21;
    /** Background write to the terminal; default: stop. */
    public static final int SIGTTOU = 22;
    /** I/O possible; default: ignore. */
    public static final int SIGIO = 23;
    /** CPU time limit exceeded; default: terminate. */
    public static final int SIGXCPU = 24;
    /** File size limit exceeded; default: terminate. */
    public static final int SIGXFSZ = 25;
    /** Virtual time alarm; default: terminate. */
    public static final int SIGVTALRM = 26;
    /** Profiling time alarm; default: terminate. */
    public static final int SIGPROF = 27;
    /** Window size change; default: ignore. */
    public static final int SIGWINCH = 28;
    /** Status request from the terminal; default: ignore. */
    public static final int SIGINFO = 29;
    /**
     * User-defined signal 1; default: terminate. A LINUXTHPN child's exit sends it to the parent.
     */
    public static final int SIGUSR1 = 30;
    /** User-defined signal 2; default: terminate. */
    public static final int SIGUSR2 = 31;
    /** DragonFly's SIGTHR; default terminate, as signals 33 .. 63. */
    public static final int SIGTHR = 32;

    /**
     * The first real-time signal. FreeBSD numbers them 65 .. 126 within its 128 signals; with
     * NSIG = 64 lwp4j takes 33 .. 63 (31 of them; POSIX asks for at least 8), above SIGTHR.
     * Real-time signals queue: every instance is delivered with its own siginfo, lowest
     * number first, up to a per-process limit of 128 queued instances.
     */
    public static final int SIGRTMIN = 33;
    /** The last real-time signal. */
    public static final int SIGRTMAX = NSIG - 1;

    /** {@link Signals#sigprocmask} how: add {@code set} to the mask. */
    public static final int SIG_BLOCK = 1;
    /** {@link Signals#sigprocmask} how: remove {@code set} from the mask. */
    public static final int SIG_UNBLOCK = 2;
    /** {@link Signals#sigprocmask} how: the mask becomes {@code set}. */
    public static final int SIG_SETMASK = 3;

    /**
     * Disposition flag: a kernel sleep of lwp4j interrupted by this handler (process wait,
     * {@code _lwp_wait}, pipe reads and writes, {@code sigsuspend} excepted) is restarted once
     * the handler has run, instead of failing with EINTR. Park and parking-lot waits return
     * INTERRUPTED regardless: NetBSD's {@code _lwp_park} turns ERESTART into EINTR.
     */
    public static final int SA_RESTART = 0x0002;
    /** Disposition flag: reset the disposition to default when the handler is entered. */
    public static final int SA_RESETHAND = 0x0004;
    /** Disposition flag (SIGCHLD): no SIGCHLD when a child stops or continues. */
    public static final int SA_NOCLDSTOP = 0x0008;
    /** Disposition flag: do not add the signal itself to the mask while its handler runs. */
    public static final int SA_NODEFER = 0x0010;
    /** Disposition flag (SIGCHLD): exiting children do not become zombies for the caller. */
    public static final int SA_NOCLDWAIT = 0x0020;

    /** {@link SigInfo#code()}: sent by {@link Signals#kill} or {@link Signals#killpg}. */
    public static final int SI_USER = 0;
    /** {@link SigInfo#code()}: sent by {@link Signals#lwpKill} (NetBSD's {@code _lwp_kill}). */
    public static final int SI_LWP = -5;
    /** {@link SigInfo#code()}: sent by {@link Signals#sigqueue} (NetBSD's value). */
    public static final int SI_QUEUE = -1;
    /**
     * {@link SigInfo#code()}: sent by an expired timer, {@link Signals#alarm} or
     * {@link Signals#setitimer} (NetBSD's value).
     */
    public static final int SI_TIMER = -2;
    /** {@link SigInfo#code()} of SIGCHLD: a child exited. */
    public static final int CLD_EXITED = 1;
    /** {@link SigInfo#code()} of SIGCHLD: a child was killed by a signal. */
    public static final int CLD_KILLED = 2;
    /** {@link SigInfo#code()} of SIGCHLD: a child was killed and dumped core (never sent here). */
    public static final int CLD_DUMPED = 3;
    /** {@link SigInfo#code()} of SIGCHLD: a traced child trapped (never sent here). */
    public static final int CLD_TRAPPED = 4;
    /** {@link SigInfo#code()} of SIGCHLD: a child stopped. */
    public static final int CLD_STOPPED = 5;
    /** {@link SigInfo#code()} of SIGCHLD: a stopped child continued. */
    public static final int CLD_CONTINUED = 6;

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
        "SIGABRT", "SIGEMT", "SIGFPE", "SIGKILL", "SIGBUS", "SIGSEGV", "SIGSYS", "SIGPIPE", "SIGALRM",
        "SIGTERM", "SIGURG", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD", "SIGTTIN", "SIGTTOU", "SIGIO",
        "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGINFO", "SIGUSR1", "SIGUSR2",
        "SIGTHR"};

    /**
     * The name of a signal: "SIGTERM", "SIGRTMIN", "SIGRTMIN+3", or "signal n" for a non-signal.
     *
     * @param sig a signal number
     * @return its name
     */
    public static String name(int sig) {
        if (sig >= 1 && sig < NAMES.length) {
            return NAMES[sig];
        }
        if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
            return sig == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (sig - SIGRTMIN);
        }
        return "signal " + sig;
    }

}
