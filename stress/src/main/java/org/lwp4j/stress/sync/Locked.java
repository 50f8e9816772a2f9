package org.lwp4j.stress.sync;

import java.util.concurrent.locks.Lock;

/** The critical section of the exclusion tests: lock, the body, unlock. */
final class Locked {
    private Locked() {
    }

    /** {@code lock.lock(); body.run(); lock.unlock()}; a body that throws leaves the lock held (the run has failed). */
    static void run(Lock lock, Runnable body) {
        lock.lock();
        body.run();
        lock.unlock();
    }
}
