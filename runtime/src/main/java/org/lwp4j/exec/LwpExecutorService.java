package org.lwp4j.exec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.Proc;

/**
 * A fixed pool of LWPs in the caller's process, as an {@link java.util.concurrent.ExecutorService}
 * ({@code submit}, {@code invokeAll}, {@code invokeAny}, {@code shutdown}, {@code shutdownNow},
 * {@code awaitTermination}). Tasks run on detached LWPs of that process and may make every
 * {@code Lwp}/{@code Proc} call; tasks may be submitted, and the pool shut down or awaited, from
 * any thread.
 *
 * <p>{@link #shutdown()} lets the queued tasks run and then ends the workers.
 * {@link #shutdownNow()} answers the tasks that never started and interrupts the workers: a
 * task in a park, a kernel wait or a blocking JDK call is woken there (its safe point:
 * {@code INTERRUPTED}, EINTR or InterruptedException) and each worker ends after its task.
 * A task that throws does not end its worker: the Throwable goes to the thread's uncaught
 * exception handler (for {@code submit} the Future holds it), and never aborts the process. A
 * task that ends its LWP ({@link Lwp#exit()}) ends one worker; when the process exits, every
 * worker ends at its safe point, and the pool terminates, cancelling the tasks still queued.
 */
public final class LwpExecutorService extends AbstractExecutorService {
    private static final int RUNNING = 0, SHUTDOWN = 1, STOP = 2, TERMINATED = 3;
    /** A worker that takes it ends (one per worker, queued behind the tasks by shutdown). */
    private static final Runnable PILL = () -> { };

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    private final int pid;
    private final int size;
    // Guarded by lock.
    private int state = RUNNING;
    private int live;
    private final Set<Thread> threads = new HashSet<>();

    /**
     * Start {@code nThreads} detached LWPs in the caller's process.
     *
     * @param nThreads how many workers, 1 or more
     * @throws IllegalArgumentException if nThreads is less than 1
     * @throws IllegalStateException    if the caller is not an LWP
     * @throws LwpException             EAGAIN over the per-process LWP limit (the workers
     *                                  started are ended again)
     */
    public LwpExecutorService(int nThreads) {
        if (nThreads < 1) {
            throw new IllegalArgumentException("LwpExecutorService(nThreads=" + nThreads + ")");
        }
        this.pid = Proc.getpid();
        this.size = nThreads;
        if (pid != 1) { // init never exits
            // A worker killed before its body started never runs its finally: the exit of the
            // process (all its LWPs gone) ends whatever the workers' own ends did not.
            Proc.onExit(pid).whenComplete((r, e) -> processEnded());
        }
        for (int i = 0; i < nThreads; i++) {
            lock.lock();
            try {
                live++;
            } finally {
                lock.unlock();
            }
            try {
                Lwp.create(this::work, Lwp.DETACHED);
            } catch (RuntimeException e) {
                shutdownNow();
                workerEnded(null);
                throw e;
            }
        }
    }

    /**
     * The process the workers belong to.
     *
     * @return its pid
     */
    public int pid() {
        return pid;
    }

    /**
     * The number of workers not yet ended.
     *
     * @return the count now
     */
    public int liveWorkers() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            if (state >= STOP) {
                workerEndedLocked(null);
                return;
            }
            threads.add(me);
        } finally {
            lock.unlock();
        }
        try {
            for (;;) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    if (stopping()) {
                        return;
                    }
                    Lwp.checkpoint(); // a kill or stop of the process interrupts us: act on it
                    continue;
                }
                if (task == PILL) {
                    return;
                }
                try {
                    task.run();
                } catch (LwpExit e) {
                    throw e; // the LWP or its process ends: so does this worker
                } catch (Throwable t) {
                    try {
                        me.getUncaughtExceptionHandler().uncaughtException(me, t);
                    } catch (Throwable ignored) {
                        // a handler that throws must not end the worker
                    }
                }
                if (stopping()) {
                    return;
                }
                // An interrupt meant for the task does not outlive it; but a kill's interrupt
                // must not be lost: clear first, then look at the safe point (the kernel posts
                // its request before it interrupts, so a later one interrupts the next take).
                Thread.interrupted();
                Lwp.checkpoint();
            }
        } finally {
            workerEnded(me);
        }
    }

    private boolean stopping() {
        lock.lock();
        try {
            return state >= STOP;
        } finally {
            lock.unlock();
        }
    }

    /** The process has exited and its LWPs are gone: every worker has ended, started or not. */
    private void processEnded() {
        lock.lock();
        try {
            if (live > 0) {
                threads.clear();
                live = 1;
                workerEndedLocked(null);
            }
        } finally {
            lock.unlock();
        }
    }

    private void workerEnded(Thread t) {
        lock.lock();
        try {
            workerEndedLocked(t);
        } finally {
            lock.unlock();
        }
    }

    private void workerEndedLocked(Thread t) {
        if (t != null) {
            threads.remove(t);
        }
        if (--live == 0) {
            state = TERMINATED;
            for (Runnable r; (r = queue.poll()) != null; ) {
                if (r instanceof Future) {
                    ((Future<?>) r).cancel(false);
                }
            }
            terminated.signalAll();
        }
    }

    /**
     * Queue {@code command} for a worker.
     *
     * @param command the task
     * @throws RejectedExecutionException after shutdown, or once every worker has ended
     * @throws NullPointerException       if command is null
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException("LwpExecutorService of process " + pid + " is shut down");
            }
            queue.add(command);
        } finally {
            lock.unlock();
        }
    }

    /** Run the queued tasks, accept no more, then end the workers. */
    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
                for (int i = 0; i < size; i++) {
                    queue.add(PILL);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accept no more tasks, take back the queued ones and interrupt the workers (each ends at
     * its safe point, after its task).
     *
     * @return the tasks that never started, in queue order
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> left = new ArrayList<>();
        lock.lock();
        try {
            if (state < STOP) {
                state = STOP;
            }
            for (Runnable r; (r = queue.poll()) != null; ) {
                if (r != PILL) {
                    left.add(r);
                }
            }
            for (int i = 0; i < size; i++) {
                queue.add(PILL);
            }
            for (Thread t : threads) {
                t.interrupt();
            }
        } finally {
            lock.unlock();
        }
        return left;
    }

    /** @return whether shutdown or shutdownNow was called, or every worker has ended */
    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return state != RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether every worker has ended */
    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return state == TERMINATED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Wait until every worker has ended, or the timeout passes.
     *
     * @param timeout how long at most
     * @param unit    its unit
     * @return true if terminated, false if the time passed first
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (state != TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
