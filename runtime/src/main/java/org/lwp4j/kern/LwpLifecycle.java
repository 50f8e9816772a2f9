package org.lwp4j.kern;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.sleep.SleepTable;

/**
 * The LWP life cycle: NetBSD {@code lwp_create} / {@code lwp_exit} / {@code lwp_free}, DragonFly
 * {@code lwp_fork}'s id choice and its {@code deadlwp} task, and the CPU time an LWP leaves.
 */
public final class LwpLifecycle {
    /*
     * Implementation overview.
     *
     * Creation: newLwp allocates the lid under p.lock, builds the record and its platform thread
     * and puts it in the table; startLwp starts the thread after p.lock is released (fork: still
     * under the tree lock); if starting fails, unstart takes everything back (EAGAIN). The thread
     * runs lwpMain: a safe point (so a SUSPENDED LWP stops before its body), the body, then
     * lwpExit.
     *
     * Exit: lwpExit makes the LWP a zombie (joinable) or marks it for freeing (detached, or its
     * process is exiting); the last live LWP of a process first performs the process exit with
     * status 0. The thread then hands itself to the dead-LWP reaper, which joins the platform
     * thread and frees detached LWPs' records; _lwp_wait frees joinable ones.
     *
     * The LWP cache (LwpCache): an ending LWP's thread goes back to the cache instead of ending
     * when the cache has room (leave, under p.lock: zombie, unlinked from its record, idle, in one
     * critical section), and newLwp takes a cached thread before it makes a new one. The thread
     * starter starts new threads only: a cached thread was started once, by it, and is handed
     * its next LWP directly (startLwp cannot fail then). A cached thread that stays idle for the
     * idle time, or finds the cache closed, ends and goes to the dead-LWP reaper to be joined.
     *
     * CPU time: an exiting LWP reads its own CPU and user time before it takes p.lock again and
     * adds them to the process under it as it leaves (see CpuTime for the /proc shortcut).
     */


    private final Kernel k;
    private final AtomicInteger population = new AtomicInteger();
    /** LWPs made by newLwp whose thread is not started yet; close waits for them. */
    final AtomicInteger starting = new AtomicInteger();
    /** Platform threads started for LWPs and not yet joined. */
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final DeadLwpReaper deadlwp;
    /** LWPs of attached threads that are live; the dead-LWP reaper checks their threads. */
    private final Set<KLwp> attachedLwps = ConcurrentHashMap.newKeySet();
    final LwpCache cache;

    LwpLifecycle(Kernel k) {
        this.k = k;
        this.deadlwp = new DeadLwpReaper(k);
        this.cache = new LwpCache(k.cfg.lwpCacheMax(), k.cfg.lwpCacheIdle().toNanos(), "lwp4j-idle-" + k.id);
    }

    /**
     * Idle threads in the LWP cache.
     *
     * @return how many threads wait in the cache for an LWP to run
     */
    public int cachedThreads() {
        return cache.size();
    }

    /**
     * Live LWPs of the kernel.
     *
     * @return the number of LWPs not yet zombies
     */
    public int population() {
        return population.get();
    }

    private void populationChanged(int delta) {
        k.sleep.setPopulation(population.addAndGet(delta));
    }

    // ------------------------------------------------------------------ creation

