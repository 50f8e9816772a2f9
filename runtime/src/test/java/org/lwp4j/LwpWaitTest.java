package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.awaitExited;
import static org.lwp4j.LwpTestSupport.awaitInLwpWait;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;
import static org.lwp4j.LwpTestSupport.timeCollectWhileHeldInTeardown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.LwpTestSupport.WaitOutcome;
import org.lwp4j.SupervisorExtension.Limits;
import org.lwp4j.sleep.SleepTable;

/** {@code _lwp_wait}: collecting, ESRCH, EINVAL, EDEADLK (self, cycles, everyone waiting), EINTR. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpWaitTest {

    /** What an LWP's {@code waitFor} answered: the lid collected, or the exception. */

    @Test
    void waitAnyCollectsEveryJoinableZombieOnceAndSkipsTheDetachedOnes(Supervisor sup, Supervisor.Attachment me) {
        List<Integer> joinable = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            boolean detached = i % 3 == 0;
            int lid = Lwp.create(() -> { }, detached ? Lwp.DETACHED : 0);
            if (!detached) {
                joinable.add(lid);
            }
        }
        List<Integer> collected = new ArrayList<>();
        for (int i = 0; i < joinable.size(); i++) {
            collected.add(Lwp.waitFor(0));
        }
        collected.sort(null);
        assertEquals(joinable, collected, "each joinable LWP once, no detached one");
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0)); // nothing joinable is left
        assertNull(sup.audit(), "LWP counts and zombie list agree with the table");
    }

    @Test
    void waitAnyAsTheOnlyLwpAnswersEsrch(Supervisor.Attachment me) {
        LwpException e = expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0));
        assertTrue(e.getMessage().contains("_lwp_wait(0)"), e.getMessage());
    }

    @Test
    void waitForAnUnknownOrCollectedLidAnswersEsrch(Supervisor.Attachment me) {
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(999));
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(-1));
        int lid = Lwp.create(() -> { });
        assertEquals(lid, Lwp.waitFor(lid));
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(lid));
    }

    @Test
    void theExitOfAnLwpHappensBeforeWaitReturns(Supervisor.Attachment me) {
        int[] plain = new int[64];
        int lid = Lwp.create(() -> {
            for (int i = 0; i < plain.length; i++) {
                plain[i] = i + 1;
            }
        });
        assertEquals(lid, Lwp.waitFor(lid));
        for (int i = 0; i < plain.length; i++) {
            assertEquals(i + 1, plain[i]);
        }
    }

    @Test
    void waitOnADetachedLwpAnswersEinval(Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int lid = Lwp.create(() -> awaitLatch(hold, "detached"), Lwp.DETACHED);
        LwpException e = expectErrno(Errno.EINVAL, () -> Lwp.waitFor(lid));
        assertTrue(e.getMessage().contains("_lwp_wait(" + lid + ")"), e.getMessage());
        hold.countDown();
    }

    @Test
    void waitOnSelfAnswersEdeadlk(Supervisor.Attachment me) {
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(Lwp.self()));
        // also with other LWPs around that could still exit
        CountDownLatch hold = new CountDownLatch(1);
        int other = Lwp.create(() -> awaitLatch(hold, "other"));
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(Lwp.self()));
        hold.countDown();
        assertEquals(other, Lwp.waitFor(other));
    }

    @Test
    void twoCycleOfWaitsAnswersEdeadlkToTheLwpClosingIt(Supervisor sup, Supervisor.Attachment me) {
        int m = Lwp.self();
        CountDownLatch hold = new CountDownLatch(1);
        Lwp.create(() -> awaitLatch(hold, "bystander"));
        WaitOutcome a = new WaitOutcome();
        int aLid = Lwp.create(a.waitFor(m));
        awaitInLwpWait(Lwp.ctl(aLid));

        // Not everyone waits (the bystander could still exit): only the cycle is a deadlock.
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(aLid));
        assertNull(a.error.get(), "the first waiter keeps waiting");

        // The cycle opens when the caller ends: A collects it, then everything drains.
        me.close();
        hold.countDown();
        await(() -> sup.processCount() == 1, "the process ended");
        assertNull(a.error.get());
        assertEquals(m, a.lid.get());
    }

    @Test
    void threeCycleOfWaitsAnswersEdeadlkToTheLwpClosingIt(Supervisor sup, Supervisor.Attachment me) {
        int m = Lwp.self();
        CountDownLatch hold = new CountDownLatch(1);
        Lwp.create(() -> awaitLatch(hold, "bystander"));
        WaitOutcome b = new WaitOutcome();
        int bLid = Lwp.create(b.waitFor(m));
        awaitInLwpWait(Lwp.ctl(bLid));
        WaitOutcome a = new WaitOutcome();
        int aLid = Lwp.create(a.waitFor(bLid));
        awaitInLwpWait(Lwp.ctl(aLid));

        // M -> A -> B -> M
        LwpException e = expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(aLid));
        assertTrue(e.getMessage().contains("_lwp_wait(" + aLid + ")"), e.getMessage());
        assertNull(a.error.get());
        assertNull(b.error.get());

        me.close();
        hold.countDown();
        await(() -> sup.processCount() == 1, "the process ended");
        assertNull(b.error.get());
        assertNull(a.error.get());
        assertEquals(m, b.lid.get(), "B collected the caller");
        assertEquals(bLid, a.lid.get(), "A collected B");
    }

    @Test
    void aChainOfWaitsThatIsNoCycleWaits(Supervisor.Attachment me) {
        LwpCtl mine = Lwp.ctl();
        CountDownLatch hold = new CountDownLatch(1);
        int bLid = Lwp.create(() -> awaitLatch(hold, "B"));
        WaitOutcome a = new WaitOutcome();
        int aLid = Lwp.create(a.waitFor(bLid));
        awaitInLwpWait(Lwp.ctl(aLid));
        Thread releaser = new Thread(() -> {
            awaitInLwpWait(mine);
            hold.countDown();
        }, "releaser");
        releaser.setDaemon(true);
        releaser.start();
        // M -> A -> B, and B is running: no deadlock, M sleeps until A is gone.
        assertEquals(aLid, Lwp.waitFor(aLid));
        assertEquals(bLid, a.lid.get());
        assertNull(a.error.get());
    }

    /** NetBSD lwp_wait checks "detached" before the cycle: a detached LWP waiting for itself is EINVAL. */
    @Test
    void aDetachedLwpWaitingForItselfAnswersEinvalNotEdeadlk(Supervisor.Attachment me) {
        java.util.concurrent.atomic.AtomicReference<Errno> got = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Lwp.create(() -> {
            try {
                Lwp.waitFor(Lwp.self());
            } catch (LwpException e) {
                got.set(e.errno());
            } finally {
                done.countDown();
            }
        }, Lwp.DETACHED);
        awaitLatch(done, "the detached LWP's wait answered");
        assertEquals(Errno.EINVAL, got.get());
    }

    @Test
    void waitWhileEveryOtherLwpWaitsAnswersEdeadlk(Supervisor sup, Supervisor.Attachment me) {
        int m = Lwp.self();
        WaitOutcome a = new WaitOutcome();
        WaitOutcome b = new WaitOutcome();
        int aLid = Lwp.create(a.waitFor(0));
        int bLid = Lwp.create(b.waitFor(0));
        awaitInLwpWait(Lwp.ctl(aLid));
        awaitInLwpWait(Lwp.ctl(bLid));

        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(0));
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(aLid));
        assertNull(a.error.get());
        assertNull(b.error.get());

        // When the caller ends, one of them collects it and the other collects that one.
        me.close();
        await(() -> sup.processCount() == 1, "the process ended");
        assertNull(a.error.get());
        assertNull(b.error.get());
        assertTrue(a.lid.get() == m || b.lid.get() == m, "someone collected the caller");
        int first = a.lid.get() == m ? aLid : bLid;
        int second = first == aLid ? b.lid.get() : a.lid.get();
        assertEquals(first, second, "the other one collected the first");
    }

    /**
     * The deadlock check counts the LWPs that may still give a zombie (running or zombie, not
     * detached; NetBSD's p_nrlwps + p_nzlwps - p_ndlwps), kept as a count through suspend,
     * resume, detach, exit and collection.
     */
    @Test
    void theDeadlockCheckCountsOnlyLwpsThatMayStillGiveAZombie(Supervisor.Attachment me) {
        CountDownLatch end = new CountDownLatch(1);
        // Parked (a safe point, so _lwp_suspend takes effect at once) until the end.
        Runnable untilEnd = () -> {
            while (end.getCount() > 0) {
                Lwp.parkUntil(System.nanoTime() + 10_000_000L, "end");
            }
        };
        int suspended = Lwp.create(untilEnd, Lwp.SUSPENDED);
        int detached = Lwp.create(untilEnd, Lwp.DETACHED);
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(0)); // only the caller runs: no supply
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(suspended));

        LwpCtl zombie = LwpTestSupport.createZombie();
        assertEquals(zombie.lid(), Lwp.waitFor(0), "a zombie counts (and is collected)");
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(0));

        int running = Lwp.create(untilEnd);
        Lwp.suspend(running);
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(running));
        Lwp.resume(running);
        Lwp.resume(suspended);
        Lwp.detach(running);
        Lwp.detach(suspended);
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0)); // nothing left to wait for

        WaitOutcome w = new WaitOutcome();
        int waiter = Lwp.create(w.waitFor(0)); // it counts while it runs, not once it waits
        awaitInLwpWait(Lwp.ctl(waiter));
        expectErrno(Errno.EDEADLK, () -> Lwp.waitFor(waiter));
        int last = Lwp.create(() -> { });
        await(() -> w.lid.get() != 0 || w.error.get() != null, "the waiter collected one");
        assertNull(w.error.get());
        assertEquals(last, w.lid.get());
        assertEquals(waiter, Lwp.waitFor(waiter));
        end.countDown();
        expectErrno(Errno.ESRCH, () -> Lwp.waitFor(0)); // only detached ones are left
    }

    @Test
    void twoWaitersOnOneTargetExactlyOneCollectsTheOtherGetsEsrch() {
        for (int round = 0; round < 5; round++) {
            try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
                CountDownLatch hold = new CountDownLatch(1);
                int t = Lwp.create(() -> awaitLatch(hold, "target"));
                WaitOutcome w1 = new WaitOutcome();
                WaitOutcome w2 = new WaitOutcome();
                int w1Lid = Lwp.create(w1.waitFor(t));
                int w2Lid = Lwp.create(w2.waitFor(t));
                LwpCtl c1 = Lwp.ctl(w1Lid);
                LwpCtl c2 = Lwp.ctl(w2Lid);
                awaitInLwpWait(c1);
                awaitInLwpWait(c2);
                hold.countDown();
                awaitExited(c1);
                awaitExited(c2);
                List<Integer> collected = List.of(w1.lid.get(), w2.lid.get());
                List<Errno> errors = new ArrayList<>();
                for (WaitOutcome o : List.of(w1, w2)) {
                    if (o.error.get() != null) {
                        errors.add(o.errno());
                    }
                }
                assertEquals(1, collected.stream().filter(l -> l == t).count(),
                        "exactly one waiter collects: " + collected + " errors " + errors);
                assertEquals(List.of(Errno.ESRCH), errors, "the other answers ESRCH");
                assertEquals(w1Lid, Lwp.waitFor(w1Lid));
                assertEquals(w2Lid, Lwp.waitFor(w2Lid));
                expectErrno(Errno.ESRCH, () -> Lwp.waitFor(t));
            }
        }
    }

    @Test
    void anInterruptedWaitAnswersEintrAndTheTargetStaysCollectable(Supervisor.Attachment me) {
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "target"));
        WaitOutcome w = new WaitOutcome();
        AtomicReference<Thread> wThread = new AtomicReference<>();
        Runnable waitBody = w.waitFor(t);
        int wLid = Lwp.create(() -> {
            wThread.set(Thread.currentThread());
            waitBody.run();
        });
        LwpCtl wc = Lwp.ctl(wLid);
        awaitInLwpWait(wc);
        wThread.get().interrupt();
        awaitExited(wc);
        assertEquals(Errno.EINTR, w.errno(), String.valueOf(w.error.get()));
        assertEquals(wLid, Lwp.waitFor(wLid));
        hold.countDown();
        assertEquals(t, Lwp.waitFor(t), "the interrupted waiter did not keep a claim on the target");
    }

    /**
     * As NetBSD's lwp_free, _lwp_wait returns once the zombie is off its CPU: here, once its
     * platform thread has ended, waited for (yielding) at most the kernel-wait spin. The test
     * holds the LWP's Thread monitor, which the JVM's thread teardown takes to notify joiners,
     * so the thread stays alive after its exit: waitFor waits the whole bound, then returns.
     */
    @Test
    @Limits(lwpCache = 0) // a thread that ends, not one that goes back to the cache
    void waitForWaitsBoundedForTheZombiesThreadToEnd(Supervisor.Attachment me) {
        assumeTrue(SleepTable.KWAIT_SPIN_NANOS > 0, "kernel waits do not spin here");
        long took = timeCollectWhileHeldInTeardown("LWP", Lwp::create, lid -> assertEquals(lid, Lwp.waitFor(lid)));
        assertTrue(took >= SleepTable.KWAIT_SPIN_NANOS, "waitFor returned after " + took
                + " ns, before the " + SleepTable.KWAIT_SPIN_NANOS + " ns bound, with the thread alive");
    }
}
