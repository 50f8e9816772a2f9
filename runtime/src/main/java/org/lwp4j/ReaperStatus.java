package org.lwp4j;

/**
 * The answer of {@link Proc#reapStatus(int)} ({@code PROC_REAP_STATUS}). The counts are of the
 * caller's reaper: the caller itself if it is a reaper, otherwise the nearest live reaper above it.
 *
 * @param flags       {@link #OWNED} if the caller is a reaper, {@link #REALINIT} if the reaper
 *                    is init
 * @param children    the reaper's children (zombies included)
 * @param descendants the processes below the reaper in the process tree that belong to it: not
 *                    counting those below another reaper (which itself counts); zombies included
 * @param reaper      the reaper's pid
 * @param pid         the pid of the reaper's oldest child, or -1 if it has none
 */
public record ReaperStatus(int flags, int children, int descendants, int reaper, int pid) {
    /** REAPER_STATUS_OWNED: the caller is a reaper. */
    public static final int OWNED = 1;
    /** REAPER_STATUS_REALINIT: the reaper is init. */
    public static final int REALINIT = 2;

    /**
     * Whether the caller is a reaper.
     *
     * @return true if {@link #OWNED} is set
     */
    public boolean owned() {
        return (flags & OWNED) != 0;
    }

    /**
     * Whether the reaper is init.
     *
     * @return true if {@link #REALINIT} is set
     */
    public boolean realInit() {
        return (flags & REALINIT) != 0;
    }
}
