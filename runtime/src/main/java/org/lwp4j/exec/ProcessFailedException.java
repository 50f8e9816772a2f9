package org.lwp4j.exec;

import org.lwp4j.WaitResult;

/**
 * The process that ran a {@link ProcessPool} task ended without a result: killed by a signal,
 * or it exited (e.g. the task called {@code Proc.exit}). A task that threw ends its process with
 * SIGABRT (a fault); its future then fails with that Throwable itself, not with this.
 */
public final class ProcessFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient WaitResult result;

    /**
     * @param message what happened
     * @param result  the wait report of the task's process
     */
    public ProcessFailedException(String message, WaitResult result) {
        super(message);
        this.result = result;
    }

    /**
     * The wait report of the task's process (pid, status, rusage).
     *
     * @return the report
     */
    public WaitResult result() {
        return result;
    }
}
