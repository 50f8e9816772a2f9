package org.lwp4j;

/**
 * The BSD error numbers lwp4j answers with, with their BSD values. An {@link LwpException}
 * carries one of these; the calls' javadoc says which ones each call can answer.
 */
public enum Errno {
    EPERM(1, "operation not permitted"),
    ESRCH(3, "no such process"),
    EINTR(4, "interrupted system call"),
    EBADF(9, "bad file descriptor"),
    EFAULT(14, "bad address"),
    ECHILD(10, "no child processes"),
    EDEADLK(11, "resource deadlock avoided"),
    EBUSY(16, "device busy"),
    ENODEV(19, "operation not supported by device"),
    EINVAL(22, "invalid argument"),
    EPIPE(32, "broken pipe"),
    EAGAIN(35, "resource temporarily unavailable"),
    EALREADY(37, "operation already in progress"),
    ENOTCONN(57, "socket is not connected"),
    ETIMEDOUT(60, "operation timed out");

    private final int value;
    private final String description;

    Errno(int value, String description) {
        this.value = value;
        this.description = description;
    }

    /** The BSD numeric value, as in {@code <sys/errno.h>}. */
    public int value() {
        return value;
    }

    /** The {@code strerror} text. */
    public String description() {
        return description;
    }
}
