package org.lwp4j.sync;

import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** System.nanoTime deadlines for the timed forms, saturating so that no sum wraps. */
final class Deadlines {
    /** The longest wait honoured (about 146 years): longer ones are this long. */
    private static final long MAX = Long.MAX_VALUE >> 1;

    private Deadlines() {
    }

    /** The deadline {@code time} from now; now itself for zero or less. */
    static long after(long time, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return afterNanos(unit.toNanos(time));
    }

    static long afterNanos(long nanos) {
        long now = System.nanoTime();
        return nanos <= 0 ? now : now + Math.min(nanos, MAX);
    }

    /** The nanoTime deadline of a wall-clock date. */
    static long at(Date date) {
        Objects.requireNonNull(date, "deadline");
        long ms = date.getTime() - System.currentTimeMillis();
        return ms <= 0 ? System.nanoTime() : afterNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
