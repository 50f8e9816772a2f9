package org.lwp4j;

/**
 * The BSD error numbers lwp4j answers with, with their BSD values. An {@link LwpException}
 * carries one of these; the calls' javadoc says which ones each call can answer.
 */
public enum Errno {
    /** The caller's credentials do not allow it (a signal across uids), or init would exit. */
    EPERM(1, "operation not permitted"),
    /** No such LWP or process (or none that the caller may name), or nothing to wait for. */
    ESRCH(3, "no such process"),
    /** A sleep was interrupted: {@link Lwp#wakeup}, a signal or {@code Thread.interrupt}. */
    EINTR(4, "interrupted system call"),
    /** No such handle in the process's resource table. */
    EBADF(9, "bad file descriptor"),
    /** A buffer and range that do not fit together (offset or length outside the array). */
    EFAULT(14, "bad address"),
    /** No child matches the wait. */
    ECHILD(10, "no child processes"),
    /**
     * The call would wait for ever: a cycle of {@code _lwp_wait}ers, or suspending the last
     * running LWP.
     */
    EDEADLK(11, "resource deadlock avoided"),
    /**
     * The target sleeps uninterruptibly, or LWPs never reached a safe point before
     * {@code close()} gave up.
     */
    EBUSY(16, "device busy"),
    /** The target of {@link Lwp#wakeup} is not sleeping. */
    ENODEV(19, "operation not supported by device"),
    /** An argument is out of range or a combination of flags is not allowed. */
    EINVAL(22, "invalid argument"),
    /** A write to a pipe whose read end is closed everywhere (SIGPIPE is sent too). */
    EPIPE(32, "broken pipe"),
    /** A limit was reached (processes, LWPs per process, free ids); trying again later may work. */
    EAGAIN(35, "resource temporarily unavailable"),
    /** The caller is already a reaper ({@link Proc#reapAcquire}). */
    EALREADY(37, "operation already in progress"),
    /** The caller is not a reaper. */
    ENOTCONN(57, "socket is not connected"),
    /**
     * A timed wait's deadline passed (no call answers it today: timed sleeps return
     * {@link ParkResult#TIMED_OUT}).
     */
    ETIMEDOUT(60, "operation timed out");

    private final int value;
    private final String description;

    Errno(int value, String description) {
        this.value = value;
        this.description = description;
    }

    /**
     * The BSD numeric value, as in {@code <sys/errno.h>}.
     *
     * @return the error number
     */
    public int value() {
        return value;
    }

    /**
     * The {@code strerror} text.
     *
     * @return a short description, such as {@code "no such process"}
     */
    public String description() {
        return description;
    }
}
