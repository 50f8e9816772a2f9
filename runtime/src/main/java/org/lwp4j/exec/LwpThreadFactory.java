package org.lwp4j.exec;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.Errno;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.Supervisor;

/**
 * A {@link ThreadFactory} whose threads are LWPs of one process: each thread enters the process
 * ({@link Supervisor#attach(int)}) when it starts, before it runs anything, and leaves it when its
 * runnable ends, so any executor ({@link java.util.concurrent.ThreadPoolExecutor}, or a
 * {@link ForkJoinPool} through {@link #forkJoin()}) runs its tasks on LWPs. Task code may then
 * make every {@code Lwp}/{@code Proc} call as an LWP of that process.
 *
 * <p>The process must outlive the pool: {@link #newThread} answers null (the pool's rejection)
 * once the process is gone or exiting; a thread whose process ends between {@code newThread} and
 * its start cannot enter it, runs nothing and ends at once (its pool does not learn of it: shut
 * pools down before their process exits). When the process exits, its LWPs end at their next
 * safe point: the task running there gets {@link org.lwp4j.LwpExit} and the thread leaves.
 */
public final class LwpThreadFactory implements ThreadFactory {
    private final Supervisor sup;
    private final int pid;
    private final String prefix;
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicInteger failedStarts = new AtomicInteger();

    /**
     * A factory of LWPs of process {@code pid}.
     *
     * @param sup    the supervisor
     * @param pid    a live process of it
     * @param prefix the threads' LWP names start with it (then a number; cut to 15 characters)
     * @throws NullPointerException if sup or prefix is null
     * @throws LwpException         EINVAL if pid is not positive
     */
    public LwpThreadFactory(Supervisor sup, int pid, String prefix) {
        this.sup = Objects.requireNonNull(sup, "sup");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        if (pid <= 0) {
            throw new LwpException(Errno.EINVAL, "LwpThreadFactory(pid=" + pid + ")");
        }
        this.pid = pid;
    }

    /**
     * The process the threads enter.
     *
     * @return its pid
     */
    public int pid() {
        return pid;
    }

    /**
     * How many threads could not enter the process when they started (it had ended).
     *
     * @return the count so far
     */
    public int failedStarts() {
        return failedStarts.get();
    }

    /**
     * A new (unstarted) thread that runs {@code r} as an LWP of the process.
     *
     * @param r what the thread runs once it has entered the process
     * @return the thread, or null if the process is not live (the pool's rejection)
     * @throws NullPointerException if r is null
     */
    @Override
    public Thread newThread(Runnable r) {
        Objects.requireNonNull(r, "r");
        if (!live()) {
            return null;
        }
        String name = prefix + seq.incrementAndGet();
        Thread t = new Thread(() -> runAsLwp(r, name), name);
        t.setDaemon(true);
        return t;
    }

    private boolean live() {
        return sup.isLive(pid);
    }

    private void runAsLwp(Runnable r, String name) {
        Supervisor.Attachment a;
        try {
            a = sup.attach(pid);
        } catch (LwpException e) {
            failedStarts.incrementAndGet();
            return;
        }
        try {
            Lwp.setName(0, name);
            r.run();
        } finally {
            try {
                a.close();
            } catch (RuntimeException e) {
                // the LWP ended with its process already: nothing to leave
            }
        }
    }

    /**
     * A {@link ForkJoinPool} worker factory on the same process: each worker enters the process
     * in {@code onStart} and leaves it in {@code onTermination}.
     *
     * @return the worker factory
     */
    public ForkJoinPool.ForkJoinWorkerThreadFactory forkJoin() {
        return pool -> live() ? new Worker(pool) : null;
    }

    private final class Worker extends ForkJoinWorkerThread {
        private Supervisor.Attachment a;

        Worker(ForkJoinPool pool) {
            super(pool);
            setDaemon(true);
        }

        @Override
        protected void onStart() {
            super.onStart();
            try {
                a = sup.attach(pid);
            } catch (LwpException e) {
                failedStarts.incrementAndGet();
                throw e; // the pool sees the worker fail and does not count it
            }
        }

        @Override
        protected void onTermination(Throwable exception) {
            try {
                if (a != null) {
                    a.close();
                }
            } catch (RuntimeException e) {
                // ended with its process already
            } finally {
                super.onTermination(exception);
            }
        }
    }
}
