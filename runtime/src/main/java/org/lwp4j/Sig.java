package org.lwp4j;

/**
 * BSD signal numbers and the constants of the signal calls ({@code <sys/signal.h>}): the signal
 * numbers with {@link #NSIG} = 64, {@link Signals#sigprocmask} hows, {@link Disposition} flags
 * ({@code SA_*}) and {@link SigInfo} codes ({@code SI_*}, {@code CLD_*}). Pure constants and
 * names: nothing here acts, so any thread may use them.
 */
public final class Sig {
    private Sig() {
    }

    /** Number of signal numbers: valid signals are 1 .. NSIG - 1 (0 is the existence check). */
    public static final int NSIG = 64;

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGEMT = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGBUS = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGSYS = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGURG = 16;
    public static final int SIGSTOP = 17;
    public static final int SIGTSTP = 18;
    public static final int SIGCONT = 19;
    public static final int SIGCHLD = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGIO = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGINFO = 29;
    public static final int SIGUSR1 = 30;
    public static final int SIGUSR2 = 31;
    /** DragonFly's SIGTHR; default terminate, as signals 33 .. 63. */
    public static final int SIGTHR = 32;

    /** {@link Signals#sigprocmask} how: add {@code set} to the mask. */
    public static final int SIG_BLOCK = 1;
    /** {@link Signals#sigprocmask} how: remove {@code set} from the mask. */
    public static final int SIG_UNBLOCK = 2;
    /** {@link Signals#sigprocmask} how: the mask becomes {@code set}. */
    public static final int SIG_SETMASK = 3;

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

    /** The name of a signal ("SIGTERM"), "SIG" + number past SIGTHR, or "signal n" for a non-signal. */
    public static String name(int sig) {
        if (sig >= 1 && sig < NAMES.length) {
            return NAMES[sig];
        }
        return sig > 0 && sig < NSIG ? "SIG" + sig : "signal " + sig;
    }

}
