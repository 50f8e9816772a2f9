package org.lwp4j;

/** An at-fork hook ({@code at_fork}). */
@FunctionalInterface
public interface ForkHook {
    /**
     * Called by the forking LWP once the child's record is complete and before the child
     * runs, with the process tree locked: keep it short, and do not fork or wait in it (those
     * calls answer EDEADLK from a hook). If it throws, the fork is undone and fails with
     * that Throwable.
     *
     * @param parentPid the forking process
     * @param childPid  the new child
     * @param flags     the fork flags ({@link ProcFlags})
     */
    void forked(int parentPid, int childPid, int flags);
}
