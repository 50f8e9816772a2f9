package org.lwp4j;

/**
 * The constants of the pipe calls ({@link Proc#pipe}, {@link Proc#pipe2}, {@link Proc#read},
 * {@link Proc#write}): the end flag {@link #O_NONBLOCK} and the atomic write size
 * {@link #PIPE_BUF}. Pure constants: nothing here acts.
 */
public final class PipeFlags {
    private PipeFlags() {
    }

    /** Writes to a pipe of at most this many bytes are atomic ({@code PIPE_BUF}, BSD's 512). */
    public static final int PIPE_BUF = 512;
    /** {@link Proc#pipe2} and {@link Proc#setNonblocking} flag ({@code O_NONBLOCK}, BSD's value). */
    public static final int O_NONBLOCK = 0x0004;
}
