package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * The memory a synchronizer costs, measured with JOL ({@code GraphLayout.totalSize}: the object
 * and everything it reaches), beside the j.u.c. classes it replaces. Goal: 16 bytes per lock
 * (object header and one int), against ReentrantLock's 48. Printed for the README.
 */
class SyncFootprintTest {
    private static long size(Object o) {
        return GraphLayout.parseInstance(o).totalSize();
    }

    @Test
    void eachSynchronizerIsOneSmallObjectOfAtMost16Bytes() {
        Object[] ours = {new Mutex(), new RwLock(), new Semaphore(1), new Latch(1), new Once()};
        Object[] theirs = {new ReentrantLock(), new ReentrantReadWriteLock(), new java.util.concurrent.Semaphore(1),
            new java.util.concurrent.CountDownLatch(1)};
        StringBuilder report = new StringBuilder("footprint (JOL totalSize):\n");
        for (Object o : theirs) {
            report.append(String.format("  %-40s %4d bytes%n", o.getClass().getName(), size(o)));
        }
        for (Object o : ours) {
            report.append(String.format("  %-40s %4d bytes%n", o.getClass().getName(), size(o)));
        }
        System.out.print(report);
        for (Object o : ours) {
            long n = size(o);
            assertTrue(n <= 16, o.getClass().getSimpleName() + " takes " + n + " bytes, goal 16\n" + report);
        }
        Mutex locked = new Mutex();
        locked.lock();
        try {
            assertTrue(size(locked) <= 16, "a held mutex allocates nothing either");
        } finally {
            locked.unlock();
        }
    }
}
