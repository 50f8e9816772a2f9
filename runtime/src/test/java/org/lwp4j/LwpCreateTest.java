package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Limits;

/** {@code _lwp_create} and {@code _lwp_self}: flags, limits, thread start failure, lid allocation. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpCreateTest {

    @Test
    void createThenWaitReturnsTheLidTheLwpSawFromSelf(Supervisor.Attachment me) {
        AtomicInteger seen = new AtomicInteger();
        int lid = Lwp.create(() -> seen.set(Lwp.self()));
        assertNotEquals(0, lid);
        assertNotEquals(Lwp.self(), lid, "a new LWP gets its own id");
        assertEquals(lid, Lwp.waitFor(lid));
        assertEquals(lid, seen.get(), "the LWP's own _lwp_self");
    }

    @Test
    void eightLwpsReapedByWaitAnyHaveUniqueNonZeroLids(Supervisor sup, Supervisor.Attachment me) {
        Set<Integer> created = new HashSet<>();
        Map<Integer, Integer> selfOf = new ConcurrentHashMap<>();
        for (int i = 0; i < 8; i++) {
            int lid = Lwp.create(() -> selfOf.put(Lwp.self(), Lwp.self()));
            assertNotEquals(0, lid);
            assertTrue(created.add(lid), "lid " + lid + " handed out twice");
        }
        assertFalse(created.contains(Lwp.self()));
        Set<Integer> reaped = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            int lid = Lwp.waitFor(0);
            assertNotEquals(0, lid);
            assertTrue(reaped.add(lid), "lid " + lid + " reaped twice");
        }
        assertEquals(created, reaped);
        assertEquals(created, selfOf.keySet(), "each LWP saw its own id from self()");
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
        assertEquals(1, sup.lwpCount(), "only the caller is left");
    }

    @Test
    void newLwpRunsInTheCallersProcessOnItsOwnNamedThread(Supervisor.Attachment me) {
        AtomicReference<String> threadName = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        AtomicBoolean sameThread = new AtomicBoolean(true);
        int lid = Lwp.create(() -> {
            threadName.set(Thread.currentThread().getName());
            sameThread.set(Thread.currentThread() == caller);
        });
        assertEquals(lid, Lwp.waitFor(lid));
        assertFalse(sameThread.get(), "an LWP runs on its own platform thread");
        assertEquals("lwp " + me.pid() + "/" + lid, threadName.get());
    }

    @Test
    void unknownFlagsAnswerEinvalAndCreateNothing(Supervisor sup, Supervisor.Attachment me) {
        AtomicBoolean ran = new AtomicBoolean();
        int before = sup.lwpCount();
        LwpException e = expectErrno(Errno.EINVAL, () -> Lwp.create(() -> ran.set(true), 0x1));
        assertTrue(e.getMessage().contains("_lwp_create"), e.getMessage());
        assertEquals(before, sup.lwpCount());
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
        assertFalse(ran.get());
    }

    @Test
    void nullBodyIsNullPointerExceptionNamingIt(Supervisor sup, Supervisor.Attachment me) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Lwp.create(null));
        assertEquals("body", e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Lwp.create(null, Lwp.DETACHED));
        assertEquals("body", e.getMessage());
        assertEquals(1, sup.lwpCount());
    }

    @Test
    @Limits(maxLwpPerProc = 3)
    void overThePerProcessLimitAnswersEagainAndLeaksNothing(Supervisor sup, Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int a = Lwp.create(() -> awaitLatch(hold, "hold a"));
        int b = Lwp.create(() -> awaitLatch(hold, "hold b"));
        assertEquals(List.of(2, 3), List.of(a, b));
        int lwps = sup.lwpCount();
        int threads = sup.liveThreads().size();
        AtomicBoolean ran = new AtomicBoolean();
        LwpException e = expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> ran.set(true)));
        assertTrue(e.getMessage().contains("_lwp_create"), e.getMessage());
        assertEquals(lwps, sup.lwpCount(), "no LWP record left behind");
        assertEquals(threads, sup.liveThreads().size(), "no thread left behind");
        assertFalse(ran.get());

        hold.countDown();
        assertEquals(a, Lwp.waitFor(a));
        AtomicInteger seen = new AtomicInteger();
        int next = Lwp.create(() -> seen.set(Lwp.self()));
        assertEquals(4, next, "ids go on upward from the last one handed out");
        assertEquals(next, Lwp.waitFor(next));
        assertEquals(next, seen.get());
        assertEquals(b, Lwp.waitFor(b));
    }

    @Test
    void threadStartFailureAnswersEagainAndLeaksNothing(SupervisorExtension.Supervisors sups) {
        AtomicBoolean fail = new AtomicBoolean(true);
        AtomicInteger attempts = new AtomicInteger();
        Supervisor sup = sups.start(Supervisor.builder().threadStarter(t -> {
            attempts.incrementAndGet();
            if (fail.get()) {
                throw new OutOfMemoryError("unable to create native thread");
            }
            t.start();
        }));
        try (var me = sup.attachNewProcess()) {
            int lwps = sup.lwpCount();
            List<Thread> threads = sup.liveThreads();
            AtomicBoolean ran = new AtomicBoolean();
            LwpException e = expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> ran.set(true)));
            assertInstanceOf(OutOfMemoryError.class, e.getCause(), "the start failure is the cause");
            e = expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> ran.set(true), Lwp.DETACHED | Lwp.SUSPENDED));
            assertEquals(2, attempts.get());
            assertEquals(lwps, sup.lwpCount(), "no LWP record left behind");
            assertEquals(threads, sup.liveThreads(), "no thread left behind");
            assertFalse(ran.get());
            expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
            expectErrno(Errno.ESRCH, () -> Lwp.waitFor(2));

            fail.set(false);
            AtomicInteger seen = new AtomicInteger();
            int lid = Lwp.create(() -> seen.set(Lwp.self()));
            assertEquals(2, lid, "the failed creations did not use up an id");
            assertEquals(lid, Lwp.waitFor(lid));
            assertEquals(lid, seen.get());
        }
    }

    @Test
    @Limits(maxLid = 5)
    void lidsGoUpwardAndWrapAroundSkippingIdsInUse(Supervisor sup, Supervisor.Attachment me) {
        assertEquals(1, Lwp.self());
        Map<Integer, CountDownLatch> holds = new ConcurrentHashMap<>();
        Map<Integer, Integer> selfOf = new ConcurrentHashMap<>();
        List<Integer> order = new ArrayList<>();
        // 2, 3 held; 4 exits at once; 5 held
        order.add(held(holds, selfOf));
        order.add(held(holds, selfOf));
        int quick = Lwp.create(() -> selfOf.put(Lwp.self(), Lwp.self()));
        order.add(quick);
        order.add(held(holds, selfOf));
        assertEquals(List.of(2, 3, 4, 5), order, "upward from 1");
        assertEquals(4, Lwp.waitFor(4));

        // After 5 the ids wrap: 1, 2, 3 are in use, 4 is free again.
        assertEquals(4, held(holds, selfOf), "wrapped around to the first free id");

        // All five ids in use: nothing left to hand out.
        expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> { }));
        assertEquals(5, sup.lwpCount());

        holds.get(2).countDown();
        assertEquals(2, Lwp.waitFor(2));
        int again = Lwp.create(() -> selfOf.put(Lwp.self(), Lwp.self()));
        assertEquals(2, again, "from 4 on: 5 and 1 in use, 2 free");
        assertEquals(2, Lwp.waitFor(2));

        for (int lid : List.of(3, 4, 5)) {
            holds.get(lid).countDown();
            assertEquals(lid, Lwp.waitFor(lid));
        }
        for (Map.Entry<Integer, Integer> s : selfOf.entrySet()) {
            assertEquals(s.getKey(), s.getValue());
        }
        assertEquals(Set.of(2, 3, 4, 5), selfOf.keySet());
    }

    /** Create an LWP that records its self() and waits for its own latch. */
    private static int held(Map<Integer, CountDownLatch> holds, Map<Integer, Integer> selfOf) {
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch registered = new CountDownLatch(1);
        AtomicInteger lidBox = new AtomicInteger();
        int lid = Lwp.create(() -> {
            awaitLatch(registered, "registration");
            selfOf.put(Lwp.self(), lidBox.get());
            awaitLatch(hold, "hold " + lidBox.get());
        });
        lidBox.set(lid);
        holds.put(lid, hold);
        registered.countDown();
        return lid;
    }
}
