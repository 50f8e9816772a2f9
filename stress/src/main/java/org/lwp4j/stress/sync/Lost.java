package org.lwp4j.stress.sync;

import java.util.concurrent.TimeUnit;

/** The time after which a wait that a correct run always beats counts as a lost wake-up. */
final class Lost {
    /** Seconds: far beyond any scheduling delay of a loaded machine. */
    static final long SECONDS = 5;

    private Lost() {
    }

    static long after() {
        return SECONDS;
    }

    static final TimeUnit UNIT = TimeUnit.SECONDS;
}
