package org.lwp4j.stress.sync;

import java.util.concurrent.TimeUnit;

/** The time after which a wait that a correct run always beats counts as a lost wake-up. */
final class Lost {
    /** Seconds: far beyond any scheduling delay of a loaded machine. */
    static final long SECONDS = 5;

    static final TimeUnit UNIT = TimeUnit.SECONDS;

    private Lost() {
    }

    static long after() {
        return SECONDS;
    }

    /** A timed wait of a synchronizer: {@code tryLock}, {@code tryAcquire}, {@code await}. */
    @FunctionalInterface
    interface TimedWait {
        boolean await(long time, TimeUnit unit) throws InterruptedException;
    }

    /**
     * Run {@code wait} bounded by the lost-wake-up time. Answers its answer: false if it timed
     * out (the wake-up was lost); false too if it was interrupted, with the status restored.
     */
    static boolean within(TimedWait wait) {
        try {
            return wait.await(after(), UNIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
