package org.lwp4j.kern;

import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/** The lock-run-unlock frame of the calls whose whole work is one critical section. */
final class Locks {
    private Locks() {
    }

    /** Run {@code body} holding {@code lock}; answers what it answers, and releases it however it ends. */
    static <T> T under(Lock lock, Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
