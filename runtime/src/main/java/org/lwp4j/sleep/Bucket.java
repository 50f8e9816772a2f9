package org.lwp4j.sleep;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * One sleep queue of the table: a small queued mutex (an AQS in exclusive mode) and an intrusive
 * doubly linked list of waiters, newest first (NetBSD SOBJ_SLEEPQ_LIFO).
 *
 * <p>Why a queued lock: critical sections are a few pointer writes, so the lock is almost always
 * free (one CAS in, one volatile write out). But thousands of LWPs parking on one hint at once
 * all want the same bucket, and a spin-then-yield lock convoys there: the yielders stay runnable
 * and starve the holder of the CPU. The AQS queue parks contenders and hands the lock on in
 * order. Contention allocates AQS queue nodes; the uncontended path allocates nothing.
 *
 * <p>Padding: the AQS state (the lock word) and the list head are the hot fields; the trailing
 * longs keep the next bucket (allocated right after this one) off their cache line.
 */
final class Bucket extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    /** Newest waiter first; guarded by the lock. */
    transient Waiter head;
    /** Linked waiters; guarded by the lock. */
    int count;
    long q00, q01, q02, q03, q04, q05, q06, q07;

    void lock() {
        if (!compareAndSetState(0, 1)) {
            acquire(1);
        }
    }

    @Override
    protected boolean tryAcquire(int ignored) {
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int ignored) {
        setState(0);
        return true;
    }

    void unlock() {
        release(1);
    }

    /** Link at the head (LIFO). Caller holds the lock; w is not linked anywhere. */
    void link(Waiter w) {
        insert(w);
        w.bucket = this;
    }

    /**
     * Unlink for good. Caller holds the lock and {@code w.bucket == this}. The release store of
     * null comes last: an owner that reads null (acquire) without the lock sees the links
     * already cleared, and this bucket touches w no more.
     */
    void unlink(Waiter w) {
        remove(w);
        w.setBucketRelease(null);
    }

    /**
     * Move w from this bucket to the head of {@code to}. Caller holds both locks. w.bucket goes
     * from this straight to {@code to}, never null, so an owner finishing its sleep meanwhile
     * does not take itself for unlinked (it locks whichever bucket it reads and re-checks).
     */
    void moveTo(Waiter w, Bucket to) {
        remove(w);
        to.insert(w);
        w.bucket = to;
    }

    private void insert(Waiter w) {
        Waiter h = head;
        w.prev = null;
        w.next = h;
        if (h != null) {
            h.prev = w;
        }
        head = w;
        count++;
    }

    private void remove(Waiter w) {
        Waiter p = w.prev, n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n != null) {
            n.prev = p;
        }
        w.prev = w.next = null;
        count--;
    }

}
