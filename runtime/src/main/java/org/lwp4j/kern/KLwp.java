package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.lwp4j.Wait;
import org.lwp4j.signal.LwpSig;
import org.lwp4j.sleep.Waiter;

/**
 * The kernel's record of one LWP (NetBSD {@code struct lwp}). It is also its own sleep-table node.
 */
public final class KLwp extends Waiter implements ExitQueue.Linked {
    /*
     * Fields and their rules.
     *
     * stat: the run state (LS* below). Written under proc.lock; volatile so ctl() and ps read it
     * without locks. The sleep state lives in the park word (Waiter), not here: an LWP in park or
     * in a kernel wait is LSRUN with SLEEPING in its park word, as NetBSD's LSSLEEP.
     *
     * ast: safe-point requests ("asynchronous system traps"). Requesters OR bits in with
     * getAndBitwiseOr and then kick() the park word, so a sleeper that published SLEEPING before
     * the request is woken, and one that publishes it after re-reads ast (safePointPending) and
     * does not sleep. The owner acts on ast at its next safe point (Kernel.userret).
     *
     * detached, waitingFor, waiter, zombieReaped: guarded by proc.lock (NetBSD p_lock).
     */
    public static final int LSIDL = 1, LSRUN = 2, LSSUSPENDED = 3, LSSTOP = 4, LSZOMB = 5, LSDEAD = 6;

    /** Safe-point request bits. */
    public static final int AST_SUSPEND = 1, AST_STOP = 1 << 1, AST_EXIT = 1 << 2, AST_SIGNAL = 1 << 3,
            AST_KILL = 1 << 4;

    public final Kernel kernel;
    public final KProc proc;
    public final int lid;
    /** The process's last handed-out id before this one (to give it back if the start fails). */
    int lidBefore;
    /**
     * The wait status the process exits with if this LWP turns out to be its last one when it
     * ends: exited(0) for a body that returns, extexit(LWP)'s status otherwise. Guarded by
     * proc.lock.
     */
    int lastExitStatus = Wait.exitedStatus(0);
    final Runnable body;
    /** True for a thread that entered with Supervisor.attach: not started nor joined by us. */
    public final boolean attachedThread;
    /**
     * The platform thread; set by newLwp, cleared under proc.lock when the thread goes back to
     * the LWP cache as the LWP becomes a zombie (LwpLifecycle.leave). Volatile so that a waiter
     * in waitOffCpu sees it leave; act on the thread through it only under proc.lock or while
     * the LWP is live.
     */
    volatile Thread thread;

    volatile int stat = LSIDL;
    volatile int ast;
    /** SleepCalls' one-entry cache of the last target of a hand-off, await or unpark (owner only; may be dead). */
    KLwp handoffTarget;
    /**
     * The lid handoffTarget had when it was cached (owner only). Kept here rather than read
     * from the target: the target's lid shares a cache line with the fields its every park
     * writes (the hint, the wait channel), so reading it would pull that line across.
     */
    int handoffLid;
    /** The dead-LWP reaper's queue link (ExitQueue: the queue's alone, once the LWP has exited). */
    private ExitQueue.Linked exitNext;

    // Guarded by proc.lock.
    boolean detached;
    /** Whether proc.nwaitable counts this LWP (see setStat). */
    private boolean counted;
    /** Whether proc.njoinable counts this LWP, and whether it is on proc's list of zombies. */
    private boolean joinable, listed;
    /** Links of proc's list of joinable zombies (KProc.zombies), oldest first. */
    KLwp zprev, znext;
    int waitingFor;
    int waiter;

    volatile Object priv;
    volatile String name = "";
    /** The uncaught Throwable that ended this LWP, if any. */
    volatile Throwable fault;
    /** CPU time consumed, captured when the LWP ends (nanoseconds). */
    volatile long cpuNanos, userNanos;

    /** Per-LWP signal mask and pending set (bit n-1 for signal n); guarded by proc.lock. */
    public long sigmask, sigpending;
    /**
     * The signal layer's state of this LWP beyond its mask and pending set (siginfo of pending
     * signals, ...), made on first need, since most LWPs never get an LWP-directed signal;
     * guarded by proc.lock.
     */
    public LwpSig sig;
    /**
     * What the handlers run at this LWP's safe points since it was last cleared mean for an
     * interrupted kernel sleep ({@link SigIntr}): HANDLED, NORESTART bits. Written by the signal
     * layer on the LWP's own thread, read and cleared by the LWP itself: no lock.
     */
    public int sigIntr;

    KLwp(Kernel kernel, KProc proc, int lid, Runnable body, boolean detached, boolean attachedThread) {
        this.kernel = kernel;
        this.proc = proc;
        this.lid = lid;
        this.body = body;
        this.detached = detached;
        this.attachedThread = attachedThread;
    }

    /**
     * extexit(EXTEXIT_LWP): this LWP is about to end as an LWP only (caller holds proc.lock and
     * saw other live LWPs); should it still be the last to go, the process exits with
     * {@code wstatus}, as DragonFly's second racing extexit would.
     */
    public void setLastExitStatus(int wstatus) {
        lastExitStatus = wstatus;
    }

