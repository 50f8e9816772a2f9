package org.lwp4j.sleep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The number of sleepers inside LockSupport.park, alone on its cache lines. Every sleep that
 * blocks writes it twice and every park reads it (the spin decision); as a plain AtomicInteger
 * it was allocated right after its SleepTable and shared a line with the table's own fields
 * (the bucket array, the population), which every sleep and wake reads. The superclasses put
 * 64 bytes before the count and the subclass 64 after (JDK field layout: superclass fields
 * first, and the leading int takes the gap after the header, so the count cannot move into it).
 */
final class BlockedCount extends BlockedCountValue {
    long q0, q1, q2, q3, q4, q5, q6, q7;

    int get() {
        return count;
    }

    void increment() {
        COUNT.getAndAdd(this, 1);
    }

    void decrement() {
        COUNT.getAndAdd(this, -1);
    }

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(BlockedCountValue.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** Padding before the count (see BlockedCount). */
abstract class BlockedCountBefore {
    int p;
    long p0, p1, p2, p3, p4, p5, p6, p7;
}

/** The count (see BlockedCount). */
abstract class BlockedCountValue extends BlockedCountBefore {
    volatile int count;
}
