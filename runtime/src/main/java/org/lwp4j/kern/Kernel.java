package org.lwp4j.kern;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.sleep.SleepTable;

/**
 * The kernel behind a {@code Supervisor}: the tables, the LWP life cycle, safe points, exit.
 */
public final class Kernel {
    /*
     * Implementation overview.
     *
     * Each Kernel is closed over its own tables; nothing is static but the thread-local that
     * says which LWP an attached thread is (a thread is an LWP of at most one kernel at a time).
     *
     * LWP life cycle (NetBSD lwp_create / lwp_exit, DragonFly lwp_exit and the deadlwp task):
     * create() allocates the lid under p.lock, builds the record and its platform thread, puts
     * it in the table and starts the thread; if starting fails, everything is undone (EAGAIN).
     * The thread runs lwpMain: a safe point (so a SUSPENDED LWP stops before its body), the
     * body, then lwpExit. lwpExit makes the LWP a zombie (joinable) or marks it for freeing
     * (detached, or its process is exiting); the last live LWP of a process first performs the
     * process exit with status 0. The thread then hands itself to the dead-LWP reaper, which
     * joins the platform thread and frees detached LWPs' ids; _lwp_wait frees joinable ones.
     *
     * Safe points: every call into the runtime reads the LWP's ast word; non-zero means a
     * request (exit, kill, signal, suspend, stop) to act on in userret(). Java cannot stop a
     * thread from outside, so requests post a bit and kick the target out of any interruptible
     * sleep; process exit also interrupts the thread so blocking JDK calls return.
     *
     * Process exit (DragonFly exit1 / killalllwps): the first LWP to get the process from
     * SACTIVE to SEXITING under p.lock is the master; a second exit finds SEXITING and only ends
     * its own LWP (EALREADY inside the kernel). The master posts AST_EXIT to every other LWP and
     * waits, uninterruptibly, until it is the only live one, then finishes the process.
     */

    private static final ThreadLocal<KLwp> ATTACHED = new ThreadLocal<>();
    private static final AtomicInteger KERNEL_IDS = new AtomicInteger();
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /**
     * Below this much CPU time a thread's user time is not read (see {@link #captureCpu}):
     * one Linux clock tick (USER_HZ = 100) less a millisecond for the time between the reads.
     * 0 where the JDK's user time does not come in ticks (see {@link #userTimeInTicks}).
     */
    static final long USER_TIME_UNREAD_BELOW = userTimeInTicks() ? 9_000_000L : 0L;

    public final KernelConfig cfg;
    public final SleepTable sleep;
    public final int id = KERNEL_IDS.incrementAndGet();
    /** DragonFly proc_token: the process tree, groups, sessions, pid allocation. */
    public final ReentrantLock tree = new ReentrantLock();
    /** Signal-layer state of the whole kernel (its interval timers); owned by the signal layer. */
    public volatile Object sigExt;
    final ConcurrentHashMap<Integer, KProc> procs = new ConcurrentHashMap<>();
    public final KProc init;
    /** Guarded by tree. */
    int lastPid = 1;
    private final AtomicInteger population = new AtomicInteger();
    /** LWPs made by newLwp whose thread is not started yet; close waits for them. */
    private final AtomicInteger starting = new AtomicInteger();
    /** Platform threads started for LWPs and not yet joined. */
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final DeadLwpReaper deadlwp;
    private volatile boolean closed;

