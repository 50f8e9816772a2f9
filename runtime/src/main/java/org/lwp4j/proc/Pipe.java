package org.lwp4j.proc;

import org.lwp4j.Sig;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.PipeFlags;
import org.lwp4j.kern.Channel;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SigIntr;
import org.lwp4j.signal.SignalCalls;

/**
 * A pipe: a bounded byte buffer with a read end and a write end that live in the process
 * resource table (FreeBSD {@code sys_pipe.c}, much simplified).
 */
public final class Pipe {
    /*
     * Implementation overview.
     *
     * State. A ring buffer of PIPE_SIZE bytes, and the number of open read and write ends, all
     * guarded by `lock`. Each end is an AutoCloseable put into the caller's resource table, so
     * it is copied or shared at fork as FDG / CFDG say, and closed exactly once, when the last
     * table slot referring to it goes: Proc.close, or the exit of the last process holding it
     * (Resources.release at exit, fdfree). Closing an end lowers the count and wakes the other
     * side: with no write end left a read answers EOF (0) once the buffer is empty; with no
     * read end left a write answers EPIPE and sends SIGPIPE to the writing LWP (FreeBSD's
     * dofilewrite tdsignal(td, SIGPIPE)).
     *
     * Sleeping. Readers sleep on (pipe, "piperd") and writers on (pipe, "pipewr") in the
     * supervisor's sleep table, as kernel condition waits with `lock` as the interlock
     * (SleepTable.cvWait): every change a sleeper waits for (bytes in, room made, an end closed)
     * is made under `lock` and followed by a broadcast on the channel, so no wake is lost. The
     * sleeps are interruptible: a signal runs its handler and the call answers EINTR, or starts
     * again if the handler has SA_RESTART (SigIntr); a kill or the process's exit ends the LWP;
     * a stop stops it and the call goes on after the continue. A write interrupted after it
     * moved some bytes answers that count, as BSD does.
     *
     * Atomicity. A write of at most PIPE_BUF (512) bytes waits until all of it fits and goes in
     * at once, so writers never interleave inside it; a longer write goes in as room appears
     * and may interleave with other writers (POSIX). Non-blocking ends (O_NONBLOCK, a flag of
     * the end, shared by every slot referring to it, as a file's f_flag) answer EAGAIN where a
     * blocking one would sleep, or the count moved so far.
     *
     * Lock order: the pipe's lock is a leaf below the process locks: nothing is taken while it
     * is held but the sleep table's bucket locks (cvWait), and it is released around the safe
     * point an interrupted sleep runs. SIGPIPE is sent after it is released.
     */

    /** Writes of at most this many bytes are atomic (POSIX PIPE_BUF; BSD's is 512). */
    public static final int PIPE_BUF = PipeFlags.PIPE_BUF;
    /** Buffer size (BSD PIPE_SIZE). */
    static final int PIPE_SIZE = 16384;
    /** pipe2 / fcntl flag: the end does not block (BSD O_NONBLOCK). */
    public static final int O_NONBLOCK = PipeFlags.O_NONBLOCK;

    private static final Object CH_READ = Channel.PIPE_READ, CH_WRITE = Channel.PIPE_WRITE;