    /** Set the state (caller holds proc.lock), keeping the process's count of waitable LWPs. */
    void setStat(int s) {
        stat = s;
        recount();
    }

    /**
     * Count this LWP in proc.nwaitable while it may still give _lwp_wait a zombie: not
     * detached, and running, new or a zombie (NetBSD's p_nrlwps + p_nzlwps - p_ndlwps); in
     * proc.njoinable while not detached and not dead (what an _lwp_wait(0) may still wait
     * for); on proc's zombie list while a joinable zombie. Call with proc.lock held after a
     * change of stat or detached.
     */
    void recount() {
        boolean w = !detached && (stat == LSRUN || stat == LSIDL || stat == LSZOMB);
        if (w != counted) {
            counted = w;
            proc.nwaitable += w ? 1 : -1;
        }
        boolean j = !detached && stat != LSDEAD;
        if (j != joinable) {
            joinable = j;
            proc.njoinable += j ? 1 : -1;
        }
        boolean z = j && stat == LSZOMB;
        if (z != listed) {
            listed = z;
            if (z) {
                proc.linkZombie(this);
            } else {
                proc.unlinkZombie(this);
            }
        }
    }

    /** Whether proc.njoinable counts this LWP (caller holds proc.lock). */
    boolean joinable() {
        return joinable;
    }

    @Override
    protected Thread sleeperThread() {
        return thread;
    }

    /** Whether a safe-point request (AST_* bits) is pending: the LWP has one to act on. */
    @Override
    public boolean safePointPending() {
        return ast != 0;
    }

    @Override
    protected boolean exitPending() {
        return (ast & (AST_EXIT | AST_KILL)) != 0;
    }

    public Thread thread() {
        return thread;
    }

    public int stat() {
        return stat;
    }

    /** CPU time captured when the LWP ended (0 while it runs). */
    public long cpuNanos() {
        return cpuNanos;
    }

    /**
     * CPU time of this LWP so far (ps; any thread): while it runs, read from its thread (for a
     * thread of the LWP cache, only what it used since it took this LWP up); once it has ended,
     * what it left in its record.
     *
     * @return nanoseconds, or -1 if the JVM cannot tell (or the thread has left the record)
     */
    public long cpuNanosSoFar() {
        Thread t = thread;
        if (t == null || !CpuTime.supported()) {
            return -1;
        }
        if (stat == LSZOMB || stat == LSDEAD || !t.isAlive()) {
            return cpuNanos;
        }
        return CpuTime.live(t);
    }

    /** User CPU time captured when the LWP ended (0 while it runs). */
    public long userNanos() {
        return userNanos;
    }

    /** The uncaught Throwable that ended this LWP's body, or null. */
    public Throwable fault() {
        return fault;
    }

    /** Post safe-point request bits and kick the LWP out of an interruptible sleep. */
    public void post(int bits) {
        AST.getAndBitwiseOr(this, bits);
        if ((bits & (AST_EXIT | AST_KILL)) != 0) {
            kickExit(); // also out of an uninterruptible parking-lot wait
        } else {
            kick();
        }
    }

    void clearAst(int bits) {
        AST.getAndBitwiseAnd(this, ~bits);
    }

    /**
     * Live: created and not yet a zombie (the one test of liveness).
     *
     * @return whether the LWP is live
     */
    public boolean isLive() {
        int s = stat;
        return s != LSZOMB && s != LSDEAD;
    }

    /**
     * An attached thread's own name, kept while the thread carries its LWP's name (attach) and
     * given back (once: getAndSet to null) when the LWP ends or the thread learns it has.
     */
    private volatile String nameBeforeAttach;

    /** Give the calling attached thread its LWP's name, as LwpThreads have (no lock held). */
    void renameAttachedThread() {
        nameBeforeAttach = thread.getName();
        thread.setName(threadName());
    }

    /** Whether the thread still carries this LWP's name (set in attach, not yet given back). */
    boolean carriesName() {
        return !attachedThread || nameBeforeAttach != null;
    }

    /**
     * Give an attached thread its own name back, unless someone renamed it meanwhile. Any
     * thread, no lock held (Thread.setName may take the thread's monitor, which user code could
     * hold); idempotent.
     */
    void restoreThreadName() {
        String before = (String) NAME_BEFORE.getAndSet(this, (String) null);
        if (before != null && thread.getName().equals(threadName())) {
            thread.setName(before);
        }
    }

    /** The LWP's name, as _lwp_setname kept it ("" if none); threadName() is built from it. */
    public String name() {
        return name;
    }

    String threadName() {
        String n = name;
        return "lwp " + proc.pid + "/" + lid + (n.isEmpty() ? "" : " " + n);
    }

    @Override
    public String toString() {
        return threadName();
    }

    private static final VarHandle AST = Handles.field(MethodHandles.lookup(), "ast", int.class);
    private static final VarHandle NAME_BEFORE = Handles.field(MethodHandles.lookup(), "nameBeforeAttach",
            String.class);

    @Override
    public ExitQueue.Linked exitNext() {
        return exitNext;
    }

    @Override
    public void exitNext(ExitQueue.Linked next) {
        exitNext = next;
    }
}
