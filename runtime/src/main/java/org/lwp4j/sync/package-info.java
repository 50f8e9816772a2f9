/**
 * Synchronizers on lwp4j's parking lot, usable from any thread: {@link org.lwp4j.sync.Mutex}
 * (a {@link java.util.concurrent.locks.Lock} with conditions), {@link org.lwp4j.sync.RwLock}
 * (a {@link java.util.concurrent.locks.ReadWriteLock}), {@link org.lwp4j.sync.Semaphore},
 * {@link org.lwp4j.sync.Latch} and {@link org.lwp4j.sync.Once}.
 *
 * <p>Design (WebKit's WTF::Lock and ParkingLot, Rust's parking_lot). Each synchronizer keeps
 * its whole state in one {@code int} field (VarHandle CAS); no queue lives in it. Its sleepers
 * queue in the parking lot, keyed by the synchronizer object (or, for a reader or a condition,
 * by an object of its own), so a lock costs 16 bytes (object header and the int) and allocates
 * nothing until it is contended. Every wait validates the state word under the lot's bucket
 * lock before sleeping, and every waker that changed the word takes that same lock to wake:
 * no wake-up is lost between the check and the sleep. Acquisitions barge and spin briefly
 * (three short PAUSE bursts, then yields) while nobody sleeps; {@link org.lwp4j.sync.Mutex}
 * hands the lock directly to a waiter that has slept 1 ms or more (eventual fairness).
 *
 * <p>One lot for the JVM. The sleepers of one lock may be LWPs of different processes, of
 * different supervisors, and plain threads. Every synchronizer therefore sleeps in one
 * JVM-wide table (as WebKit's ParkingLot is global), apart from every supervisor's own sleep
 * table, which keeps the BSD calls (park, private {@link org.lwp4j.ParkingLot} keys, kernel
 * waits) isolated per supervisor. The entries are keyed by the object alone, as a futex without
 * FUTEX_PRIVATE_FLAG, under a key that neither private nor shared {@code ParkingLot} keys use.
 * An LWP sleeps there with its own park word, so kernel wake-ups, signals, suspension, stops
 * and exit reach it; a plain thread sleeps with a waiter of its own.
 *
 * <p>LWPs. On an LWP every wait here is a safe point. A caught signal's handler runs, and a
 * stop or suspension takes effect, while the LWP waits; the wait then goes on (for a condition
 * wait, with the mutex released: handlers never run holding it). When the LWP's process exits
 * or it is killed, the wait ends at once with {@link org.lwp4j.LwpExit}, from the
 * uninterruptible forms ({@code lock()}, {@code acquireUninterruptibly()}, {@code Once.run})
 * too: no wait here keeps an exit waiting. A condition wait ended so leaves the mutex released
 * and forgives the one {@code unlock()} of the caller's {@code finally} block, so that the
 * LwpExit is not masked. {@link org.lwp4j.Lwp#wakeup} acts as {@link Thread#interrupt()} on
 * the interruptible forms (InterruptedException, NetBSD's EINTR), and as a spurious wake on the
 * others. These waits neither consume nor are ended by an LWP's pending unpark
 * ({@link org.lwp4j.Lwp#unpark}), which stays for its next park.
 *
 * <p>Errors. Unlocking what the caller does not hold is an
 * {@link java.lang.IllegalMonitorStateException}; acquiring what the caller holds exclusively
 * is an {@link org.lwp4j.LwpException} EDEADLK (nothing here is reentrant); counts out of range
 * are {@link java.lang.IllegalArgumentException}s, as in j.u.c. Deadlines are
 * {@link System#nanoTime()} based.
 *
 * <p>Concurrency rules inside: the state words are read and written only through each class's
 * VarHandle (volatile reads, CAS); a word is written with a plain volatile store only by the
 * thread that holds the lock, inside the lot's wake callback (see {@code Mutex}'s overview).
 * Condition sequence words are written only by the mutex holder.
 */
package org.lwp4j.sync;
