package org.lwp4j.bench;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.lwp4j.sync.Mutex;
import org.lwp4j.sync.Semaphore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A counter incremented under a lock, by 1, 2 or 8 threads (JMH's {@code -t}), for
 * {@code org.lwp4j.sync}'s Mutex and Semaphore side by side with ReentrantLock, synchronized,
 * StampedLock (write lock) and j.u.c. Semaphore(1) (WebKit's LockSpeedTest shape). Plain
 * threads: the synchronizers do not need LWPs.
 *
 * <ul>
 *   <li>{@code increment}: lock, counter++, unlock, back to back (micro-contention at 2 and 8
 *       threads; uncontended at 1).</li>
 *   <li>{@code incrementThenWork}: the same, then {@link #WORK} tokens of
 *       {@code Blackhole.consumeCPU} outside the lock between acquisitions.</li>
 *   <li>{@code incrementTimed}: as {@code increment}, timing each acquisition (two
 *       {@code System.nanoTime} reads, which cost more than an uncontended lock: compare only
 *       the wait distribution it prints). After each iteration the distribution of acquisition
 *       waits over every thread is printed: count, p50, p99, p99.9 and the longest. A lock that
 *       is eventually fair keeps the longest bounded (Mutex hands off after 1 ms).</li>
 * </ul>
 * Goals (issue 15): Mutex uncontended (-t 1) at least as fast as ReentrantLock (avgt: ratio
 * ReentrantLock / Mutex >= 1.0), 2 threads >= 1.5 x, 8 threads >= 1.0 x with the longest wait
 * bounded.
 *
 * <pre>java -jar park-bench/target/benchmarks.jar LockBench.increment -t 2 -f 1 -wi 2 -i 3</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LockBench {
    /** Tokens of work outside the lock in {@code incrementThenWork} (about 100 ns here). */
    static final int WORK = 50;

    @Param({"mutex", "reentrantLock", "synchronized", "stampedLock", "semaphore", "jucSemaphore"})
    public String impl;

    private Locker locker;
    long counter;

    /** One implementation's lock, increment, unlock (monomorphic per fork: one impl a trial). */
    abstract static class Locker {
        abstract void increment(LockBench b);

        abstract void incrementTimed(LockBench b, Waits w);
    }

    /**
     * A lock with a lock() and unlock() pair: the measured sections are written once, here;
     * each implementation names its two calls.
     */
    abstract static class PairLocker extends Locker {
        abstract void lock();

        abstract void unlock();

        @Override
        final void increment(LockBench b) {
            lock();
            b.counter++;
            unlock();
        }

        @Override
        final void incrementTimed(LockBench b, Waits w) {
            long t = System.nanoTime();
            lock();
            w.record(System.nanoTime() - t);
            b.counter++;
            unlock();
        }
    }

    static final class MutexLocker extends PairLocker {
        final Mutex m = new Mutex();

        @Override
        void lock() {
            m.lock();
        }

        @Override
        void unlock() {
            m.unlock();
        }
    }

    static final class ReentrantLocker extends PairLocker {
        final ReentrantLock l = new ReentrantLock();

        @Override
        void lock() {
            l.lock();
        }

        @Override
        void unlock() {
            l.unlock();
        }
    }

    static final class SyncLocker extends Locker {
        final Object o = new Object();

        @Override
        void increment(LockBench b) {
            synchronized (o) {
                b.counter++;
            }
        }

        @Override
        void incrementTimed(LockBench b, Waits w) {
            long t = System.nanoTime();
            synchronized (o) {
                w.record(System.nanoTime() - t);
                b.counter++;
            }
        }
    }

    /** The write lock; its stamp is kept by the holder (written and read under the lock). */
    static final class StampedLocker extends PairLocker {
        final StampedLock l = new StampedLock();
        long stamp;

        @Override
        void lock() {
            stamp = l.writeLock();
        }

        @Override
        void unlock() {
            l.unlockWrite(stamp);
        }
    }

    static final class SemaphoreLocker extends PairLocker {
        final Semaphore s = new Semaphore(1);

        @Override
        void lock() {
            s.acquireUninterruptibly();
        }

        @Override
        void unlock() {
            s.release();
        }
    }

    static final class JucSemaphoreLocker extends PairLocker {
        final java.util.concurrent.Semaphore s = new java.util.concurrent.Semaphore(1);

        @Override
        void lock() {
            s.acquireUninterruptibly();
        }

        @Override
        void unlock() {
            s.release();
        }
    }

    /** Every thread's wait histogram, for the per-iteration print. */
    static final Queue<Waits> ALL = new ConcurrentLinkedQueue<>();

    /** Acquisition waits of one thread: a log2 histogram (bucket i: [2^i, 2^(i+1)) ns) and the longest. */
    @State(Scope.Thread)
    public static class Waits {
        final long[] hist = new long[64];
        long max;

        @Setup(Level.Trial)
        public void register() {
            ALL.add(this);
        }

        void record(long ns) {
            hist[63 - Long.numberOfLeadingZeros(Math.max(1, ns))]++;
            if (ns > max) {
                max = ns;
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        ALL.clear();
        switch (impl) {
            case "mutex":
                locker = new MutexLocker();
                break;
            case "reentrantLock":
                locker = new ReentrantLocker();
                break;
            case "synchronized":
                locker = new SyncLocker();
                break;
            case "stampedLock":
                locker = new StampedLocker();
                break;
            case "semaphore":
                locker = new SemaphoreLocker();
                break;
            case "jucSemaphore":
                locker = new JucSemaphoreLocker();
                break;
            default:
                throw new IllegalArgumentException("impl " + impl);
        }
    }

    @Benchmark
    public void increment() {
        locker.increment(this);
    }

    @Benchmark
    public void incrementThenWork() {
        locker.increment(this);
        Blackhole.consumeCPU(WORK);
    }

    @Benchmark
    public void incrementTimed(Waits w) {
        locker.incrementTimed(this, w);
    }

    /** Print and reset the iteration's wait distribution (only incrementTimed fills it). */
    @TearDown(Level.Iteration)
    public void printWaits() {
        long[] h = new long[64];
        long max = 0, n = 0;
        for (Waits w : ALL) {
            for (int i = 0; i < 64; i++) {
                h[i] += w.hist[i];
                n += w.hist[i];
                w.hist[i] = 0;
            }
            max = Math.max(max, w.max);
            w.max = 0;
        }
        if (n == 0) {
            return;
        }
        System.out.printf("%n  [%s waits] n=%d p50<%s p99<%s p99.9<%s max=%s%n", impl, n, pct(h, n, 0.5),
                pct(h, n, 0.99), pct(h, n, 0.999), fmt(max));
    }

    private static String pct(long[] h, long n, double q) {
        long want = (long) Math.ceil(n * q), seen = 0;
        for (int i = 0; i < 64; i++) {
            seen += h[i];
            if (seen >= want) {
                return fmt(1L << (i + 1));
            }
        }
        return "?";
    }

    private static String fmt(long ns) {
        return ns >= 1_000_000 ? String.format("%.1fms", ns / 1e6) : ns >= 1_000 ? String.format("%.1fus", ns / 1e3)
                : ns + "ns";
    }
}
