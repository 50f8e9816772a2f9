package org.lwp4j.sync;

/**
 * The lock an LWP left while it unwound with LwpExit from a condition wait (its process exits,
 * it was killed): the wait ends without the lock, and the caller's {@code finally { unlock(); }}
 * must not replace the LwpExit with an IllegalMonitorStateException. That one unlock by the
 * unwinding thread is forgiven; any other unlock by a non-holder still throws.
 */
final class Unwound {
    private static final ThreadLocal<Object> LEFT = new ThreadLocal<>();

    private Unwound() {
    }

    static void mark(Object lock) {
        LEFT.set(lock);
    }

    /** True (once) if the caller unwound from a wait on {@code lock} and this is its unlock. */
    static boolean forgive(Object lock) {
        if (LEFT.get() == lock) {
            LEFT.remove();
            return true;
        }
        return false;
    }
}
