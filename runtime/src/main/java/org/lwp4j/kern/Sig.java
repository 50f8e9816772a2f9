package org.lwp4j.kern;

/** BSD signal numbers the kernel itself raises. The signal layer has the full set. */
public final class Sig {
    private Sig() {
    }

    public static final int SIGKILL = 9;
    public static final int SIGABRT = 6;
    public static final int SIGCHLD = 20;
    public static final int SIGUSR1 = 30;
    public static final int NSIG = 64;
}
