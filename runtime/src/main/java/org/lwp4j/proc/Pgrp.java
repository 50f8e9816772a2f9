package org.lwp4j.proc;

import java.util.LinkedHashSet;
import java.util.Set;

/** A process group (DragonFly {@code struct pgrp}). Guarded by the tree lock. */
final class Pgrp {
    final int pgid;
    final Session session;
    /** Members, zombies included until they are reaped (DragonFly leavepgrp at reap). */
    final Set<org.lwp4j.kern.KProc> members = new LinkedHashSet<>();
    /**
     * pg_jobc: members, not exited, whose parent is in another group of the same session. The
     * group is orphaned when it is 0 (Groups.fixjobc).
     */
    int jobc;

    Pgrp(int pgid, Session session) {
        this.pgid = pgid;
        this.session = session;
    }

    @Override
    public String toString() {
        return "pgrp " + pgid + " (session " + session.sid + ", " + members.size() + " members)";
    }
}
