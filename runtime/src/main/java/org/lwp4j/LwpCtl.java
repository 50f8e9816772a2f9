package org.lwp4j;

/**
 * A per-LWP control block (NetBSD {@code _lwp_ctl}), readable without locks from any thread. Each
 * read is a fresh volatile read of the LWP's state: values may change between two reads.
 */
public interface LwpCtl {
    /**
     * The LWP's id.
     *
     * @return the lid, unique within its process
     */
    int lid();

    /**
     * The LWP's state now.
     *
     * @return the state read now (it may change at once)
     */
    Lwp.State state();

    /**
     * How many sleeps (park, parking-lot and kernel waits) the LWP has begun.
     *
     * @return the number of sleeps begun so far
     */
    int parkCount();

    /**
     * The hint or kernel channel the LWP sleeps on now, or null.
     *
     * @return the park hint, a kernel channel (its {@code toString()} names it, such as
     *         {@code lwpwait}), or null when the LWP is not sleeping
     */
    Object waitChannel();
}
