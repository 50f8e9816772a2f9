package org.lwp4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.KernelConfig;
import org.lwp4j.proc.ProcLayer;
import org.lwp4j.signal.SignalLayer;

/**
 * The root object, "the kernel": owns the process table, groups and sessions, the sleep table,
 * the reaper tree, the dead-LWP reaper, the limits and the hooks. Starting one creates process 1
 * (init), the root of the process tree and the root reaper; init does not exit while the
 * supervisor runs. Several supervisors may live in one JVM; they share nothing.
 *
 * <p>Threads that are not LWPs (main, a test thread) enter with {@link #attach()} (an LWP of
 * init) or {@link #attachNewProcess()} (the first LWP of a new process, child of init) and leave
 * by closing the returned {@link Attachment}.
 *
 * <p>{@link #close()} kills every process, joins every platform thread the supervisor started
 * and empties the tables. Thread-safe.
 *
 * <p>While it runs, a supervisor is the platform MBean {@code org.lwp4j:type=Supervisor,id=N}
 * ({@link SupervisorMXBean}: its {@code ps} for jconsole and VisualVM), registered at start and
 * unregistered by the first {@link #close()}.
 */
public final class Supervisor implements AutoCloseable {
    private final Kernel kernel;

    private final ProcLayer procLayer;

    private final SupervisorMBeans mbean;

    private Supervisor(KernelConfig cfg) {
        this.procLayer = new ProcLayer(cfg);
        this.kernel = procLayer.kernel();
        this.mbean = SupervisorMBeans.register(this);
    }

    /**
     * This supervisor's id: unique in the JVM (for one copy of lwp4j), carried by its JFR
     * events, and the N of its MBean {@code org.lwp4j:type=Supervisor,id=N}
     * ({@link SupervisorMXBean}).
     *
     * @return the id, from 1
     */
    public int id() {
        return kernel.id;
    }

    /**
     * A supervisor with the default limits.
     *
     * @return a running supervisor, with init (pid 1) created
     */
    public static Supervisor start() {
        return builder().start();
    }

    /**
     * A builder for a supervisor with other limits or settings.
     *
     * @return a builder holding the default settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Enter the calling thread as a new LWP of init.
     *
     * @return the attachment; closing it (from this thread) ends the LWP
     * <p>A thread whose attachment no longer counts (its supervisor closed, or its process's
     * exit ended the LWP) may attach again. A thread that ends without closing its attachment
     * is noticed by the supervisor (within about 100 ms) and its LWP exits.
     *
     * @throws IllegalStateException if the thread is already a live LWP
     * @throws LwpException          ESRCH after {@link #close()}
     */
    public Attachment attach() {
        return new Attachment(kernel.attach(kernel.init));
    }

    /**
     * Enter the calling thread as the first LWP of a new process, a child of init with uid 0.
     * When the attachment closes, the process exits with status 0 (if it has no other LWPs).
     *
     * @return the attachment; closing it (from this thread) ends the LWP
     * @throws LwpException EAGAIN over the process limit; ESRCH after {@link #close()}
     */
    public Attachment attachNewProcess() {
        return attachNewProcess(0);
    }

    /**
     * As {@link #attachNewProcess()} with the given uid (and gid).
     *
     * @param uid the new process's uid and gid
     * @return the attachment; closing it (from this thread) ends the LWP
     * @throws IllegalStateException if the thread is already a live LWP
     * @throws LwpException          EINVAL if uid is negative (as {@code setuid}); EAGAIN over
     *                               the process limit; ESRCH after {@link #close()}
     */
    public Attachment attachNewProcess(int uid) {
        SafePoints.checkNotAttached();
        if (uid < 0) {
            throw new LwpException(Errno.EINVAL, "attachNewProcess(uid=" + uid + ")");
        }
        return new Attachment(kernel.attach(procLayer.newProcess(uid)));
    }

    /**
     * Enter the calling thread as a new LWP of the live process {@code pid} (for example to give a
     * process more than one attached thread, as stress tests need).
     *
     * @param pid a live process
     * @return the attachment; closing it (from this thread) ends the LWP
     * @throws IllegalStateException if the thread is already an LWP
     * @throws LwpException          ESRCH if there is no such process, it is exiting or a zombie,
     *                               or after {@link #close()}
     */
    public Attachment attach(int pid) {
        KProc p = kernel.findProc(pid);
        if (p == null) {
            throw new LwpException(Errno.ESRCH, "attach(" + pid + ")");
        }
        return new Attachment(kernel.attach(p));
    }

    /**
     * Whether {@code pid} names a live process (not exiting, not a zombie): one that
     * {@link #attach(int)} would enter now.
     *
     * @param pid a pid
     * @return whether it is live now
     */
    public boolean isLive(int pid) {
        KProc p = kernel.findProc(pid);
        return p != null && !p.isExiting();
    }

