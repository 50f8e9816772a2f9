package org.lwp4j.proc;

import org.lwp4j.kern.KProc;

/**
 * A reaper node (DragonFly {@code struct sysreaper}). Guarded by the tree lock.
 *
 * <p>{@code refs} counts the references to the node: every process whose {@code PState.reaper}
 * is this node holds one, and every node whose {@code parent} is this node holds one. The root
 * node of init starts with two so it is never freed. When {@code p} (the owner) gives the node
 * up (REAP_RELEASE or exit), the node stays as a dead internal node while processes still point
 * at it; lookups walk past dead nodes and splice out the ones nothing else references.
 */
final class Reaper {
    /** REAPER_STATUS_OWNED / REAPER_STATUS_REALINIT. */
    static final int OWNED = 1, REALINIT = 2;

    /** The owning process, null once released (a dead node). */
    KProc p;
    /** The reaper above this one (the owner's reaper when it acquired this one). */
    Reaper parent;
    int refs;
    final int flags;

    Reaper(KProc p, Reaper parent, int refs, int flags) {
        this.p = p;
        this.parent = parent;
        this.refs = refs;
        this.flags = flags;
    }

    @Override
    public String toString() {
        return "reaper[" + (p == null ? "dead" : p.pid) + ", refs=" + refs + "]";
    }
}
