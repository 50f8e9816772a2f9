package org.lwp4j.proc;

import org.lwp4j.kern.KProc;

/** A session (DragonFly {@code struct session}). Guarded by the tree lock. */
final class Session {
    final int sid;
    /** The session leader while it has not exited (s_leader), else null. */
    KProc leader;
    /** Process groups in this session; the session goes away with its last group. */
    int npgrps;

    Session(int sid, KProc leader) {
        this.sid = sid;
        this.leader = leader;
    }
}
