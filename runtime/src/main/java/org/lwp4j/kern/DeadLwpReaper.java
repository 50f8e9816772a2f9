package org.lwp4j.kern;

import java.util.concurrent.locks.LockSupport;

/**
 * DragonFly's per-CPU {@code deadlwp} task: exited LWPs hand themselves over through an MPSC
 * queue ({@link ExitQueue}); this thread joins each platform thread (the LWP is off its "CPU")
 * and then lets the kernel free the record. An LWP whose thread went back to the LWP cache has
 * no thread to join (its record holds none); threads that leave the cache come here on their
 * own to be joined ({@link #enqueueRetired}).
 */
final class DeadLwpReaper extends Thread {
    /*
     * The hand-off never makes one thread wait for another's progress (issue 10): an exiting
     * LWP's offer is one CAS that only another offer can make it retry, and the reaper's poll
     * never spins (see ExitQueue). With 10,000 LWPs exiting at once on 2 CPUs, each exit costs
     * its CAS and, at most, one unpark of the reaper; the reaper drains in batches.
     *
     * Sleeping: the reaper sets `idle`, re-polls, and only then parks; enqueue() offers, then
     * reads `idle` and unparks. Both are volatile, so either the reaper's re-poll sees the new
     * element or the producer sees idle == true (Dekker); no hand-off is lost.
     *
     * Batching: waking the reaper for every exit, and then again when the join returns, costs
     * two thread wake-ups per LWP (tens of microseconds each on a VM), as much as starting the
     * thread. So after a batch the reaper naps (NAP_NANOS, `idle` stays false, so exits do not
     * wake it) and drains what came meanwhile; it goes idle only after a nap that brought
     * nothing. While LWPs come and go, it costs one timer wake-up per nap, and the threads it
     * finds have mostly terminated already, so join does not block. Disposal (freeing the
     * record of a detached LWP, joining the platform thread) happens up to one nap late; no
     * call waits for it: _lwp_wait and wait collect zombies, which exist before the reaper runs.
     */
    static final long NAP_NANOS = 1_000_000;
    /**
     * How often, at most, the reaper looks for attached threads that ended without closing
     * their Attachment (LwpLifecycle.checkAttached); while there are attached LWPs, its idle sleep
     * ends this often.
     */
    static final long ATTACHED_POLL_NANOS = 100_000_000;
    private long lastAttachedCheck = System.nanoTime();
    private final Kernel kernel;
    private final ExitQueue<KLwp> queue = new ExitQueue<>();
    /** Threads that left the LWP cache (idle too long, or closed) and end. */
    private final ExitQueue<ExitQueue.Box<Thread>> retired = new ExitQueue<>();
    private volatile boolean idle;
    private volatile boolean stopping;

    DeadLwpReaper(Kernel kernel) {
        super(null, null, "lwp4j-deadlwp-" + kernel.id, 0, false);
        this.kernel = kernel;
        setDaemon(true);
    }

    /** Hand over an exited LWP; any thread, never waits. */
    void enqueue(KLwp l) {
        queue.offer(l);
        if (idle) {
            LockSupport.unpark(this);
        }
    }

    /** A thread leaving the LWP cache hands itself over to be joined; never waits. */
    void enqueueRetired(Thread t) {
        retired.offer(new ExitQueue.Box<>(t));
        if (idle) {
            LockSupport.unpark(this);
        }
    }

    /**
     * An attached LWP is now watched (LwpLifecycle.watchAttached, after adding it): an idle
     * reaper parked without a bound, because nothing was attached, must now poll. The same
     * Dekker pair as enqueue: the reaper sets idle, then looks at hasAttached; the attacher adds,
     * then reads idle.
     */
    void attachedAdded() {
        if (idle) {
            LockSupport.unpark(this);
        }
    }

    void shutdown(long deadline) {
        stopping = true;
        LockSupport.unpark(this);
        Kernel.joinUntil(this, deadline);
    }

    @Override
    public void run() {
        boolean napped = false;
        for (;;) {
            KLwp l = queue.poll();
            if (l != null) {
                dispose(l);
                napped = false;
                continue;
            }
            ExitQueue.Box<Thread> rb = retired.poll();
            if (rb != null) {
                Thread r = rb.item;
                join(r);
                kernel.lifecycle.retired(r);
                napped = false;
                continue;
            }
            if (stopping) {
                if (queue.isEmpty() && retired.isEmpty()) {
                    return;
                }
                continue;
            }
            if (!napped) {
                napped = true;
                LockSupport.parkNanos(this, NAP_NANOS);
                checkAttached();
                continue;
            }
            idle = true;
            if (queue.isEmpty() && retired.isEmpty() && !stopping) {
                if (kernel.lifecycle.hasAttached()) {
                    LockSupport.parkNanos(this, ATTACHED_POLL_NANOS);
                } else {
                    LockSupport.park(this);
                }
            }
            idle = false;
            checkAttached();
        }
    }

    /** LwpLifecycle.checkAttached, at most once per ATTACHED_POLL_NANOS. */
    private void checkAttached() {
        long now = System.nanoTime();
        if (now - lastAttachedCheck >= ATTACHED_POLL_NANOS && kernel.lifecycle.hasAttached()) {
            lastAttachedCheck = now;
            kernel.lifecycle.checkAttached();
        }
    }

    private void dispose(KLwp l) {
        Thread t = l.thread;
        if (t != null) { // null: the thread went back to the LWP cache
            join(t);
        }
        kernel.lifecycle.disposeDead(l);
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.interrupted();
        }
    }
}
