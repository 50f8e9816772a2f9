package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lwp4j.LwpTestSupport.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sleeps that must end (issue 10): Long.MIN_VALUE and Long.MIN_VALUE + 1 deadlines have passed
 * (FOREVER never does), and process exit and close end every lwp4j sleep, an uninterruptible
 * parking-lot wait with no deadline included.
 */
@Timeout(120)
class SleepEndsTest {
    private static final long[] PASSED = {Long.MIN_VALUE, Long.MIN_VALUE + 1};

    /**
     * Run {@code call} on a new LWP of the caller's process and answer its result; if it has not
     * answered within the bound, unpark the LWP (that ends any park or lot wait) and fail.
     */
    private static ParkResult onLwp(String what, Supplier<ParkResult> call) {
        CompletableFuture<ParkResult> f = new CompletableFuture<>();
        int lid = Lwp.create(() -> f.complete(call.get()));
        ParkResult r;
        try {
            r = f.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Lwp.unpark(lid, null); // rescue the sleeper, then fail
            Lwp.waitFor(lid);
            return fail(what + " still sleeping after 10 s");
        } catch (Exception e) {
            throw new AssertionError(what, e);
        }
        Lwp.waitFor(lid);
        return r;
    }

    @Test
    void parkAndParkUntilTreatTheTwoLowestDeadlinesAsPassed() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            for (long d : PASSED) {
                assertEquals(ParkResult.TIMED_OUT, onLwp("parkUntil(" + d + ")", () -> Lwp.parkUntil(d, "h")));
                assertEquals(ParkResult.TIMED_OUT, onLwp("park(" + d + ")", () -> Lwp.park(d, 0, "h", null)));
            }
        }
    }

    @Test
    void lotWaitsTreatTheTwoLowestDeadlinesAsPassedWithoutRunningValidate() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            AtomicInteger validated = new AtomicInteger();
            for (long d : PASSED) {
                assertEquals(ParkResult.TIMED_OUT, onLwp("wait(" + d + ")",
                        () -> ParkingLot.wait("h", () -> validated.incrementAndGet() > 0, d)));
                assertEquals(ParkResult.TIMED_OUT, onLwp("waitUninterruptibly(" + d + ")",
                        () -> ParkingLot.waitUninterruptibly("h", () -> validated.incrementAndGet() > 0, d)));
            }
            assertEquals(0, validated.get(), "validate is not run for a passed deadline");
        }
    }

    @Test
    void aKilledProcessEndsAnUninterruptibleLotWaitWithoutDeadline() {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int child = Proc.fork(() -> ParkingLot.waitUninterruptibly("forever", () -> true, Lwp.FOREVER));
            await(() -> sup.sleepStats().linkedWaiters() == 1, "the child sleeps in its lot wait");
            Signals.kill(child, Sig.SIGKILL);
            try (Watchdog w = Watchdog.start("waitpid of a child killed in an uninterruptible lot wait", 20_000)) {
                WaitResult r = Proc.waitpid(child, 0);
                assertTrue(r.signaled() && r.termSig() == Sig.SIGKILL, "killed: " + r);
            }
        }
    }

    @Test
    void closeEndsAnUninterruptibleLotWaitWithoutDeadline() {
        Supervisor sup = Supervisor.builder().closeTimeout(Duration.ofSeconds(10)).start();
        try (var me = sup.attachNewProcess()) {
            Proc.fork(() -> ParkingLot.waitUninterruptibly("forever", () -> true, Lwp.FOREVER));
            await(() -> sup.sleepStats().linkedWaiters() == 1, "the child sleeps in its lot wait");
        }
        sup.close(); // EBUSY if the lot wait cannot be ended
        assertEquals(0, sup.liveThreads().size(), "no thread left: " + sup.liveThreads());
    }
}
