package org.lwp4j;

/** An at-exit hook ({@code at_exit}). */
@FunctionalInterface
public interface ExitHook {
    /**
     * Called by the LWP performing a process exit, after every other LWP of the process has
     * ended and before the resource table is closed. What it throws is ignored.
     *
     * @param pid     the exiting process
     * @param wstatus the wait status the process exits with
     */
    void exiting(int pid, int wstatus);
}