    private final Kernel kernel;
    private final int hash = System.identityHashCode(this);
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] buf = new byte[PIPE_SIZE];
    // Guarded by lock.
    private int head, count;
    private int readers = 1, writers = 1;

    private Pipe(Kernel kernel) {
        this.kernel = kernel;
    }

    /** One end of a pipe, as held in a resource table. */
    static final class End implements AutoCloseable {
        final Pipe pipe;
        final boolean write;
        /** O_NONBLOCK of this end (f_flag): read without a lock. */
        volatile boolean nonblock;
        /** Guarded by pipe.lock: close() counts once, whatever calls it. */
        private boolean closed;

        End(Pipe pipe, boolean write, boolean nonblock) {
            this.pipe = pipe;
            this.write = write;
            this.nonblock = nonblock;
        }

        @Override
        public void close() {
            pipe.closeEnd(this);
        }

        @Override
        public String toString() {
            return "pipe " + Integer.toHexString(pipe.hash) + (write ? " write end" : " read end");
        }
    }

    // ------------------------------------------------------------------ calls

    /** pipe2(fds, flags): the read handle and the write handle, in that order. */
    public static int[] pipe(int flags) {
        String call = "pipe2(0x" + Integer.toHexString(flags) + ")";
        KLwp me = SafePoints.curlwp(call);
        if ((flags & ~O_NONBLOCK) != 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        Pipe p = new Pipe(me.kernel);
        boolean nb = (flags & O_NONBLOCK) != 0;
        End r = new End(p, false, nb), w = new End(p, true, nb);
        int rh = ProcCalls.open(r);
        int wh;
        try {
            wh = ProcCalls.open(w);
        } catch (RuntimeException e) {
            try {
                ProcCalls.close(rh);
            } catch (Exception ignored) {
                // a pipe end's close does not throw
            }
            throw e;
        }
        return new int[] {rh, wh};
    }

    /** fcntl(h, F_SETFL, O_NONBLOCK or 0) on a pipe end. */
    public static void setNonblocking(int handle, boolean on) {
        String call = "fcntl(" + handle + ", F_SETFL, " + (on ? "O_NONBLOCK" : "0") + ")";
        end(handle, call).nonblock = on;
    }

    /** fcntl(h, F_GETFL) & O_NONBLOCK on a pipe end. */
    public static boolean isNonblocking(int handle) {
        return end(handle, "fcntl(" + handle + ", F_GETFL)").nonblock;
    }

    private static End end(int handle, String call) {
        KLwp me = SafePoints.curlwp(call);
        AutoCloseable r = ProcCalls.get(handle);
        if (!(r instanceof End) || ((End) r).pipe.kernel != me.kernel) {
            throw new LwpException(Errno.EINVAL, call + ": not a pipe of this supervisor");
        }
        return (End) r;
    }

    private static void checkBounds(byte[] b, int off, int len, String call) {
        Objects.requireNonNull(b, "b");
        if (off < 0 || len < 0 || len > b.length - off) {
            throw new LwpException(Errno.EFAULT, call + ": off " + off + ", len " + len + " outside "
                    + b.length + " bytes");
        }
    }

    /** read(h, b + off, len): bytes read, 0 at end of file. */
    public static int read(int handle, byte[] b, int off, int len) {
        String call = "read(" + handle + ", " + len + ")";
        End e = end(handle, call);
        checkBounds(b, off, len, call);
        if (e.write) {
            throw new LwpException(Errno.EBADF, call + ": not open for reading");
        }
        KLwp me = SafePoints.current();
        int n = e.pipe.read(me, e, b, off, len, call);
        SafePoints.returning(me); // the return is a safe point too (userret)
        return n;
    }

    /** write(h, b + off, len): bytes written. */
    public static int write(int handle, byte[] b, int off, int len) {
        String call = "write(" + handle + ", " + len + ")";
        End e = end(handle, call);
        checkBounds(b, off, len, call);
        if (!e.write) {
            throw new LwpException(Errno.EBADF, call + ": not open for writing");
        }
        KLwp me = SafePoints.current();
        int n;
        try {
            n = e.pipe.write(me, e, b, off, len, call);
        } catch (LwpException x) {
            if (x.errno() == Errno.EPIPE) {
                SignalCalls.lwpKill(me.lid, Sig.SIGPIPE); // delivered before EPIPE is thrown
            }
            throw x;
        }
        SafePoints.returning(me); // the return is a safe point too (userret)
        return n;
    }

    // ------------------------------------------------------------------ the buffer

    private int read(KLwp me, End e, byte[] b, int off, int len, String call) {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            for (;;) {
                if (count > 0) {
                    int n = Math.min(len, count);
                    int first = Math.min(n, PIPE_SIZE - head);
                    System.arraycopy(buf, head, b, off, first);
                    System.arraycopy(buf, 0, b, off + first, n - first);
                    head = (head + n) % PIPE_SIZE;
                    count -= n;
                    kernel.sleep.cvBroadcast(this, hash, CH_WRITE);
                    return n;
                }
                if (writers == 0) {
                    return 0;
                }
                if (e.nonblock) {
                    throw new LwpException(Errno.EAGAIN, call);
                }
                sleep(me, CH_READ, call);
            }
        } finally {
            lock.unlock();
        }
    }

    private int write(KLwp me, End e, byte[] b, int off, int len, String call) {
        lock.lock();
        try {
            int done = 0;
            for (;;) {
                if (readers == 0) {
                    throw new LwpException(Errno.EPIPE, call);
                }
                int room = PIPE_SIZE - count;
                int left = len - done;
                if (left == 0) {
                    return done;
                }
                int n = len <= PIPE_BUF ? (room >= left ? left : 0) : Math.min(room, left);
                if (n > 0) {
                    int tail = (head + count) % PIPE_SIZE;
                    int first = Math.min(n, PIPE_SIZE - tail);
                    System.arraycopy(b, off + done, buf, tail, first);
                    System.arraycopy(b, off + done + first, buf, 0, n - first);
                    count += n;
                    done += n;
                    kernel.sleep.cvBroadcast(this, hash, CH_READ);
                    continue;
                }
                if (e.nonblock) {
                    if (done > 0) {
                        return done;
                    }
                    throw new LwpException(Errno.EAGAIN, call);
                }
                if (done > 0) {
                    if (!sleepPartial(me)) {
                        return done; // interrupted after moving bytes: the count, as BSD
                    }
                } else {
                    sleep(me, CH_WRITE, call);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One interruptible sleep on {@code ch} (lock held): EINTR, restart, or LwpExit. */
    private void sleep(KLwp me, Object ch, String call) {
        ParkResult r = kernel.sleep.cvWaitInterruptibly(me, this, hash, ch, lock);
        if (r == ParkResult.INTERRUPTED) {
            SigIntr.beforeSafePoint(me, call);
            safePointUnlocked(me);
            SigIntr.afterSafePoint(me, call);
        }
    }

    /** The safe point of a call that holds this pipe's lock (once, taken by itself): released for it, held again after. */
    private void safePointUnlocked(KLwp me) {
        lock.unlock();
        try {
            me.kernel.safePoints.userret(me);
        } finally {
            lock.lock();
        }
    }

    /**
     * A writer's sleep after it moved some bytes: answers false when interrupted (after the safe
     * point ran: the handler, or LwpExit for a kill), so that the write answers its count.
     */
    private boolean sleepPartial(KLwp me) {
        ParkResult r = kernel.sleep.cvWaitInterruptibly(me, this, hash, CH_WRITE, lock);
        if (r != ParkResult.INTERRUPTED) {
            return true;
        }
        if (me.safePointPending()) {
            safePointUnlocked(me);
        }
        return false;
    }

    private void closeEnd(End e) {
        lock.lock();
        try {
            if (e.closed) {
                return;
            }
            e.closed = true;
            if (e.write) {
                writers--;
            } else {
                readers--;
            }
        } finally {
            lock.unlock();
        }
        kernel.sleep.cvBroadcast(this, hash, e.write ? CH_READ : CH_WRITE);
    }
}