    /** DragonFly lwp_fork's id choice: upward from the last one, wrapping to 1, skipping ids in use. */
    private int allocLid(KProc p, String call) {
        if (p.lwps.size() >= k.cfg.maxLid()) {
            throw new LwpException(Errno.EAGAIN, call);
        }
        int lid = p.lastLid;
        // Every id in [1, maxLid] is tried at most once: the loop ends even if the count above
        // was wrong (records leaving meanwhile); no free id is EAGAIN.
        for (long tries = 0; tries < k.cfg.maxLid(); tries++) {
            lid = lid >= k.cfg.maxLid() || lid < 0 ? 1 : lid + 1;
            if (!p.lwps.containsKey(lid)) {
                return lid;
            }
        }
        throw new LwpException(Errno.EAGAIN, call + ": no free LWP id");
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
     *
     * @param p         the process (its lock held)
     * @param body      what the LWP runs; null for an attached thread
     * @param detached  _lwp_create's LWP_DETACHED
     * @param suspended _lwp_create's LWP_SUSPENDED
     * @param attached  the calling thread for an attach, else null
     * @param call      the call, for errors
     * @return the record, in the table
     * @throws LwpException EAGAIN over the LWP limit or when no lid is free
     */
    public KLwp newLwp(KProc p, Runnable body, boolean detached, boolean suspended, Thread attached, String call) {
        if (p.lwps.size() >= k.cfg.maxLwpPerProc()) {
            throw new LwpException(Errno.EAGAIN, call);
        }
        int lid = allocLid(p, call);
        KLwp l = new KLwp(k, p, lid, body, detached, attached != null);
        if (suspended) {
            l.ast = KLwp.AST_SUSPEND;
        }
        if (p.stopping) {
            l.ast |= KLwp.AST_STOP;
        }
        l.stat = suspended ? KLwp.LSSUSPENDED : KLwp.LSRUN;
        k.up.lwpCreated(l);
        l.lidBefore = p.lastLid;
        p.lastLid = lid;
        p.lwps.put(l);
        l.recount();
        p.nlive++;
        if (attached != null) {
            l.thread = attached;
        } else {
            LwpThread t = cache.take();
            if (t != null) {
                t.prepare(Thread.currentThread());
            } else {
                t = new LwpThread(l);
                threads.add(t);
            }
            l.thread = t;
            starting.incrementAndGet();
        }
        populationChanged(1);
        return l;
    }

    /**
     * Start the platform thread of an LWP made by {@link #newLwp}; the caller holds no process
     * lock (_lwp_create holds none, fork the tree lock). If the thread cannot be started, take
     * the record out again (its id too, unless another has been handed out since) and answer
     * EAGAIN. Until then the LWP exists without running: what others do to it meanwhile (a
     * signal, a kill, an unpark) waits in its record for its first safe point, as for a
     * suspended LWP.
     *
     * @param l     the new LWP
     * @param flags the create flags, for the JFR event
     * @param call  the call, for errors
     * @throws LwpException EAGAIN when the thread starter fails (its Throwable is the cause)
     */
    public void startLwp(KLwp l, int flags, String call) {
        LwpThread t = (LwpThread) l.thread;
        if (t.cacheState == LwpCache.RESERVED) { // a cached thread: no starter, no failure
            cache.handOff(t, l);
            starting.decrementAndGet();
            Events.lwpCreate(l, flags);
            return;
        }
        try {
            k.cfg.threadStarter().accept(t);
            if (t.getState() == Thread.State.NEW) {
                throw new IllegalStateException("the thread starter returned without starting " + t.getName());
            }
            t.open();
        } catch (Throwable e) {
            // The starter is user code: it may have started the thread and then thrown. Such a
            // thread is held at its start gate and told to end without running (LwpThread).
            if (t.getState() != Thread.State.NEW) {
                t.abandon();
                Kernel.joinUntil(t, System.nanoTime() + k.cfg.closeTimeout().toNanos());
            }
            unstart(l);
            LwpException x = new LwpException(Errno.EAGAIN, call);
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
            if (!l.thread.isAlive()) {
                threads.remove(l.thread); // else close still joins it
            }
            l.setStat(KLwp.LSDEAD);
            p.lwps.remove(l.lid, l);
            p.nlive--;
            p.checkLwpsGone();
            if (p.lastLid == l.lid) {
                p.lastLid = l.lidBefore;
            }
            p.broadcast(KProc.CH_LWP);
        } finally {
            p.lock.unlock();
        }
        populationChanged(-1);
    }

    /**
     * Make the first LWP of a process made by fork (the process layer holds the tree lock and
     * starts it with {@link #startLwp} before releasing it).
     *
     * @param p    the new process
     * @param body its first LWP's body
     * @param call the call, for errors
     * @return the record
     */
    public KLwp forkLwp(KProc p, Runnable body, String call) {
        p.lock.lock();
        try {
            return newLwp(p, body, false, false, null, call);
        } finally {
            p.lock.unlock();
        }
    }

    // ------------------------------------------------------------------ running and ending

    void lwpMain(KLwp l) {
        try {
            try {
                if (l.ast != 0) {
                    k.safePoints.userret(l);
                }
                l.body.run();
            } catch (LwpExit e) {
                // normal unwinding
            } catch (Throwable t) {
                l.fault = t;
                Faults.record(l, t); // JFR, before the SIGABRT (Faults)
                k.up.fault(l, t);
                Faults.report(l, t); // the uncaught-exception handler, after it
            }
        } finally {
            lwpExit(l);
        }
    }

    /**
     * The calling thread's LWP {@code l} ends; the last live LWP of a process exits the process
     * first, with the status it left (exited(0), or extexit(LWP)'s). No lock held on entry.
     *
     * Repeatedly, under p.lock:
     * <ol>
     * <li>already ended (an attached LWP killed by its process's exit): return;</li>
     * <li>the last live LWP of an active process: release p.lock, perform the process exit
     *     (exit1 kills nothing else: none is left), and look again;</li>
     * <li>else leave: one live LWP fewer, its CPU time added, a zombie (or freed at once), and
     *     after unlocking wake the waiters, tell job control, hand the thread to the reaper.</li>
     * </ol>
     * The check of step 2 and the count of step 3 are one critical section, so of two LWPs
     * that end at once exactly one sees itself last.
     */
    void lwpExit(KLwp l) {
        KProc p = l.proc;
        Events.lwpExit(l);
        CpuTime.capture(l); // before the lock: it can take a /proc read (CpuTime)
        boolean stopping;
        for (;;) {
            p.lock.lock();
            try {
                if (!l.isLive()) {
                    return;
                }
                if (p.pstat != KProc.SACTIVE || p.nlive != 1 || p == k.init) {
                    stopping = leave(l);
                    break;
                }
            } finally {
                p.lock.unlock();
            }
            k.exits.exit1(l, l.lastExitStatus);
        }
        // Wake the waiters after unlocking: woken under the lock, a waiter (often placed on
        // this CPU) preempts us and then blocks on p.lock, which we still hold. No wake is
        // lost: a waiter that saw the old state linked itself before releasing p.lock.
        p.broadcast(KProc.CH_LWP);
        populationChanged(-1);
        if (stopping) {
            k.up.lwpStopped(l); // the LWPs left may all be stopped now
        }
        if (!l.attachedThread) {
            deadlwp.enqueue(l);
        } else {
            attachedLwps.remove(l);
            l.restoreThreadName();
        }
    }

    /** Step 3 of lwpExit under p.lock; answers whether the process is stopping (job control). */
    private boolean leave(KLwp l) {
        KProc p = l.proc;
        p.nlive--;
        p.ruCpuNanos += l.cpuNanos;
        p.ruUserNanos += l.userNanos;
        p.checkLwpsGone(); // Proc.onExit: the last LWP of a zombie has left
        // An attached thread leaving init is freed at once: init never exits, so its zombie
        // would stay in init's table for good (one leaked record per attach/close).
        boolean free = l.detached || p.pstat != KProc.SACTIVE || (l.attachedThread && p == k.init);
        l.setStat(KLwp.LSZOMB);
        if (free && l.attachedThread) {
            l.setStat(KLwp.LSDEAD);
            p.lwps.remove(l.lid, l);
        }
        if (!l.attachedThread) {
            recycle(l);
        }
        return p.stopping && p.pstat == KProc.SACTIVE;
    }

    /**
     * An LWP entered with attach: its thread is watched until the LWP ends. The reaper, which
     * does the watching, may be idle in an untimed park (nothing was attached when it went
     * idle): it is woken to poll (DeadLwpReaper.attachedAdded).
     */
    void watchAttached(KLwp l) {
        attachedLwps.add(l);
        deadlwp.attachedAdded();
    }

    /**
     * Called by the dead-LWP reaper now and then: an attached thread that ended without closing
     * its Attachment is noticed here, and its LWP exits on a thread of ours (the exit may run
     * at-exit hooks, user code that must not hold up the reaper), which close joins.
     */
    void checkAttached() {
        for (KLwp l : attachedLwps) {
            Thread t = l.thread;
            if (!t.isAlive() && attachedLwps.remove(l) && l.isLive() && !k.isClosed()) {
                Thread u = new Thread(null, () -> lwpExit(l), "lwp4j-undertaker " + l, 0, false);
                u.setDaemon(true);
                threads.add(u);
                u.start();
            }
        }
    }

    boolean hasAttached() {
        return !attachedLwps.isEmpty();
    }

    /**
     * Step 3 of lwpExit for a created LWP, on its thread, under p.lock: back to the cache if it
     * takes the thread; then the record lets go of the thread (nothing reaches it through the
     * record any more), and whoever collects the zombie finds the thread in the cache.
     */
    private void recycle(KLwp l) {
        LwpThread t = (LwpThread) l.thread;
        if (t == Thread.currentThread() && cache.offer(t)) {
            t.recycle = true;
            l.thread = null;
        }
    }

    /**
     * Called by the dead-LWP reaper after the platform thread has terminated, or at once for an
     * LWP whose thread went back to the cache (its record holds no thread then).
     */
    void disposeDead(KLwp l) {
        Thread th = l.thread;
        if (th != null) {
            threads.remove(th);
        }
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
    }

    // ------------------------------------------------------------------ CPU time


    // ------------------------------------------------------------------ off the CPU

    /**
     * NetBSD's lwp_free (and DragonFly's lwp_wait) does not let a reaper go on while the zombie
     * it collected still runs on its CPU: it waits, without a bound, until the LWP has switched
     * away for good. Here an LWP is on its CPU until its platform thread has ended, which comes
     * a little after its exit woke the waiter (the JVM's thread teardown). The waiter yields
     * until Thread.isAlive() turns false, for at most {@link SleepTable#KWAIT_SPIN_NANOS}, and
     * goes on regardless: the wait is best effort, and the dead-LWP reaper joins the thread in
     * any case. It keeps that teardown from competing with what the waiter does next, typically
     * starting another LWP: on 2 CPUs that start would otherwise wait for the CPU the teardown
     * holds.
     *
     * @param l a collected zombie
     */
    public void waitOffCpu(KLwp l) {
        if (SleepTable.KWAIT_SPIN_NANOS > 0) {
            waitOffCpu(l, System.nanoTime() + SleepTable.KWAIT_SPIN_NANOS);
        }
    }

    /**
     * The same for the LWPs a zombie process still holds (usually its last one), as DragonFly's
     * kern_wait reaps them with lwp_wait before it frees the process; one bound for them all.
     *
     * @param p a reaped zombie process
     */
    public void waitOffCpu(KProc p) {
        // Records leave the table once the dead-LWP reaper has joined their threads: usually
        // all of them by the time a zombie is reaped, and then there is nothing to iterate.
        if (SleepTable.KWAIT_SPIN_NANOS > 0 && !p.lwps.isEmpty()) {
            long deadline = System.nanoTime() + SleepTable.KWAIT_SPIN_NANOS;
            Object[] s = p.lwps.slots();
            for (int i = 0; i < s.length; i++) {
                KLwp l = LidTable.at(s, i);
                if (l != null && !waitOffCpu(l, deadline)) {
                    return;
                }
            }
        }
    }

    /**
     * Yields until l's platform thread has ended; false if the deadline came first. A thread
     * that went back to the LWP cache has left l already (l.thread is null): nothing to wait for.
     */
    private static boolean waitOffCpu(KLwp l, long deadline) {
        if (l.attachedThread) {
            return true;
        }
        for (Thread t = l.thread; t != null && t.isAlive(); t = l.thread) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /** The dead-LWP reaper joined a thread that left the LWP cache. */
    void retired(Thread t) {
        threads.remove(t);
    }

    /** Attached LWPs killed by their process's exit (ProcExit): gone from the count at once. */
    void killedAttached() {
        populationChanged(-1);
    }
}
