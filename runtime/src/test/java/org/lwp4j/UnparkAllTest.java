package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.later;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.LwpTestSupport.ForeignParker;

/** {@code _lwp_unpark_all}: waking many, skipping unknown ids, the limits and the query form. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class UnparkAllTest {
    private static final String HINT = "unpark-all-hint";

    /** Start n LWPs that park once on hints[i % hints.length]; their results land in out. */
    private static int[] parkers(int n, AtomicReferenceArray<ParkResult> out, Object... hints) {
        int[] lids = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            lids[i] = Lwp.create(() -> out.set(k, Lwp.parkUntil(later(), hints[k % hints.length])));
        }
        for (int lid : lids) {
            await(() -> Lwp.ctl(lid).state() == Lwp.State.SLEEPING, () -> "lwp " + lid + " asleep");
        }
        return lids;
    }

    private static void reap(int[] lids) {
        for (int lid : lids) {
            assertEquals(lid, Lwp.waitFor(lid));
        }
    }

    @Test
    void unparkAllWakesEveryParkedLwp(Supervisor.Attachment a) {
        AtomicReferenceArray<ParkResult> r = new AtomicReferenceArray<>(5);
        int[] lids = parkers(5, r, HINT);
        assertEquals(5, Lwp.unparkAll(lids, HINT));
        reap(lids);
        for (int i = 0; i < 5; i++) {
            assertEquals(ParkResult.UNPARKED, r.get(i), "lwp " + lids[i]);
        }
    }

    @Test
    void unparkAllWakesWhateverHintEachTargetParkedOn(Supervisor.Attachment a) {
        AtomicReferenceArray<ParkResult> r = new AtomicReferenceArray<>(3);
        int[] lids = parkers(3, r, "x", "y", "z");
        assertEquals(3, Lwp.unparkAll(lids, "none of them"));
        reap(lids);
        for (int i = 0; i < 3; i++) {
            assertEquals(ParkResult.UNPARKED, r.get(i));
        }
    }

    @Test
    void unparkAllSkipsIdsThatDoNotExist(Supervisor.Attachment a) {
        AtomicReferenceArray<ParkResult> r = new AtomicReferenceArray<>(2);
        int[] lids = parkers(2, r, HINT);
        int gone = Lwp.create(() -> { });
        assertEquals(gone, Lwp.waitFor(gone));
        assertEquals(2, Lwp.unparkAll(new int[] {9_999, lids[0], gone, 0, -3, lids[1]}, HINT));
        reap(lids);
        assertEquals(ParkResult.UNPARKED, r.get(0));
        assertEquals(ParkResult.UNPARKED, r.get(1));
    }

    @Test
    void unparkAllLeavesAPendingUnparkForAnLwpNotParked(Supervisor.Attachment a) {
        CountDownLatch sent = new CountDownLatch(1);
        AtomicReference<ParkResult> r = new AtomicReference<>();
        int t = LwpTestSupport.createParkerAfter(sent, "unparkAll", HINT, r);
        assertEquals(2, Lwp.unparkAll(new int[] {t, Lwp.self()}, HINT));
        sent.countDown();
        assertEquals(ParkResult.ALREADY, Lwp.park(HINT), "the caller's own id got a pending unpark");
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(ParkResult.ALREADY, r.get());
    }

    @Test
    void unparkAllOfNoIdsOrMoreThanUnparkMaxIsEinval(Supervisor.Attachment a) {
        int me = Lwp.self();
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(new int[0], HINT));
        int[] tooMany = new int[Lwp.UNPARK_MAX + 1];
        Arrays.fill(tooMany, me);
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(tooMany, HINT));
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(tooMany, 0, HINT));
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(tooMany, Lwp.UNPARK_MAX + 1, HINT));
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(tooMany, -1, HINT));
        expectErrno(Errno.EINVAL, () -> Lwp.unparkAll(new int[] {me}, 2, HINT));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        assertEquals(ParkResult.TIMED_OUT, Lwp.parkUntil(deadline, HINT), "a failed call unparked nobody");
    }

    @Test
    void theQueryFormAnswersUnparkMax(Supervisor.Attachment a) {
        assertEquals(1024, Lwp.UNPARK_MAX);
        assertEquals(1024, Lwp.unparkAll(null, HINT));
        assertEquals(1024, Lwp.unparkAll(null, 0, HINT));
    }

    @Test
    void unparkAllTakesUnparkMaxIds(Supervisor.Attachment a) {
        AtomicReferenceArray<ParkResult> r = new AtomicReferenceArray<>(3);
        int[] lids = parkers(3, r, HINT);
        int[] ids = new int[Lwp.UNPARK_MAX];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 100_000 + i;
        }
        ids[0] = lids[0];
        ids[511] = lids[1];
        ids[1023] = lids[2];
        assertEquals(3, Lwp.unparkAll(ids, HINT));
        reap(lids);
        for (int i = 0; i < 3; i++) {
            assertEquals(ParkResult.UNPARKED, r.get(i));
        }
    }

    @Test
    void unparkAllSkipsLwpsOfAnotherProcess(Supervisor s, Supervisor.Attachment a) throws Exception {
        ForeignParker other = new ForeignParker(s, HINT, "the foreign unparkAll");
        assertEquals(0, Lwp.unparkAll(new int[] {other.lid()}, HINT));
        assertEquals(ParkResult.TIMED_OUT, other.finish(), "the foreign LWP was not woken");
    }
}
