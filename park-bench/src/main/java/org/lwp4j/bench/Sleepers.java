package org.lwp4j.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.lwp4j.Lwp;
import org.lwp4j.Supervisor;

/**
 * A crowd of threads that park and, when woken, park again: LWPs of init parked with
 * {@code Lwp.park(hint)}, or plain threads parked with {@code LockSupport.park(hint)}.
 */
final class Sleepers {
    /*
     * Each sleeper i loops: count a round in rounds[i], park. awaitParked() waits until every
     * sleeper has begun a round it had not begun at the previous call *and* its thread is
     * WAITING, i.e. it is inside LockSupport.park again (for LWPs, past the sleep table's spin,
     * which runs RUNNABLE). The state alone is not enough: a sleeper that was unparked but has
     * not run yet still shows WAITING.
     *
     * LWPs are created DETACHED by a short-lived helper thread attached to init, so they live
     * in init (the same process as the benchmark threads, which are LWPs of init too) and the
     * dead-LWP reaper frees them when they end. Stopping: set `stop`, wake the sleepers in
     * batches of UNPARK_MAX (unparkAll from a helper LWP), joining each batch with a deadline
     * before waking the next. Supervisor.close() would end stuck LWPs as well, but a clean
     * stop shows the wake-ups work.
     */
    enum Kind {
        LWP, PLAIN
    }

    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    final Kind kind;
    final int n;
    final Object[] hints;
    final int[] lids;
    final Thread[] threads;
    final AtomicLongArray rounds;
    private final long[] seen;
    private final CountDownLatch started;
    private volatile boolean stop;

    private Sleepers(Kind kind, int n, IntFunction<Object> hintOf) {
        this.kind = kind;
        this.n = n;
        this.hints = new Object[n];
        for (int i = 0; i < n; i++) {
            hints[i] = hintOf.apply(i);
        }
        this.lids = new int[n];
        this.threads = new Thread[n];
        this.rounds = new AtomicLongArray(n);
        this.seen = new long[n];
        this.started = new CountDownLatch(n);
    }

    /** Start n sleepers; sleeper i parks on {@code hintOf.apply(i)}. Returns once all are parked. */
    static Sleepers start(Supervisor sup, Kind kind, int n, IntFunction<Object> hintOf) throws Exception {
        Sleepers s = new Sleepers(kind, n, hintOf);
        try {
            if (kind == Kind.LWP) {
                asLwp(sup, () -> {
                    for (int i = 0; i < n; i++) {
                        int k = i;
                        s.lids[i] = Lwp.create(() -> s.lwpBody(k), Lwp.DETACHED);
                    }
                    return null;
                });
            } else {
                for (int i = 0; i < n; i++) {
                    int k = i;
                    Thread t = new Thread(() -> s.plainBody(k), "sleeper-" + i);
                    t.setDaemon(true);
                    t.start();
                }
            }
            if (!s.started.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("sleepers did not start: " + s.started.getCount() + " missing");
            }
            s.awaitParked();
        } catch (Throwable e) {
            s.stopQuietly(sup, e);
            throw e;
        }
        return s;
    }

    private void lwpBody(int i) {
        threads[i] = Thread.currentThread();
        started.countDown();
        Object hint = hints[i];
        while (!stop) {
            rounds.incrementAndGet(i);
            Lwp.park(hint);
        }
    }

    private void plainBody(int i) {
        threads[i] = Thread.currentThread();
        started.countDown();
        Object hint = hints[i];
        while (!stop) {
            rounds.incrementAndGet(i);
            LockSupport.park(hint);
        }
    }

    /** Wait until every sleeper has begun a new round and is blocked in it. */
    void awaitParked() {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            for (int spins = 0; ; spins++) {
                long r = rounds.get(i);
                if (r > seen[i] && t.getState() == Thread.State.WAITING) {
                    seen[i] = r;
                    break;
                }
                if (!t.isAlive()) {
                    throw new IllegalStateException("sleeper " + i + " died");
                }
                if (deadline - System.nanoTime() < 0) {
                    throw new IllegalStateException("sleeper " + i + " did not park again: " + t.getState());
                }
                if (spins < 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }

    /** How many sleepers have woken since they were started (each round after the first). */
    long wakeups() {
        long w = 0;
        for (int i = 0; i < n; i++) {
            w += rounds.get(i) - 1;
        }
        return w;
    }

    /**
     * Stop every sleeper and join its thread; fails if one is still alive at the deadline. The
     * sleepers are woken a batch (UNPARK_MAX) at a time, each batch joined before the next is
     * woken, so that 10,000 sleepers of one hint do not all storm its wait queue at once.
     */
    void stop(Supervisor sup) throws Exception {
        stop = true;
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        int[] batch = new int[Lwp.UNPARK_MAX];
        for (int from = 0; from < n; from += batch.length) {
            int count = Math.min(batch.length, n - from);
            if (kind == Kind.LWP) {
                System.arraycopy(lids, from, batch, 0, count);
                asLwp(sup, () -> Lwp.unparkAll(batch, count, null));
            } else {
                for (int i = from; i < from + count; i++) {
                    if (threads[i] != null) {
                        LockSupport.unpark(threads[i]);
                    }
                }
            }
            for (int i = from; i < from + count; i++) {
                Thread t = threads[i];
                if (t != null) {
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
                    if (t.isAlive()) {
                        throw new IllegalStateException(t.getName() + " did not stop");
                    }
                }
            }
        }
    }

    private void stopQuietly(Supervisor sup, Throwable cause) {
        try {
            stop(sup);
        } catch (Throwable e) {
            cause.addSuppressed(e);
        }
    }

    /** Run {@code work} on a fresh thread attached to init as an LWP, and wait for it. */
    static <T> T asLwp(Supervisor sup, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            try (Supervisor.Attachment a = sup.attach()) {
                return work.call();
            }
        });
        Thread t = new Thread(task, "lwp4j-bench-helper");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception) {
                throw (Exception) c;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return kind + " sleepers x " + n + " " + Arrays.toString(Arrays.copyOf(hints, Math.min(n, 3)));
    }
}
