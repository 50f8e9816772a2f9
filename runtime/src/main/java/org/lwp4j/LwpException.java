package org.lwp4j;

import java.util.Objects;

/**
 * The one exception type of lwp4j's calls: a BSD {@link Errno} and a message naming the call and
 * its argument, e.g. {@code "_lwp_wait(7): ESRCH (no such process)"}. A call that throws it has
 * changed nothing.
 */
public class LwpException extends RuntimeException {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** The error number this exception answers with. */
    private final Errno errno;

    /**
     * An error answer of a call.
     *
     * @param errno the error number
     * @param call  the call and its arguments, such as {@code "_lwp_wait(7)"}; the message is
     *              {@code call + ": " + errno + " (" + errno.description() + ")"}
     * @throws NullPointerException if {@code errno} is null
     */
    public LwpException(Errno errno, String call) {
        super(call + ": " + errno + " (" + errno.description() + ")");
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /**
     * The error number.
     *
     * @return the BSD error this exception answers with
     */
    public Errno errno() {
        return errno;
    }
}
