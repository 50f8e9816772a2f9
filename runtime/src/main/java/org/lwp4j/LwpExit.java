package org.lwp4j;

/**
 * Thrown at a safe point to unwind an LWP that is ending: it called {@link Lwp#exit()}, or its
 * process is exiting or was killed. Do not catch it (or rethrow it if you catch {@code Throwable});
 * the LWP's body unwinds and the runtime disposes of the LWP. An attached thread (see
 * {@link Supervisor#attach()}) receives it from the call during which its LWP ended; the thread is
 * then detached and may go on as a plain thread. When the process exits because another LWP's
 * body threw, {@link #getCause()} is that Throwable.
 *
 * <p>Code that catches {@code Throwable} for you, such as a {@code CompletableFuture} task run
 * on an LWP, swallows it: the LWP then runs on until its next call into the runtime, which
 * throws a new {@code LwpExit} (its process is exiting all the same), and a blocking JDK call is
 * interrupted meanwhile. Run such frameworks on plain threads, or rethrow {@code LwpExit} from
 * the handler (see the README, "When user code catches LwpExit").
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

    /**
     * The unwinding of one LWP whose process exits because another LWP's body threw
     * {@code cause} (created by the runtime; the process is terminated with SIGABRT).
     *
     * @param why   which LWP exits and why
     * @param cause the uncaught Throwable of the LWP whose fault made the process exit
     */
    public LwpExit(String why, Throwable cause) {
        super(why, cause, false, false);
    }
}