    /**
     * The number of processes in the table, init and zombies included.
     *
     * @return the count now
     */
    public int processCount() {
        return kernel.processCount();
    }

    /**
     * The number of LWP records in every process, zombies included.
     *
     * @return the count now
     */
    public int lwpCount() {
        return kernel.lwpRecords();
    }

    /**
     * Threads idle in the LWP cache ({@link Builder#lwpCache}), waiting for an LWP to run; they
     * are among {@link #liveThreads()}.
     *
     * @return the number of cached threads
     */
    public int cachedThreads() {
        return kernel.lifecycle.cachedThreads();
    }

    /**
     * Platform threads this supervisor started that are still alive (LWPs, threads idle in the
     * LWP cache, its reaper and its timer thread).
     *
     * @return a snapshot list (empty after {@link #close()})
     */
    public List<Thread> liveThreads() {
        List<Thread> l = kernel.liveThreads();
        Thread t = SignalLayer.timerThread(kernel);
        if (t != null) {
            l = new java.util.ArrayList<>(l);
            l.add(t);
        }
        return l;
    }

    /**
     * A ps-style snapshot of every process and LWP; {@code toString()} prints it as a table.
     *
     * @return the snapshot
     */
    public Ps ps() {
        return PsView.snapshot(kernel);
    }

    /**
     * Sleep-table figures: buckets, waiters linked now, sleepers blocked now.
     *
     * @return a reading taken now
     */
    public SleepStats sleepStats() {
        return new SleepStats(kernel.sleep.bucketCount(), kernel.sleep.linkedWaiters(), kernel.sleep.blockedCount());
    }

    /**
     * A sleep table reading.
     *
     * @param buckets       the table's buckets (a power of two)
     * @param linkedWaiters waiters linked in the queues now
     * @param blocked       sleepers blocked in {@code LockSupport.park} now
     */
    public record SleepStats(int buckets, int linkedWaiters, int blocked) {
    }

    /** Internal: the process layer (tests read its tables). */
    ProcLayer procLayer() {
        return procLayer;
    }

    /**
     * Internal, for tests at quiescence (no LWP of theirs still running), before {@link #close()}:
     * the sleep table's queue audit, each process's LWP counts and zombie list, then every
     * process group's job-control count. Answers null when all hold, else what is wrong.
     */
    String audit() {
        String sleep = kernel.sleep.audit();
        if (sleep != null) {
            return "sleep table: " + sleep;
        }
        for (KProc p : kernel.procList()) {
            String lwps = p.auditLwps();
            if (lwps != null) {
                return "LWP table: " + lwps;
            }
        }
        String jobc = procLayer.auditJobc();
        return jobc == null ? null : "job control: " + jobc;
    }

    /** Internal: the kernel (not exported from the module). */
    Kernel kernel() {
        return kernel;
    }

    /**
     * Kill every process, reap everything, join every platform thread started. Waits up to the
     * close timeout for LWPs to reach a safe point.
     *
     * @throws LwpException EBUSY naming the LWPs that did not reach a safe point in time (they
     *                      are left running; close may be called again)
     */
    @Override
    public void close() {
        try {
            SignalLayer.closing(kernel, kernel.cfg.closeTimeout().toNanos());
            kernel.close();
            procLayer.closed();
        } finally {
            mbean.unregister(); // at the first close, even one that answers EBUSY
        }
    }

    /** Internal: whether the MBean is registered (tests). */
    boolean mbeanRegistered() {
        return mbean.registered();
    }

    /** A thread's entry as an LWP; closing it ends that LWP (the thread goes on). */
    public static final class Attachment implements AutoCloseable {
        private final KLwp lwp;

        Attachment(KLwp lwp) {
            this.lwp = lwp;
        }

        /**
         * The LWP id of the attached thread.
         *
         * @return its lid
         */
        public int lid() {
            return lwp.lid;
        }

        /**
         * The pid of its process.
         *
         * @return the pid
         */
        public int pid() {
            return lwp.proc.pid;
        }

        /**
         * End the LWP; must be called from the attached thread. Idempotent.
         *
         * @throws IllegalStateException if called from another thread
         */
        @Override
        public void close() {
            if (Thread.currentThread() != lwp.thread()) {
                throw new IllegalStateException("Attachment.close: call it from the attached thread");
            }
            lwp.kernel.detachThread(lwp);
        }
    }

    /** Limits and settings. */
    public static final class Builder {
        private static final KernelConfig DEFAULTS = KernelConfig.defaults();
        private int maxProc = DEFAULTS.maxProc();
        private int maxProcPerUid = DEFAULTS.maxProcPerUid();
        private int maxLwpPerProc = DEFAULTS.maxLwpPerProc();
        private int maxLid = DEFAULTS.maxLid();
        private int maxPid = DEFAULTS.maxPid();
        private Duration closeTimeout = DEFAULTS.closeTimeout();
        private LongSupplier clock = DEFAULTS.clock();
        private Consumer<Thread> threadStarter = DEFAULTS.threadStarter();
        private int lwpCacheMax = DEFAULTS.lwpCacheMax();
        private Duration lwpCacheIdle = DEFAULTS.lwpCacheIdle();

