package org.lwp4j;

/**
 * The normal outcomes of {@link Lwp#park}, of {@link Lwp#await} (UNPARKED, TIMED_OUT or
 * INTERRUPTED) and of the parking lot's waits.
 */
public enum ParkResult {
    /**
     * Woken by an unpark (or a parking-lot wake) while asleep; for {@link Lwp#await}: its
     * condition answered true.
     */
    UNPARKED,
    /** An unpark or a wakeup was pending: it was consumed and the caller did not sleep. */
    ALREADY,
    /** The absolute deadline passed (at once if it had already passed). */
    TIMED_OUT,
    /** A wakeup, a signal, a safe-point request or {@link Thread#interrupt()} ended the sleep. */
    INTERRUPTED,
    /** Parking lot only: the validation said not to sleep. */
    INVALID
}
