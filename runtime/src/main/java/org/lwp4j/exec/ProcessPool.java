package org.lwp4j.exec;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.lwp4j.Errno;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.Signals;
import org.lwp4j.WaitResult;

/**
 * A process pool: each task runs in a child process of its own, forked for it, at most
 * {@code maxProcesses} at a time, and answers a {@link CompletableFuture}: its result, or the
 * failure that ended its process: the Throwable it threw (its process ends by SIGABRT), or a
 * {@link ProcessFailedException} with the wait report (killed by a signal, or it exited).
 * Cancelling the future, or the task's timeout passing, kills its process (SIGKILL); the
 * process's resources ({@code Proc.open}) are closed with it. No JVM pool isolates failures
 * so: a task that is killed takes no lock, LWP or resource of another task with it.
 *
 * <p>Each submitted task is watched by one detached LWP of the caller's process (it waits for
 * a slot, forks, and reaps the child: the children are the caller's process's), so the number
 * of tasks pending at once is bounded by the per-process LWP limit (EAGAIN beyond it). The
 * futures may be used from any thread; their dependent stages run on the watching LWP
 * (an LWP of the pool's process, never the task's).
 */
public final class ProcessPool {
    private final Semaphore slots;
    private final int pid;

    /**
     * A pool of the caller's process.
     *
     * @param maxProcesses how many task processes may run at once, 1 or more
     * @throws IllegalArgumentException if maxProcesses is less than 1
     * @throws IllegalStateException    if the caller is not an LWP
     */
    public ProcessPool(int maxProcesses) {
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("ProcessPool(maxProcesses=" + maxProcesses + ")");
        }
        this.pid = Proc.getpid();
        this.slots = new Semaphore(maxProcesses);
    }

    /**
     * Run {@code task} in a new child process, with no timeout.
     *
     * @param <T>  the result type
     * @param task what the child runs
     * @return the future of its result
     * @throws NullPointerException if task is null
     * @throws LwpException         EAGAIN if the watching LWP cannot be created; ESRCH if called
     *                              from another process than the pool's
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        return submit(task, null);
    }

    /**
     * Run {@code task} in a new child process; if it has not ended {@code timeout} after it
     * started, it is killed and the future fails with {@link TimeoutException}.
     *
     * @param <T>     the result type
     * @param task    what the child runs
     * @param timeout how long the process may run (null: no limit)
     * @return the future of its result
     * @throws NullPointerException     if task is null
     * @throws IllegalArgumentException if timeout is negative
     * @throws LwpException             EAGAIN if the watching LWP cannot be created; ESRCH if
     *                                  called from another process than the pool's
     */
    public <T> CompletableFuture<T> submit(Callable<T> task, Duration timeout) {
        Objects.requireNonNull(task, "task");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("ProcessPool.submit: negative timeout " + timeout);
        }
        if (Proc.getpid() != pid) {
            throw new LwpException(Errno.ESRCH, "ProcessPool.submit from process " + Proc.getpid()
                    + ": the pool belongs to process " + pid);
        }
        Task<T> t = new Task<>(task, timeout);
        Lwp.create(t::watch, Lwp.DETACHED);
        return t.future;
    }

    private final class Task<T> {
        final Callable<T> body;
        final Duration timeout;
        final AtomicReference<Object> value = new AtomicReference<>();
        volatile Thread watcher;
        final CompletableFuture<T> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean done = super.cancel(mayInterruptIfRunning);
                Thread w = watcher;
                if (done && w != null) {
                    w.interrupt(); // its wait answers EINTR; it kills the process
                }
                return done;
            }
        };

        Task(Callable<T> body, Duration timeout) {
            this.body = body;
            this.timeout = timeout;
        }

        void watch() {
            watcher = Thread.currentThread();
            try {
                if (future.isDone()) {
                    return;
                }
                slots.acquire();
            } catch (InterruptedException e) {
                return; // cancelled before it started
            }
            try {
                run();
            } catch (LwpExit e) {
                future.completeExceptionally(e); // the pool's process exits: so does this LWP
                throw e;
            } catch (Throwable e) {
                future.completeExceptionally(e);
            } finally {
                slots.release();
            }
        }

        private void run() {
            if (future.isDone()) {
                return;
            }
            int child;
            try {
                child = Proc.fork(() -> {
                    try {
                        value.set(new Holder(body.call()));
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
            } catch (LwpException e) {
                future.completeExceptionally(e);
                return;
            }
            boolean timedOut = false;
            WaitResult r;
            try {
                r = timeout == null ? Proc.waitpid(child, 0) : Proc.waitpid(child, 0, timeout);
            } catch (LwpException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
                r = WaitResult.none(); // cancelled: kill it below
            }
            if (r.isNone()) {
                timedOut = !future.isCancelled();
                Signals.kill(child, Sig.SIGKILL);
                r = reap(child);
            }
            Object v = value.get();
            if (timedOut) {
                future.completeExceptionally(new TimeoutException("ProcessPool task (pid " + child
                        + ") killed after " + timeout));
            } else if (r.exited() && r.exitStatus() == 0 && v instanceof Holder) {
                @SuppressWarnings("unchecked")
                T t = (T) ((Holder) v).value;
                future.complete(t);
            } else if (r.fault() != null) {
                Throwable f = r.fault();
                future.completeExceptionally(f instanceof java.util.concurrent.CompletionException
                        && f.getCause() != null ? f.getCause() : f);
            } else {
                future.completeExceptionally(new ProcessFailedException("ProcessPool task (pid " + child + ") "
                        + (r.signaled() ? "killed by " + Sig.name(r.termSig()) : "exited " + r.exitStatus()), r));
            }
        }

        private WaitResult reap(int child) {
            boolean interrupted = false;
            try {
                for (;;) {
                    try {
                        return Proc.waitpid(child, 0);
                    } catch (LwpException e) {
                        if (e.errno() != Errno.EINTR) {
                            throw e;
                        }
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.interrupted();
                }
            }
        }
    }

    /** A task's result, so that null is a result too. */
    private static final class Holder {
        final Object value;

        Holder(Object value) {
            this.value = value;
        }
    }
}
