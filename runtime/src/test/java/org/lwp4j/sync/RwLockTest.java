package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.assertInterruptedWhileBlocked;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.expectErrno;
import static org.lwp4j.sync.SyncTestSupport.run;
import static org.lwp4j.sync.SyncTestSupport.runLocked;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Errno;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** RwLock: shared readers, exclusive writer, writer preference, try forms, errors. */
@Timeout(60)
class RwLockTest {
    @Test
    void readersShareTheLockAndAWriterWaitsForThemAll() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        r.lock();
        Runner other = run("reader 2", () -> {
            assertTrue(r.tryLock(), "a second reader shares");
            assertFalse(w.tryLock(), "no writer while readers hold it");
            r.unlock();
        });
        other.join();
        assertEquals(1, l.readers());
        AtomicBoolean wrote = new AtomicBoolean();
        Runner writer = runLocked("writer", w, () -> wrote.set(l.isWriteLocked() && l.readers() == 0));
        awaitBlockedOn(writer.thread, l);
        r.unlock();
        writer.join();
        assertTrue(wrote.get());
        assertFalse(l.isWriteLocked());
    }

    @Test
    void aWriterExcludesReadersAndWritersAndItsReleaseWakesThem() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        w.lock();
        assertTrue(l.toString().contains("write-locked"), l.toString());
        AtomicInteger done = new AtomicInteger();
        Runner reader = run("reader", () -> {
            assertFalse(r.tryLock());
            r.lock();
            done.incrementAndGet();
            r.unlock();
        });
        Runner writer = run("writer", () -> {
            assertFalse(w.tryLock());
            w.lock();
            done.incrementAndGet();
            w.unlock();
        });
        awaitBlockedOn(reader.thread, b -> b.equals(r), "the read lock");
        awaitBlockedOn(writer.thread, l);
        w.unlock();
        reader.join();
        writer.join();
        assertEquals(2, done.get());
        assertEquals(0, l.readers());
        assertFalse(l.isWriteLocked());
    }

    @Test
    void aWaitingWriterHoldsNewReadersBackUntilItHasWritten() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        r.lock();
        AtomicInteger order = new AtomicInteger();
        AtomicInteger writerAt = new AtomicInteger(), readerAt = new AtomicInteger();
        Runner writer = runLocked("writer", w, () -> writerAt.set(order.incrementAndGet()));
        awaitBlockedOn(writer.thread, l);
        Runner reader = run("late reader", () -> {
            assertFalse(r.tryLock(), "a writer waits: new readers stay out");
            r.lock();
            readerAt.set(order.incrementAndGet());
            r.unlock();
        });
        awaitBlockedOn(reader.thread, b -> b.equals(r), "the read lock");
        r.unlock();
        writer.join();
        reader.join();
        assertEquals(1, writerAt.get(), "the writer went first");
        assertEquals(2, readerAt.get());
    }

    @Test
    void unlockingWhatIsNotHeldIsIllegalMonitorState() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        assertThrows(IllegalMonitorStateException.class, r::unlock);
        assertThrows(IllegalMonitorStateException.class, w::unlock);
        w.lock();
        assertThrows(IllegalMonitorStateException.class, r::unlock, "read unlock while write-locked");
        Runner other = run("not the writer", () -> assertThrows(IllegalMonitorStateException.class, w::unlock));
        other.join();
        assertTrue(l.isWriteLocked(), "nothing changed");
        w.unlock();
        r.lock();
        assertThrows(IllegalMonitorStateException.class, w::unlock, "write unlock while read-locked");
        assertEquals(1, l.readers());
        r.unlock();
    }

    @Test
    void theWriterAcquiringAgainIsEdeadlk() {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        w.lock();
        try {
            expectErrno(Errno.EDEADLK, w::lock);
            expectErrno(Errno.EDEADLK, w::tryLock);
            expectErrno(Errno.EDEADLK, r::lock);
            expectErrno(Errno.EDEADLK, r::tryLock);
            expectErrno(Errno.EDEADLK, () -> r.tryLock(1, TimeUnit.SECONDS));
            expectErrno(Errno.EDEADLK, w::lockInterruptibly);
        } finally {
            w.unlock();
        }
        assertFalse(l.isWriteLocked());
    }

    @Test
    void timedAndInterruptibleFormsTimeOutAndThrow() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        w.lock();
        Runner other = run("trier", () -> {
            assertFalse(r.tryLock(10, TimeUnit.MILLISECONDS));
            assertFalse(w.tryLock(10, TimeUnit.MILLISECONDS));
            assertFalse(w.tryLock(0, TimeUnit.MILLISECONDS));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, r::lockInterruptibly);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, w::lockInterruptibly);
            assertThrows(NullPointerException.class, () -> r.tryLock(1, null));
        });
        other.join();
        assertInterruptedWhileBlocked("interrupted writer", l, () -> w.tryLock(20, TimeUnit.SECONDS));
        w.unlock();
        assertTrue(r.tryLock(), "the timed-out and interrupted waiters left nothing behind");
        r.unlock();
        assertTrue(w.tryLock());
        w.unlock();
    }

    @Test
    void viewsOfOneLockAreEqualAndHaveNoConditions() {
        RwLock l = new RwLock();
        assertEquals(l.readLock(), l.readLock());
        assertEquals(l.writeLock(), l.writeLock());
        assertEquals(l.readLock().hashCode(), l.readLock().hashCode());
        assertNotEquals(l.readLock(), l.writeLock());
        assertNotEquals(l.readLock(), new RwLock().readLock());
        assertThrows(UnsupportedOperationException.class, () -> l.readLock().newCondition());
        assertThrows(UnsupportedOperationException.class, () -> l.writeLock().newCondition());
    }

    @Test
    void mixedReadersAndWritersKeepTheInvariant() throws Exception {
        RwLock l = new RwLock();
        Lock r = l.readLock(), w = l.writeLock();
        AtomicInteger readers = new AtomicInteger(), writers = new AtomicInteger(), bad = new AtomicInteger();
        long[] value = {0};
        Runner[] rs = new Runner[4];
        for (int i = 0; i < rs.length; i++) {
            boolean writer = i < 2;
            rs[i] = run((writer ? "writer " : "reader ") + i, () -> {
                for (int k = 0; k < 5000; k++) {
                    if (writer) {
                        w.lock();
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            bad.incrementAndGet();
                        }
                        value[0]++;
                        writers.decrementAndGet();
                        w.unlock();
                    } else {
                        r.lock();
                        readers.incrementAndGet();
                        if (writers.get() != 0) {
                            bad.incrementAndGet();
                        }
                        readers.decrementAndGet();
                        r.unlock();
                    }
                }
            });
        }
        for (Runner x : rs) {
            x.join();
        }
        assertEquals(0, bad.get(), "a writer overlapped a reader or a writer");
        assertEquals(10_000, value[0]);
    }
}
