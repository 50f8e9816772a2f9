package org.lwp4j.sleep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the hot fields, so two buckets never share a cache line. */
abstract class BucketPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The hot fields: the lock word and the LIFO list head. */
abstract class BucketFields extends BucketPadBefore {
    volatile int lock;
    /** Newest waiter first (NetBSD SOBJ_SLEEPQ_LIFO); guarded by {@code lock}. */
    Waiter head;
    /** Linked waiters; guarded by {@code lock}. */
    int count;
}

/**
 * One sleep queue of the table: a test-and-test-and-set lock and an intrusive doubly linked list
 * of waiters. Critical sections are a few pointer writes, so the lock spins briefly and then
 * yields rather than blocking.
 */
final class Bucket extends BucketFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;

    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        int spins = 0;
        for (;;) {
            if (lock == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    /** Link at the head (LIFO). Caller holds the lock. */
    void link(Waiter w) {
        Waiter h = head;
        w.prev = null;
        w.next = h;
        if (h != null) {
            h.prev = w;
        }
        head = w;
        w.bucket = this;
        count++;
    }

    /** Unlink. Caller holds the lock and {@code w.bucket == this}. */
    void unlink(Waiter w) {
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
        w.bucket = null;
        count--;
    }

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(BucketFields.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
