package org.lwp4j.kern;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The supervisor's settings.
 *
 * @param maxProc       process limit of the supervisor (DragonFly maxproc)
 * @param maxProcPerUid process limit per uid (maxprocperuid), uid 0 exempt
 * @param maxLwpPerProc LWP limit of one process
 * @param maxLid        largest LWP id before wrapping to 1
 * @param maxPid        largest pid before wrapping (DragonFly PID_MAX)
 * @param closeTimeout  how long close() waits for LWPs to reach a safe point
 * @param clock         nanosecond clock for deadlines (System::nanoTime)
 * @param threadStarter starts an LWP's platform thread (Thread::start); tests inject failures
 * @param lwpCacheMax   how many exited LWPs' threads the LWP cache keeps idle (0: no cache)
 * @param lwpCacheIdle  how long a cached thread waits for an LWP before it ends
 */
public record KernelConfig(int maxProc, int maxProcPerUid, int maxLwpPerProc, int maxLid, int maxPid,
                           Duration closeTimeout, LongSupplier clock, Consumer<Thread> threadStarter,
                           int lwpCacheMax, Duration lwpCacheIdle) {
    /** The LWP cache's default bound (see the README, "The LWP cache"). */
    public static final int DEFAULT_LWP_CACHE_MAX = 32;
    /** The LWP cache's default idle time, Executors.newCachedThreadPool's keep-alive. */
    public static final Duration DEFAULT_LWP_CACHE_IDLE = Duration.ofSeconds(60);

    public KernelConfig {
        if (maxProc < 2 || maxProcPerUid < 1 || maxLwpPerProc < 1 || maxLid < 2 || maxPid < 2) {
            throw new IllegalArgumentException("limits must be positive (maxProc, maxPid >= 2)");
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(threadStarter, "threadStarter");
        Objects.requireNonNull(lwpCacheIdle, "lwpCacheIdle");
        if (lwpCacheMax < 0 || lwpCacheIdle.isNegative()) {
            throw new IllegalArgumentException("lwpCacheMax and lwpCacheIdle must not be negative");
        }
    }

    public static KernelConfig defaults() {
        return new KernelConfig(4096, 2048, 4096, Integer.MAX_VALUE, 99_999, Duration.ofSeconds(10),
                System::nanoTime, Thread::start, DEFAULT_LWP_CACHE_MAX, DEFAULT_LWP_CACHE_IDLE);
    }
}
