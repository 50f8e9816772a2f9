package org.lwp4j;

/**
 * One entry of {@link Proc#reapGetPids(int)} ({@code struct procctl_reaper_pidinfo}).
 *
 * @param pid     the descendant's pid
 * @param subtree the pid of the reaper's child whose subtree holds this descendant (the pid
 *                itself for a direct child); {@link Proc#reapKill} selects on it
 * @param flags   {@link #VALID}, plus {@link #CHILD} for a direct child of the reaper,
 *                {@link #REAPER} if it is a reaper itself, {@link #ZOMBIE} if it has exited
 */
public record ReaperPid(int pid, int subtree, int flags) {
    /** REAPER_PIDINFO_VALID: the entry is filled in. */
    public static final int VALID = 1;
    /** REAPER_PIDINFO_CHILD: a direct child of the reaper. */
    public static final int CHILD = 2;
    /** REAPER_PIDINFO_REAPER: the descendant is itself a reaper. */
    public static final int REAPER = 4;
    /** REAPER_PIDINFO_ZOMBIE: the descendant has exited and waits to be reaped. */
    public static final int ZOMBIE = 8;

    /**
     * Whether the descendant is a direct child of the reaper.
     *
     * @return true if {@link #CHILD} is set
     */
    public boolean isChild() {
        return (flags & CHILD) != 0;
    }

    /**
     * Whether the descendant is a reaper itself.
     *
     * @return true if {@link #REAPER} is set
     */
    public boolean isReaper() {
        return (flags & REAPER) != 0;
    }

    /**
     * Whether the descendant has exited and waits to be reaped.
     *
     * @return true if {@link #ZOMBIE} is set
     */
    public boolean isZombie() {
        return (flags & ZOMBIE) != 0;
    }
}
