package org.lwp4j;

/**
 * A per-LWP control block (NetBSD {@code _lwp_ctl}), readable without locks from any thread. Each
 * read is a fresh volatile read of the LWP's state: values may change between two reads.
 */
public interface LwpCtl {
    /** The LWP's id. */
    int lid();

    /** The LWP's state now. */
    Lwp.State state();

    /** How many sleeps (park, parking-lot and kernel waits) the LWP has begun. */
    int parkCount();

    /** The hint or kernel channel the LWP sleeps on now, or null. */
    Object waitChannel();
}
