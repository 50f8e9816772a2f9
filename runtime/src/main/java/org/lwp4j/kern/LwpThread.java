package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The platform thread of an LWP, or of several in turn (the LWP cache); finding the current
 * LWP is one type check and one field read.
 */
final class LwpThread extends Thread {
    /*
     * The start gate. The thread is started by the supervisor's thread starter, which is user
     * code: it may start the thread and then throw, or return without starting it. So the new
     * thread does not run the LWP until its creator has seen the starter return (GO); if the
     * starter threw after starting it, the creator abandons it (ABANDONED) and the thread ends
     * without running anything, and the create answers EAGAIN having changed nothing. The
     * creator decides right after the starter returns, so the new thread rarely finds the gate
     * still PENDING (a thread takes tens of microseconds to come up); if it does, it spins a
     * little, then parks (WAITING) until the decision unparks it.
     */
    private static final int PENDING = 0, WAITING = 1, GO = 2, ABANDONED = 3;
    private static final int GATE_SPINS = 64;

    /*
     * The LWP cache (LwpCache): after its LWP has ended, the thread may go back to the cache
     * (recycle, set by LwpLifecycle.leave on this thread) and run the next LWP a creator hands
     * it (next). `lwp` is written only by this thread (or before it starts), so the current-LWP
     * lookup stays a plain read; it is null while the thread is idle: an idle thread is no LWP.
     *
     * Names. Thread.setName takes the thread's monitor, which user code may hold (a thread
     * object is a public monitor: join uses it), so no thread is ever renamed under a kernel
     * lock. Renames go through nameLock, a leaf lock of this thread alone, and apply only while
     * `owner` is the LWP they are for: the thread sets owner (and its name) itself when it
     * takes up an LWP and when it goes idle, so a late rename through an old record (Lwp.setName
     * of a zombie whose thread has moved on) does nothing, and a rename of the new LWP made
     * before the thread took it up is read from the record's name when it does. The other
     * fresh-thread settings (priority, context class loader, no handler) are the creator's,
     * recorded by newLwp (prepare) and applied by this thread when it takes the LWP up.
     */
    private final ReentrantLock nameLock = new ReentrantLock();
    /** The LWP whose name this thread carries; guarded by nameLock. */
    private KLwp owner;
    /** The creator's priority and context class loader, for the next LWP (prepare). */
    private int nextPriority;
    private ClassLoader nextLoader;

    /** The LWP this thread runs; null while idle in the cache. Written only by this thread once started. */
    KLwp lwp;
    /** Set by LwpLifecycle.leave (on this thread) when the thread went back to the cache. */
    boolean recycle;
    /** The cache's state of this thread (LwpCache.FRESH ...), guarded by the cache's monitor. */
    int cacheState;
    /**
     * The thread's CPU and user time (JVM counts, from its start) already given to the LWPs it
     * ran: written by this thread at each LWP's exit (CpuTime.capture), read by ps; the next
     * LWP's own time is counted from here.
     */
    volatile long cpuSeen;
    long userSeen;
    /** The next LWP, handed over by LwpCache.handOff. */
    volatile KLwp next;
    private volatile int gate;

    LwpThread(KLwp lwp) {
        super(null, null, lwp.threadName(), 0, false);
        this.lwp = lwp;
        this.owner = lwp;
        setDaemon(true);
    }

    /** The creator: the starter returned; let the LWP run. */
    void open() {
        decide(GO);
    }

    /** The creator: the starter threw after starting this thread; it ends without running. */
    void abandon() {
        decide(ABANDONED);
    }

    private void decide(int d) {
        if ((int) GATE.getAndSet(this, d) == WAITING) {
            LockSupport.unpark(this);
        }
    }

    @Override
    public void run() {
        if (gate != GO && !passGate()) {
            return;
        }
        LwpLifecycle lc = lwp.kernel.lifecycle;
        for (;;) {
            lc.lwpMain(lwp);
            if (!recycle) {
                return; // the dead-LWP reaper joins this thread
            }
            recycle = false;
            lwp = null;
            carry(null, lc.cache.idleName);
            KLwp l = lc.cache.await(this);
            if (l == null) {
                lc.deadlwp.enqueueRetired(this);
                return;
            }
            renew(l);
            lwp = l;
        }
    }

    /** Carry the name of l (null: idle, named idleName); this thread only, no kernel lock held. */
    private void carry(KLwp l, String idleName) {
        nameLock.lock();
        try {
            owner = l;
            setName(l == null ? idleName : l.threadName());
        } finally {
            nameLock.unlock();
        }
    }

    /**
     * Lwp.setName of l: rename this thread if it still runs l (any thread; no kernel lock may be
     * held: setName can block on the thread's monitor).
     */
    void rename(KLwp l) {
        nameLock.lock();
        try {
            if (owner == l) {
                setName(l.threadName());
            }
        } finally {
            nameLock.unlock();
        }
    }

    /**
     * The creator of the next LWP, which took this idle thread from the cache (under the LWP's
     * process lock): record what a thread it made would inherit from it.
     */
    void prepare(Thread creator) {
        nextPriority = creator.getPriority();
        nextLoader = creator.getContextClassLoader();
    }

    /**
     * This thread, before it runs l (handed over from the cache): look as a thread l's creator
     * had just made for l would, as far as a running thread can be changed: l's name, the
     * creator's priority and context class loader, no uncaught-exception handler (the daemon
     * flag of an LWP thread is always true and cannot change while it runs; the interrupt status
     * was cleared by LwpCache.await). ThreadLocals and InheritableThreadLocals stay as earlier
     * LWPs left them; the thread group is the one of the thread's first creator.
     */
    private void renew(KLwp l) {
        carry(l, null);
        int prio = Math.min(nextPriority, getThreadGroup().getMaxPriority());
        if (getPriority() != prio) {
            setPriority(prio);
        }
        if (getContextClassLoader() != nextLoader) {
            setContextClassLoader(nextLoader);
        }
        nextLoader = null;
        setUncaughtExceptionHandler(null);
    }

    /** Wait for the creator's decision; true for GO. */
    private boolean passGate() {
        for (int i = 0; i < GATE_SPINS && gate == PENDING; i++) {
            Thread.onSpinWait();
        }
        if (GATE.compareAndSet(this, PENDING, WAITING)) {
            while (gate == WAITING) {
                LockSupport.park(this);
            }
        }
        return gate == GO;
    }

    // VarHandle mechanics
    private static final VarHandle GATE = Handles.field(MethodHandles.lookup(), "gate", int.class);
}
