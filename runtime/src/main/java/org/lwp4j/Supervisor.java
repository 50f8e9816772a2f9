package org.lwp4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
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
 */
public final class Supervisor implements AutoCloseable {
    private final Kernel kernel;

    private final ProcLayer procLayer;

    private Supervisor(KernelConfig cfg) {
        this.kernel = new Kernel(cfg);
        this.procLayer = new ProcLayer(kernel);
        SignalLayer.install(kernel);
    }

    /** A supervisor with the default limits. */
    public static Supervisor start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Enter the calling thread as a new LWP of init.
     *
     * @throws IllegalStateException if the thread is already an LWP
     * @throws LwpException          ESRCH after {@link #close()}
     */
    public Attachment attach() {
        return new Attachment(kernel.attach(kernel.init));
    }

    /**
     * Enter the calling thread as the first LWP of a new process, a child of init with uid 0.
     * When the attachment closes, the process exits with status 0 (if it has no other LWPs).
     *
     * @throws LwpException EAGAIN over the process limit; ESRCH after {@link #close()}
     */
    public Attachment attachNewProcess() {
        return attachNewProcess(0);
    }

    /** As {@link #attachNewProcess()} with the given uid (and gid). */
    public Attachment attachNewProcess(int uid) {
        if (Kernel.current() != null) {
            throw new IllegalStateException("attach: the calling thread is already an LWP");
        }
        KProc p;
        kernel.tree.lock();
        try {
            if (kernel.isClosed()) {
                // checked before the process record exists, so a refused attach leaves nothing
                throw new LwpException(Errno.ESRCH, "attach: supervisor closed");
            }
            p = kernel.newProc(kernel.init, uid, "attach");
            p.gid = uid;
            kernel.procCreated(p);
        } finally {
            kernel.tree.unlock();
        }
        return new Attachment(kernel.attach(p));
    }

    /**
     * Enter the calling thread as a new LWP of the live process {@code pid} (for example to give a
     * process more than one attached thread, as stress tests need).
     *
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

    /** The number of processes in the table, init and zombies included. */
    public int processCount() {
        return kernel.processCount();
    }

    /** The number of LWP records in every process, zombies included. */
    public int lwpCount() {
        return kernel.lwpRecords();
    }

    /** Platform threads this supervisor started that are still alive (LWPs, its reaper, its timer thread). */
    public List<Thread> liveThreads() {
        List<Thread> l = kernel.liveThreads();
        Thread t = SignalLayer.timerThread(kernel);
        if (t != null) {
            l = new java.util.ArrayList<>(l);
            l.add(t);
        }
        return l;
    }

    /** A ps-style snapshot of every process and LWP; {@code toString()} prints it as a table. */
    public Ps ps() {
        return PsView.snapshot(kernel);
    }

    /** Sleep-table figures: buckets, waiters linked now, sleepers blocked now. */
    public SleepStats sleepStats() {
        return new SleepStats(kernel.sleep.bucketCount(), kernel.sleep.linkedWaiters(), kernel.sleep.blockedCount());
    }

    /** A sleep table reading. */
    public record SleepStats(int buckets, int linkedWaiters, int blocked) {
    }

    /** Internal: the process layer (tests read its tables). */
    ProcLayer procLayer() {
        return procLayer;
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
        SignalLayer.closing(kernel, kernel.cfg.closeTimeout().toNanos());
        kernel.close();
        procLayer.closed();
    }

    /** A thread's entry as an LWP; closing it ends that LWP (the thread goes on). */
    public static final class Attachment implements AutoCloseable {
        private final KLwp lwp;

        Attachment(KLwp lwp) {
            this.lwp = lwp;
        }

        /** The LWP id of the attached thread. */
        public int lid() {
            return lwp.lid;
        }

        /** The pid of its process. */
        public int pid() {
            return lwp.proc.pid;
        }

        /** End the LWP; must be called from the attached thread. Idempotent. */
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

        private Builder() {
        }

        private static int atLeast(int n, int min, String what) {
            if (n < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + n);
            }
            return n;
        }

        /** The supervisor's process limit (DragonFly maxproc). */
        public Builder maxProc(int n) {
            maxProc = atLeast(n, 2, "maxProc");
            return this;
        }

        /** The process limit per uid (maxprocperuid); uid 0 is exempt. */
        public Builder maxProcPerUid(int n) {
            maxProcPerUid = atLeast(n, 1, "maxProcPerUid");
            return this;
        }

        /** The LWP limit of one process. */
        public Builder maxLwpPerProc(int n) {
            maxLwpPerProc = atLeast(n, 1, "maxLwpPerProc");
            return this;
        }

        /** The largest LWP id before ids wrap around to 1. */
        public Builder maxLid(int n) {
            maxLid = atLeast(n, 2, "maxLid");
            return this;
        }

        /** The largest pid before pids wrap around. */
        public Builder maxPid(int n) {
            maxPid = atLeast(n, 2, "maxPid");
            return this;
        }

        /** How long {@link Supervisor#close()} waits for LWPs to reach a safe point. */
        public Builder closeTimeout(Duration d) {
            closeTimeout = Objects.requireNonNull(d, "d");
            return this;
        }

        /** The nanosecond clock deadlines are read against (default {@code System::nanoTime}). */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How LWP platform threads are started (default {@code Thread::start}); a test can inject
         * a failure, which create answers with EAGAIN.
         */
        public Builder threadStarter(Consumer<Thread> starter) {
            threadStarter = Objects.requireNonNull(starter, "starter");
            return this;
        }

        /**
         * Start a supervisor with these settings.
         */
        public Supervisor start() {
            return new Supervisor(new KernelConfig(maxProc, maxProcPerUid, maxLwpPerProc, maxLid, maxPid,
                    closeTimeout, clock, threadStarter));
        }
    }
}