    public Kernel(KernelConfig cfg) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.sleep = new SleepTable(cfg.clock());
        this.init = new KProc(this, 1);
        procs.put(1, init);
        this.deadlwp = new DeadLwpReaper(this);
        deadlwp.start();
    }

    // ------------------------------------------------------------------ current LWP

    /** The calling thread's LWP, or null if it is not one. */
    public static KLwp current() {
        Thread t = Thread.currentThread();
        if (t instanceof LwpThread) {
            return ((LwpThread) t).lwp;
        }
        return ATTACHED.get();
    }

    /** The calling LWP; a safe point. */
    public static KLwp curlwp(String call) {
        KLwp l = current();
        if (l == null) {
            throw new IllegalStateException(call + ": the calling thread is not an LWP; "
                    + "attach it with Supervisor.attach() first");
        }
        if (l.ast != 0) {
            l.kernel.userret(l);
        }
        return l;
    }

    public static LwpException err(Errno e, String call) {
        return new LwpException(e, call);
    }

    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ safe points

    /**
     * Act on the safe-point requests of the calling LWP l. Returns when nothing is left to do;
     * throws LwpExit when the LWP must end. The caller holds no lock.
     */
    public void userret(KLwp l) {
        for (;;) {
            int a = l.ast;
            if (a == 0) {
                return;
            }
            if ((a & KLwp.AST_EXIT) != 0) {
                throw exitUnwind(l, "its process is exiting");
            }
            if ((a & KLwp.AST_KILL) != 0) {
                l.clearAst(KLwp.AST_KILL);
                exit1(l, Wstat.signaled(Sig.SIGKILL));
                throw exitUnwind(l, "killed");
            }
            if ((a & (KLwp.AST_SUSPEND | KLwp.AST_STOP)) != 0) {
                // Before signals, as NetBSD's issignal stops first: a stopped or suspended LWP
                // takes no signal (but SIGKILL) until it is continued.
                stopSelf(l);
                continue;
            }
            if ((a & KLwp.AST_SIGNAL) != 0) {
                l.clearAst(KLwp.AST_SIGNAL);
                signalHook.deliver(l);
            }
        }
    }

    /** Signal delivery at a safe point; replaced by the signal layer. */
    public interface SignalHook {
        void deliver(KLwp l);
    }

    volatile SignalHook signalHook = l -> { };

    public void setSignalHook(SignalHook hook) {
        this.signalHook = Objects.requireNonNull(hook, "hook");
    }

    public LwpExit exitUnwind(KLwp l, String why) {
        if (l.attachedThread && ATTACHED.get() == l) {
            ATTACHED.remove();
            if (l.stat != KLwp.LSDEAD) {
                lwpExit(l);
            }
        }
        return new LwpExit("lwp " + l.proc.pid + "/" + l.lid + " exits: " + why);
    }

    /** Suspend or stop the calling LWP until continued (or told to exit). */
    private void stopSelf(KLwp l) {
        KProc p = l.proc;
        p.lock.lock();
        try {
            for (;;) {
                int a = l.ast;
                if ((a & (KLwp.AST_SUSPEND | KLwp.AST_STOP)) == 0 || (a & (KLwp.AST_EXIT | KLwp.AST_KILL)) != 0) {
                    break;
                }
                int st = (a & KLwp.AST_SUSPEND) != 0 ? KLwp.LSSUSPENDED : KLwp.LSSTOP;
                if (l.stat != st) {
                    l.setStat(st);
                    p.broadcast(KProc.CH_LWP);
                    stopHook.stopped(l);
                    continue; // the hook may have released p.lock: re-read ast before sleeping
                }
                sleep.cvWait(l, p, p.pid, KProc.CH_SUSPEND, p.lock, false, false, 0);
            }
            if (l.stat != KLwp.LSRUN) {
                l.setStat(KLwp.LSRUN);
                p.broadcast(KProc.CH_LWP);
            }
        } finally {
            p.lock.unlock();
        }
    }

    /** Sends a signal to a process from inside the kernel (SIGCHLD at exit, ...). */
    public interface SignalPoster {
        void post(KProc target, int sig, int code, int senderPid, int senderUid, int status);
    }

    volatile SignalPoster signalPoster = (p, sig, code, pid, uid, status) -> { };

    public void setSignalPoster(SignalPoster poster) {
        this.signalPoster = Objects.requireNonNull(poster, "poster");
    }

    /**
     * Post a kernel-generated signal to p (no permission check), on behalf of {@code sender}
     * (the exiting child of a SIGCHLD, the reaper of a REAP_KILL), whose pid and uid the
     * siginfo carries; null for the runtime itself (pid and uid 0: orphaned-group signals). The
     * caller may hold the tree lock, but no process lock (the signal layer takes the tree lock,
     * then p.lock).
     */
    public void psignal(KProc p, int sig, int code, KProc sender) {
        psignal(p, sig, code, sender, 0);
    }

    /** As {@link #psignal(KProc, int, int, KProc)}, with the siginfo's {@code si_status}. */
    public void psignal(KProc p, int sig, int code, KProc sender, int status) {
        signalPoster.post(p, sig, code, sender == null ? 0 : sender.pid, sender == null ? 0 : sender.uid, status);
    }

    /**
     * Told when a waiter has reaped {@code child} of {@code parent}: the signal layer withdraws
     * the child's SIGCHLD report (FreeBSD proc_reap's sigqueue_take). Called with no process lock
     * held; the caller may hold the tree lock.
     */
    public interface ChildReaped {
        void reaped(KProc parent, KProc child);
    }

    volatile ChildReaped childReaped = (parent, child) -> { };

    public void setChildReapedHook(ChildReaped hook) {
        this.childReaped = Objects.requireNonNull(hook, "hook");
    }

    public void childReaped(KProc parent, KProc child) {
        childReaped.reaped(parent, child);
    }

    /**
     * Signal state at fork: copy (or share, for SIGSHARE) the parent's dispositions into the
     * child, and make a group signal pending on the parent during fork reach the child. Called
     * by the process layer with the tree lock held, before the child's first LWP starts.
     */
    public interface ForkSignals {
        void fork(KProc parent, KProc child, boolean share);
    }

    volatile ForkSignals forkSignals = (parent, child, share) -> { };

    public void setForkSignals(ForkSignals f) {
        this.forkSignals = Objects.requireNonNull(f, "f");
    }

    public void forkSignals(KProc parent, KProc child, boolean share) {
        forkSignals.fork(parent, child, share);
    }

    /**
     * Told when an LWP has stopped, or has exited while its process is stopping (the signal
     * layer reports a process stop once every live LWP is stopped). Called with {@code
     * l.proc.lock} held once; the hook may release and re-take it (the caller re-checks).
     */
    public interface StopHook {
        void stopped(KLwp l);
    }

    volatile StopHook stopHook = l -> { };

    public void setStopHook(StopHook hook) {
        this.stopHook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Told about a new LWP record before it is visible or started, with {@code l.proc.lock}
     * held; {@link #current()} is the creating LWP (null for an attached thread). The signal
     * layer sets the inherited mask and posts signals already pending on the process.
     */
    public interface LwpCreatedHook {
        void created(KLwp l);
    }

    volatile LwpCreatedHook lwpCreatedHook = l -> { };

    public void setLwpCreatedHook(LwpCreatedHook hook) {
        this.lwpCreatedHook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Job-control stop (caller holds p.lock): every live LWP stops at its next safe point, and
     * LWPs created from now on start stopped, until {@link #continueProc}.
     */
    public void stopProc(KProc p) {
        p.stopping = true;
        for (KLwp t : p.lwps.values()) {
            if (t.isLive()) {
                t.post(KLwp.AST_STOP);
            }
        }
    }

    /**
     * Undo a job-control stop (caller holds p.lock). Stopped LWPs are runnable (or suspended,
     * if they also were) at once, as NetBSD's proc_unstop, not when their threads get round to
     * it: _lwp_wait's deadlock check reads stat right after.
     */
    public void continueProc(KProc p) {
        p.stopping = false;
        for (KLwp t : p.lwps.values()) {
            t.clearAst(KLwp.AST_STOP);
            if (t.stat == KLwp.LSSTOP) {
                t.setStat((t.ast & KLwp.AST_SUSPEND) != 0 ? KLwp.LSSUSPENDED : KLwp.LSRUN);
            }
        }
        p.broadcast(KProc.CH_LWP);
        p.broadcast(KProc.CH_SUSPEND);
    }

    /**
     * True when p has live LWPs and every one of them is stopped or suspended, i.e. none runs
     * (NetBSD p_nrlwps == 0). Caller holds p.lock.
     */
    public boolean allStopped(KProc p) {
        int live = 0;
        for (KLwp t : p.lwps.values()) {
            int st = t.stat;
            if (st == KLwp.LSZOMB || st == KLwp.LSDEAD) {
                continue;
            }
            if (st != KLwp.LSSTOP && st != KLwp.LSSUSPENDED) {
                return false;
            }
            live++;
        }
        return live > 0;
    }

    /**
     * Run the safe point of {@code me} while it holds {@code lock} once: release, act, re-take.
     */
    public void safePointUnlocked(KLwp me, ReentrantLock lock) {
        lock.unlock();
        try {
            userret(me);
        } finally {
            lock.lock();
        }
    }

    // ------------------------------------------------------------------ LWP life cycle

    void lwpMain(KLwp l) {
        try {
            try {
                if (l.ast != 0) {
                    userret(l);
                }
                l.body.run();
            } catch (LwpExit e) {
                // normal unwinding
            } catch (Throwable t) {
                l.fault = t;
                faultHook.fault(l, t);
            }
        } finally {
            lwpExit(l);
        }
    }

    /** What an uncaught Throwable does; the process layer terminates the process (SIGABRT). */
    public interface FaultHook {
        void fault(KLwp l, Throwable t);
    }

    /** Installed by the process layer (ProcLayer), which every Supervisor has. */
    volatile FaultHook faultHook = (l, t) -> {
        throw new IllegalStateException("uncaught in " + l + ": no process layer installed", t);
    };

    public void setFaultHook(FaultHook hook) {
        this.faultHook = Objects.requireNonNull(hook, "hook");
    }

    /** The calling thread's LWP l ends. The last live LWP of a process exits the process first. */
    void lwpExit(KLwp l) {
        KProc p = l.proc;
        Events.lwpExit(l);
        captureCpu(l); // before the lock: it can take a /proc read (captureCpu)
        p.lock.lock();
        try {
            if (!l.isLive()) {
                return; // already ended (an attached LWP killed by its process's exit)
            }
            if (p.pstat == KProc.SACTIVE && p.nlive == 1 && p != init) {
                // The last LWP exits the process first (exit1 takes and drops p.lock itself).
                int wstatus = l.lastExitStatus;
                p.lock.unlock();
                try {
                    exit1(l, wstatus);
                } finally {
                    p.lock.lock();
                }
            }
            p.nlive--;
            p.ruCpuNanos += l.cpuNanos;
            p.ruUserNanos += l.userNanos;
            // An attached thread leaving init is freed at once: init never exits, so its zombie
            // would stay in init's table for good (one leaked record per attach/close).
            boolean free = l.detached || p.pstat != KProc.SACTIVE || (l.attachedThread && p == init);
            l.setStat(KLwp.LSZOMB);
            if (free && l.attachedThread) {
                l.setStat(KLwp.LSDEAD);
                p.lwps.remove(l.lid, l);
            }
            if (p.stopping && p.pstat == KProc.SACTIVE) {
                stopHook.stopped(l); // the LWPs left may all be stopped now
            }
        } finally {
            p.lock.unlock();
        }
        // Wake the waiters after unlocking: woken under the lock, a waiter (often placed on
        // this CPU) preempts us and then blocks on p.lock, which we still hold. No wake is
        // lost: a waiter that saw the old state linked itself before releasing p.lock.
        p.broadcast(KProc.CH_LWP);
        sleep.setPopulation(population.decrementAndGet());
        if (!l.attachedThread) {
            deadlwp.enqueue(l);
        }
    }

    /**
     * Does this JDK count a thread's user time in whole 10 ms clock ticks, as it does on Linux
     * by reading /proc? Decided once, on the thread that loads this class: a JDK that reads a
     * precise clock instead gives a thread that has run Java code a user time above 0 that is
     * no multiple of 10 ms; ticks give a multiple (0 included).
     */
    private static boolean userTimeInTicks() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return false;
        }
        try {
            if (!MX.isCurrentThreadCpuTimeSupported() || !MX.isThreadCpuTimeEnabled()) {
                return false;
            }
            long user = MX.getCurrentThreadUserTime();
            return user >= 0 && user % 10_000_000L == 0;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The calling LWP's CPU time and user time, kept in its record. On Linux the JDK reads the
     * user time from /proc/self/task/TID/stat, which counts it in clock ticks of 10 ms (USER_HZ)
     * rounded down: a thread with less CPU time than one tick always reads 0. Opening that file
     * costs more than the rest of an LWP's exit (about 13 us for a thread that never opened it,
     * measured on the CI machine; start + exit of a thread is about 120 us), and most LWPs that
     * come and go are short. So under {@link #USER_TIME_UNREAD_BELOW} of CPU time the user time
     * is taken as the 0 the read would give; above it, it is read. CpuTimeTest checks the premise.
     */
    private static void captureCpu(KLwp l) {
        try {
            if (MX.isCurrentThreadCpuTimeSupported()) {
                // -1 when CPU time measurement is switched off: count nothing
                long cpu = Math.max(0, MX.getCurrentThreadCpuTime());
                l.cpuNanos = cpu;
                l.userNanos = cpu < USER_TIME_UNREAD_BELOW ? 0 : Math.max(0, MX.getCurrentThreadUserTime());
            }
        } catch (UnsupportedOperationException e) {
            // leave 0
        }
    }

    /**
     * NetBSD's lwp_free (and DragonFly's lwp_wait) does not let a reaper go on while the zombie
     * it collected still runs on its CPU: it waits, without a bound, until the LWP has switched
     * away for good. Here an LWP is on its CPU until its platform thread has ended, which comes
     * a little after its exit woke the waiter (the JVM's thread teardown). The waiter yields
     * until Thread.isAlive() turns false (in the JVM's teardown, which still has native work to
     * do after that), for at most {@link SleepTable#KWAIT_SPIN_NANOS}, and goes on regardless:
     * the wait is best effort, and the dead-LWP reaper joins the thread in any case. It keeps
     * that teardown from competing with what the waiter does next, typically starting another
     * LWP: on 2 CPUs that start would otherwise wait for the CPU the teardown holds.
     */
    void waitOffCpu(KLwp l) {
        if (SleepTable.KWAIT_SPIN_NANOS > 0) {
            waitOffCpu(l, System.nanoTime() + SleepTable.KWAIT_SPIN_NANOS);
        }
    }

    /**
     * The same for the LWPs a zombie process still holds (usually its last one), as DragonFly's
     * kern_wait reaps them with lwp_wait before it frees the process; one bound for them all.
     */
    public void waitOffCpu(KProc p) {
        // Records leave the table once the dead-LWP reaper has joined their threads: usually
        // all of them by the time a zombie is reaped, and then there is nothing to iterate.
        if (SleepTable.KWAIT_SPIN_NANOS > 0 && !p.lwps.isEmpty()) {
            long deadline = System.nanoTime() + SleepTable.KWAIT_SPIN_NANOS;
            for (KLwp l : p.lwps.values()) {
                if (!waitOffCpu(l, deadline)) {
                    return;
                }
            }
        }
    }

    /** Yields until l's platform thread has ended; false if the deadline came first. */
    private static boolean waitOffCpu(KLwp l, long deadline) {
        Thread t = l.thread;
        if (l.attachedThread || t == null) {
            return true;
        }
        while (t.isAlive()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /** Called by the dead-LWP reaper after the platform thread has terminated. */
    void disposeDead(KLwp l) {
        threads.remove(l.thread);
        KProc p = l.proc;
        p.lock.lock();
        try {
            if ((l.detached || p.pstat != KProc.SACTIVE) && l.stat == KLwp.LSZOMB) {
                l.setStat(KLwp.LSDEAD);
                p.lwps.remove(l.lid, l);
                p.broadcast(KProc.CH_LWP);
            }
        } finally {
            p.lock.unlock();
        }
        procHook.lwpDisposed(p);
    }

    /** Told when an LWP record was disposed (the process layer frees zombie processes' tables). */
    public interface ProcHook {
        void lwpDisposed(KProc p);
    }

    volatile ProcHook procHook = p -> { };

    public void setProcHook(ProcHook hook) {
        this.procHook = Objects.requireNonNull(hook, "hook");
    }

    /** DragonFly lwp_fork's id choice: upward from the last one, wrapping to 1, skipping ids in use. */
    int allocLid(KProc p, String call) {
        if (p.lwps.size() >= cfg.maxLid()) {
            throw err(Errno.EAGAIN, call);
        }
        int lid = p.lastLid;
        do {
            lid = lid >= cfg.maxLid() || lid < 0 ? 1 : lid + 1;
        } while (p.lwps.containsKey(lid));
        return lid;
    }

    /**
     * Make a new LWP record in p (caller holds p.lock) and insert it. For a created LWP the
     * platform thread is made but not started: the caller starts it with {@link #startLwp}
     * after releasing p.lock (fork: still under the tree lock). Thread.start waits for the new
     * thread to come up, and the new LWP's first lock (often, for a short body, the one its
     * exit takes) would wait for the creator to release p.lock: a sleep and a wake-up on every
     * create. An LWP made before an exit or close kills p's LWPs is in the table when they do,
     * so it gets AST_EXIT and acts on it at its first safe point; creation after that is
     * refused (LwpCalls.create checks pstat under p.lock).
     */
    KLwp newLwp(KProc p, Runnable body, boolean detached, boolean suspended, Thread attached, String call) {
        if (p.lwps.size() >= cfg.maxLwpPerProc()) {
            throw err(Errno.EAGAIN, call);
        }
        int lid = allocLid(p, call);
        KLwp l = new KLwp(this, p, lid, body, detached, attached != null);
        if (suspended) {
            l.ast = KLwp.AST_SUSPEND;
        }
        if (p.stopping) {
            l.ast |= KLwp.AST_STOP;
        }
        l.stat = suspended ? KLwp.LSSUSPENDED : KLwp.LSRUN;
        lwpCreatedHook.created(l);
        l.lidBefore = p.lastLid;
        p.lastLid = lid;
        p.lwps.put(lid, l);
        l.recount();
        p.nlive++;
        if (attached != null) {
            l.thread = attached;
        } else {
            LwpThread t = new LwpThread(l);
            l.thread = t;
            threads.add(t);
            starting.incrementAndGet();
        }
        sleep.setPopulation(population.incrementAndGet());
        return l;
    }

    /**
     * Start the platform thread of an LWP made by {@link #newLwp}; the caller holds no process
     * lock (_lwp_create holds none, fork the tree lock).
     * If the thread cannot be started, take the record out again (its id too, unless another
     * has been handed out since) and answer EAGAIN. Until then the LWP exists without running:
     * what others do to it meanwhile (a signal, a kill, an unpark) waits in its record for its
     * first safe point, as for a suspended LWP.
     */
    public void startLwp(KLwp l, int flags, String call) {
        try {
            cfg.threadStarter().accept(l.thread);
        } catch (Throwable e) {
            unstart(l);
            LwpException x = err(Errno.EAGAIN, call);
            x.initCause(e);
            throw x;
        } finally {
            starting.decrementAndGet();
        }
        Events.lwpCreate(l, flags);
    }

    private void unstart(KLwp l) {
        KProc p = l.proc;
        p.lock.lock();
        try {
            threads.remove(l.thread);
            l.setStat(KLwp.LSDEAD);
            p.lwps.remove(l.lid, l);
            p.nlive--;
            if (p.lastLid == l.lid) {
                p.lastLid = l.lidBefore;
            }
            p.broadcast(KProc.CH_LWP);
        } finally {
            p.lock.unlock();
        }
        sleep.setPopulation(population.decrementAndGet());
    }

    /**
     * Make the first LWP of a process made by fork (the process layer holds the tree lock
     * and starts it with {@link #startLwp} before releasing it).
     */
    public KLwp forkLwp(KProc p, Runnable body, String call) {
        p.lock.lock();
        try {
            return newLwp(p, body, false, false, null, call);
        } finally {
            p.lock.unlock();
        }
    }

    /** Live LWPs of the kernel. */
    public int population() {
        return population.get();
    }

    // ------------------------------------------------------------------ attach

    /** Enter the calling thread as a new LWP of p. */
    public KLwp attach(KProc p) {
        if (current() != null) {
            throw new IllegalStateException("attach: the calling thread is already an LWP");
        }
        if (closed) {
            throw err(Errno.ESRCH, "attach: supervisor closed");
        }
        KLwp l;
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                throw err(Errno.ESRCH, "attach(" + p.pid + ")");
            }
            l = newLwp(p, null, false, false, Thread.currentThread(), "attach(" + p.pid + ")");
        } finally {
            p.lock.unlock();
        }
        ATTACHED.set(l);
        return l;
    }

    /** Leave: the attached LWP ends as if it had exited (its process exits if it was the last). */
    public void detachThread(KLwp l) {
        if (ATTACHED.get() != l) {
            return; // already gone (its process ended) or another thread's
        }
        ATTACHED.remove();
        lwpExit(l);
    }

    // ------------------------------------------------------------------ processes

    /**
     * Allocate a pid and a process record, child of parent (caller holds the tree lock).
     * DragonFly fork1: pids upward with wrap-around, skipping pids in use; limits first.
     */
    public KProc newProc(KProc parent, int uid, String call) {
        if (!tree.isHeldByCurrentThread()) {
            throw new IllegalStateException("tree lock not held");
        }
        if (procs.size() >= cfg.maxProc()) {
            throw err(Errno.EAGAIN, call);
        }
        if (uid != 0) {
            int mine = 0;
            for (KProc q : procs.values()) {
                if (q.uid == uid && q.pstat != KProc.SDEAD) {
                    mine++;
                }
            }
            if (mine >= cfg.maxProcPerUid()) {
                throw err(Errno.EAGAIN, call);
            }
        }
        int pid = lastPid;
        do {
            pid = pid >= cfg.maxPid() ? 2 : pid + 1;
        } while (procs.containsKey(pid) || pgrpOrSessionInUse(pid));
        lastPid = pid;
        KProc p = new KProc(this, pid);
        p.parent = parent;
        p.uid = uid;
        if (parent != null) {
            p.gid = parent.gid;
            parent.children.add(p);
        }
        procs.put(pid, p);
        return p;
    }

    /** Told when a new process record exists (caller holds the tree lock). */
    public interface ProcCreatedHook {
        void created(KProc p);
    }

    volatile ProcCreatedHook procCreatedHook = p -> { };

    public void setProcCreatedHook(ProcCreatedHook hook) {
        this.procCreatedHook = Objects.requireNonNull(hook, "hook");
    }

    public void procCreated(KProc p) {
        procCreatedHook.created(p);
    }

    /** Whether a pid is still used as a process group or session id (the process layer knows). */
    public interface PidInUse {
        boolean inUse(int pid);
    }

    volatile PidInUse pidInUse = pid -> false;

    public void setPidInUse(PidInUse f) {
        this.pidInUse = Objects.requireNonNull(f, "f");
    }

    private boolean pgrpOrSessionInUse(int pid) {
        return pidInUse.inUse(pid);
    }

    public KProc findProc(int pid) {
        return procs.get(pid);
    }

    /** Every process record, zombies included (a snapshot). */
    public List<KProc> procList() {
        return new ArrayList<>(procs.values());
    }

    public void removeProc(KProc p) {
        procs.remove(p.pid, p);
    }

    /**
     * DragonFly exit1, first part: become the master of the process exit, kill every other
     * LWP at its safe point and wait until they are gone. Returns false if another LWP is
     * already exiting the process (the caller just ends its LWP). Then runs the process layer's
     * exit work (hooks, resources, reparenting, zombie, parent notification).
     */
    public boolean exit1(KLwp me, int wstatus) {
        KProc p = me.proc;
        if (p == init) {
            throw err(Errno.EPERM, "exit: init cannot exit");
        }
        p.lock.lock();
        try {
            if (p.pstat != KProc.SACTIVE) {
                return false;
            }
            p.pstat = KProc.SEXITING;
            p.exitMaster = me;
            p.xstat = wstatus;
            killOthers(p, me);
            while (p.nlive > (me.isLive() ? 1 : 0)) {
                sleep.cvWait(me, p, p.pid, KProc.CH_LWP, p.lock, false, false, 0);
            }
            for (KLwp t : p.lwps.values()) {
                if (t != me && t.stat == KLwp.LSZOMB && t.attachedThread) {
                    t.setStat(KLwp.LSDEAD);
                    p.lwps.remove(t.lid, t);
                }
            }
        } finally {
            p.lock.unlock();
        }
        exitHook.exited(me, p, wstatus);
        return true;
    }

    /** killalllwps: post AST_EXIT to every live LWP of p but me (caller holds p.lock). */
    private void killOthers(KProc p, KLwp me) {
        for (KLwp t : p.lwps.values()) {
            if (t == me || !t.isLive()) {
                continue;
            }
            t.post(KLwp.AST_EXIT);
            if (t.attachedThread) {
                // A foreign thread cannot be made to unwind; it ends now and learns it
                // (LwpExit) at its next call.
                t.setStat(KLwp.LSDEAD);
                p.nlive--;
                p.lwps.remove(t.lid, t);
                sleep.setPopulation(population.decrementAndGet());
            } else {
                t.thread.interrupt();
            }
        }
        p.broadcast(KProc.CH_SUSPEND);
        p.broadcast(KProc.CH_LWP);
    }

    /** The process layer's part of exit1, run by the master after the other LWPs are gone. */
    public interface ExitHook {
        void exited(KLwp master, KProc p, int wstatus);
    }

    /** Installed by the process layer (ProcLayer), which every Supervisor has. */
    volatile ExitHook exitHook = (master, p, wstatus) -> {
        throw new IllegalStateException("exit of " + p + ": no process layer installed");
    };

    public void setExitHook(ExitHook hook) {
        this.exitHook = Objects.requireNonNull(hook, "hook");
    }

    // ------------------------------------------------------------------ close

    /**
     * Kill every process, wait up to the close timeout for every LWP thread to end, join them
     * and the reaper, and empty the tables. Fails with EBUSY, naming the LWPs that never
     * reached a safe point, if the timeout passes first.
     */
    public void close() {
        if (!closed) {
            closed = true;
            tree.lock(); // a fork in progress finishes (its child is in the list below); later
            tree.unlock(); // forks see closed
            for (KProc p : procList()) {
                p.lock.lock();
                try {
                    if (p.pstat == KProc.SACTIVE) {
                        p.pstat = KProc.SEXITING;
                    }
                    killOthers(p, null);
                } finally {
                    p.lock.unlock();
                }
            }
        }
        long deadline = System.nanoTime() + cfg.closeTimeout().toNanos();
        while (starting.get() > 0 && deadline - System.nanoTime() > 0) {
            Thread.yield(); // a creator between newLwp and startLwp: its thread joins the list below
        }
        List<String> stuck = new ArrayList<>();
        for (Thread t : new ArrayList<>(threads)) {
            if (!joinUntil(t, deadline)) {
                stuck.add(t.getName());
            }
        }
        if (!stuck.isEmpty()) {
            throw new LwpException(Errno.EBUSY, "close: LWPs never reached a safe point within "
                    + cfg.closeTimeout() + ": " + stuck);
        }
        deadlwp.shutdown(deadline);
        if (deadlwp.isAlive()) {
            throw new LwpException(Errno.EBUSY, "close: the dead-LWP reaper did not finish");
        }
        for (KProc p : procList()) {
            p.lwps.clear();
            p.pstat = KProc.SDEAD;
        }
        procs.clear();
    }

    static boolean joinUntil(Thread t, long deadline) {
        boolean interrupted = false;
        try {
            for (;;) {
                long rem = deadline - System.nanoTime();
                if (!t.isAlive()) {
                    return true;
                }
                if (rem <= 0) {
                    return false;
                }
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(rem)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Number of LWP records in every table (zombies included). */
    public int lwpRecords() {
        int n = 0;
        for (KProc p : procs.values()) {
            n += p.lwps.size();
        }
        return n;
    }

    public int processCount() {
        return procs.size();
    }

    /** Threads started by this kernel that have not been joined yet (LWPs and the reaper). */
    public List<Thread> liveThreads() {
        List<Thread> l = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                l.add(t);
            }
        }
        if (deadlwp.isAlive()) {
            l.add(deadlwp);
        }
        return l;
    }
}
