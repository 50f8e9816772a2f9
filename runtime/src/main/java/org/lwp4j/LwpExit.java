package org.lwp4j;

/**
 * Thrown at a safe point to unwind an LWP that is ending: it called {@link Lwp#exit()}, or its
 * process is exiting or was killed. Do not catch it (or rethrow it if you catch {@code Throwable});
 * the LWP's body unwinds and the runtime disposes of the LWP. An attached thread (see
 * {@link Supervisor#attach()}) receives it from the call during which its LWP ended; the thread is
 * then detached and may go on as a plain thread.
 */
public final class LwpExit extends Error {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /**
     * The unwinding of one LWP (created by the runtime; without a stack trace, as it is control
     * flow, not a fault).
     *
     * @param why which LWP exits and why, such as {@code "lwp 5/1 exits: SIGTERM"}
     */
    public LwpExit(String why) {
        super(why, null, false, false);
    }
}
