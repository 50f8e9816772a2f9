package org.lwp4j;

/**
 * Flags of the process calls (DragonFly {@code <sys/unistd.h>} and {@code <sys/procctl.h>}
 * values): {@link Proc#fork(Runnable, int)}'s rfork flags, {@link Proc#extexit}'s who, and
 * {@link Proc#reapKill}'s flags. Pure constants.
 */
public final class ProcFlags {
    private ProcFlags() {
    }

    /** Fork flag RFFDG: the child gets a copy of the resource table (same resources, own handles). */
    public static final int FDG = 1 << 2;
    /** Fork flag RFCFDG: the child starts with an empty resource table. */
    public static final int CFDG = 1 << 12;
    /** Fork flag RFMEM: the child shares the parent's process-local storage instead of a copy. */
    public static final int MEM = 1 << 5;
    /** Fork flag RFNOWAIT: the child's parent is the caller's nearest reaper, not the caller. */
    public static final int NOWAIT = 1 << 6;
    /**
     * Fork flag RFTHREAD: the child is a peer of the caller's leader; when the leader exits, its
     * peers are killed (SIGKILL) and the leader's exit waits for them.
     */
    public static final int THREAD = 1 << 13;
    /** Fork flag RFSIGSHARE: the child shares the caller's signal dispositions instead of a copy. */
    public static final int SIGSHARE = 1 << 14;
    /** Fork flag RFPPWAIT: the calling LWP blocks, uninterruptibly, until the child exits (vfork). */
    public static final int PPWAIT = 1 << 31;
    /**
     * Fork flag RFLINUXTHPN: the child's exit sends its parent SIGUSR1 instead of SIGCHLD, and
     * only a wait with {@link Wait#WLINUXCLONE} reports it (a wait without sees only the other
     * children). A reparented child goes back to SIGCHLD and to ordinary waits.
     */
    public static final int LINUXTHPN = 1 << 16;

    /** {@link Proc#extexit} who: the whole process. */
    public static final int EXTEXIT_PROC = 0;
    /** {@link Proc#extexit} who: just the calling LWP (the last LWP ends the process). */
    public static final int EXTEXIT_LWP = 1 << 16;

    /** {@link Proc#reapKill} flag: only the reaper's direct children. */
    public static final int REAPER_KILL_CHILDREN = 1;
    /** {@link Proc#reapKill} flag: only the subtree under one child of the reaper. */
    public static final int REAPER_KILL_SUBTREE = 2;
}
