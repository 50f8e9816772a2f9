package org.lwp4j;

import java.util.Objects;

/**
 * The one exception type of lwp4j's calls: a BSD {@link Errno} and a message naming the call and
 * its argument, e.g. {@code "_lwp_wait(7): ESRCH (no such process)"}. A call that throws it has
 * changed nothing.
 */
public class LwpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public LwpException(Errno errno, String call) {
        super(call + ": " + errno + " (" + errno.description() + ")");
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    /** The error number. */
    public Errno errno() {
        return errno;
    }
}
