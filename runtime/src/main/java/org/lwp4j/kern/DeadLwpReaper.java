package org.lwp4j.kern;

import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * DragonFly's per-CPU {@code deadlwp} task: exited LWPs hand themselves over through an MPSC
 * queue; this thread joins each platform thread (the LWP is off its "CPU") and then lets the
 * kernel free the record.
 */
final class DeadLwpReaper extends Thread {
    /*
     * Sleeping: the reaper sets `idle`, re-polls, and only then parks; enqueue() offers, then
     * reads `idle` and unparks. Both are volatile, so either the reaper's re-poll sees the new
     * element or the producer sees idle == true (Dekker); no hand-off is lost.
     */
    private final Kernel kernel;
    private final MpscUnboundedXaddArrayQueue<KLwp> queue = new MpscUnboundedXaddArrayQueue<>(64);
    private volatile boolean idle;
    private volatile boolean stopping;

    DeadLwpReaper(Kernel kernel) {
        super(null, null, "lwp4j-deadlwp-" + kernel.id, 0, false);
        this.kernel = kernel;
        setDaemon(true);
    }

    void enqueue(KLwp l) {
        queue.offer(l);
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
        for (;;) {
            KLwp l = queue.poll();
            if (l != null) {
                dispose(l);
                continue;
            }
            if (stopping) {
                if (queue.isEmpty()) {
                    return;
                }
                continue;
            }
            idle = true;
            if (queue.isEmpty() && !stopping) {
                LockSupport.park(this);
            }
            idle = false;
        }
    }

    private void dispose(KLwp l) {
        Thread t = l.thread;
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        kernel.disposeDead(l);
        if (interrupted) {
            Thread.interrupted();
        }
    }
}