        private Builder() {
        }

        /** The int setters: refuse {@code n} below {@code min}, else store it with {@code field}. */
        private Builder atLeast(int n, int min, String what, IntConsumer field) {
            if (n < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + n);
            }
            field.accept(n);
            return this;
        }

        /**
         * The supervisor's process limit (DragonFly maxproc).
         *
         * @param n at least 2 (init and one more)
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 2}
         */
        public Builder maxProc(int n) {
            return atLeast(n, 2, "maxProc", v -> maxProc = v);
        }

        /**
         * The process limit per uid (maxprocperuid); uid 0 is exempt.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder maxProcPerUid(int n) {
            return atLeast(n, 1, "maxProcPerUid", v -> maxProcPerUid = v);
        }

        /**
         * The LWP limit of one process.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 1}
         */
        public Builder maxLwpPerProc(int n) {
            return atLeast(n, 1, "maxLwpPerProc", v -> maxLwpPerProc = v);
        }

        /**
         * The largest LWP id before ids wrap around to 1.
         *
         * @param n at least 2
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 2}
         */
        public Builder maxLid(int n) {
            return atLeast(n, 2, "maxLid", v -> maxLid = v);
        }

        /**
         * The largest pid before pids wrap around.
         *
         * @param n at least 2
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 2}
         */
        public Builder maxPid(int n) {
            return atLeast(n, 2, "maxPid", v -> maxPid = v);
        }

        /**
         * How long {@link Supervisor#close()} waits for LWPs to reach a safe point.
         *
         * @param d the timeout
         * @return this builder
         * @throws NullPointerException if {@code d} is null
         */
        public Builder closeTimeout(Duration d) {
            closeTimeout = Objects.requireNonNull(d, "d");
            return this;
        }

        /**
         * The nanosecond clock deadlines are read against (default {@code System::nanoTime}).
         *
         * @param clock a monotonic nanosecond clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How LWP platform threads are started (default {@code Thread::start}); a test can inject
         * a failure, which create answers with EAGAIN. It starts new threads only: an LWP that
         * gets a thread from the LWP cache ({@link #lwpCache}) runs without calling it, so with
         * the cache on not every create calls the starter ({@code lwpCache(0)}: every one does).
         *
         * @param starter starts the thread it is given
         * @return this builder
         * @throws NullPointerException if {@code starter} is null
         */
        public Builder threadStarter(Consumer<Thread> starter) {
            threadStarter = Objects.requireNonNull(starter, "starter");
            return this;
        }

        /**
         * The LWP cache's bound: how many platform threads of exited LWPs are kept, parked, to
         * run the next LWPs created (by {@link Lwp#create} or {@link Proc#fork}) instead of
         * starting a thread each time; 0 turns the cache off. Default 32. A reused thread gets
         * the name, priority and context class loader a new one would, no uncaught-exception
         * handler and a clear interrupt status; every lwp4j state is the new LWP's. What is not
         * fresh: its {@code ThreadLocal} values (those earlier LWPs on it left), its
         * {@code InheritableThreadLocal} values and thread group (from the LWP that first
         * started it), and the thread's identity ({@code Thread.currentThread()}, its id). The
         * {@link #threadStarter thread starter} starts new threads only.
         *
         * @param n at least 0
         * @return this builder
         * @throws IllegalArgumentException if {@code n < 0}
         */
        public Builder lwpCache(int n) {
            return atLeast(n, 0, "lwpCache", v -> lwpCacheMax = v);
        }

        /**
         * How long a cached thread waits for an LWP to run before it ends (default 60 s, as
         * {@code Executors.newCachedThreadPool}); {@link Supervisor#close()} ends them at once.
         *
         * @param d not negative
         * @return this builder
         * @throws NullPointerException     if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is negative
         */
        public Builder lwpCacheIdle(Duration d) {
            Objects.requireNonNull(d, "d");
            if (d.isNegative()) {
                throw new IllegalArgumentException("lwpCacheIdle must not be negative: " + d);
            }
            lwpCacheIdle = d;
            return this;
        }

        /**
         * Start a supervisor with these settings.
         *
         * @return a running supervisor, with init (pid 1) created
         */
        public Supervisor start() {
            return new Supervisor(new KernelConfig(maxProc, maxProcPerUid, maxLwpPerProc, maxLid, maxPid,
                    closeTimeout, clock, threadStarter, lwpCacheMax, lwpCacheIdle));
        }
    }
}
