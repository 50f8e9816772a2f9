package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.await;
import static org.lwp4j.sync.SyncTestSupport.later;

import org.lwp4j.Wait;
import org.lwp4j.Sig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.LwpExit;
import org.lwp4j.ParkResult;
import org.lwp4j.Proc;
import org.lwp4j.Signals;
import org.lwp4j.Disposition;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/**
 * The synchronizers on LWPs: waits are safe points (signals, exit, SIGKILL, wakeup), a plain
 * lock() never keeps an exit waiting, a pending unpark survives, and one lock serves LWPs of
 * different processes and supervisors and plain threads.
 */
@Timeout(60)
class SyncOnLwpsTest {
    /** True once the LWP behind {@code c} sleeps with {@code obj} as its wait channel. */
    private static boolean sleepsOn(LwpCtl c, Object obj) {
        return c.state() == Lwp.State.SLEEPING && c.waitChannel() == obj;
    }

    private static void awaitSleepsOn(int lid, Object obj) {
        LwpCtl c = Lwp.ctl(lid);
        await(() -> sleepsOn(Lwp.ctl(lid), obj), () -> "lwp " + lid + " asleep on " + obj + ", is " + Lwp.ctl(lid));
    }

    /** Wait until some thread is blocked with blocker {@code obj} (for LWPs of other processes). */
    private static void awaitSomeoneBlockedOn(Object obj) {
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> java.util.concurrent.locks.LockSupport.getBlocker(t) == obj), () -> "a sleeper on " + obj);
    }

    @Test
    void sigkillEndsAPlainLockOfAnLwpWithLwpExit() {
        Mutex m = new Mutex();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            m.lock();
            int child = Proc.fork(() -> {
                try {
                    m.lock();
                    Proc.exit(1); // never reached: SIGKILL comes first
                } catch (Throwable t) {
                    seen.set(t);
                    throw t;
                }
            });
            awaitSomeoneBlockedOn(m);
            Signals.kill(child, Sig.SIGKILL);
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.signaled() && r.termSig() == Sig.SIGKILL, r.toString());
            assertTrue(seen.get() instanceof LwpExit, "unwound with LwpExit: " + seen.get());
            assertTrue(m.isHeldByCurrentThread(), "the holder is untouched");
            m.unlock();
            assertTrue(m.tryLock(), "the killed waiter left nothing behind");
            m.unlock();
        }
    }

    @Test
    void aProcessExitEndsItsLwpsWaitsOnEverySynchronizer() {
        Mutex m = new Mutex();
        RwLock rw = new RwLock();
        Semaphore sem = new Semaphore(0);
        Latch latch = new Latch(1);
        Once once = new Once();
        AtomicInteger unwound = new AtomicInteger();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            m.lock();
            rw.writeLock().lock();
            Latch inOnce = new Latch(1), never = new Latch(1);
            Thread runner = new Thread(() -> once.run(() -> {
                inOnce.countDown();
                try {
                    never.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }), "once runner");
            runner.start();
            int child = Proc.fork(() -> {
                Runnable[] waits = {
                    m::lock, () -> rw.readLock().lock(), () -> rw.writeLock().lock(),
                    sem::acquireUninterruptibly, () -> {
                        try {
                            latch.await();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }, () -> once.run(() -> { })
                };
                for (Runnable w : waits) {
                    Lwp.create(() -> {
                        try {
                            w.run();
                        } catch (LwpExit e) {
                            unwound.incrementAndGet();
                            throw e;
                        }
                    });
                }
                await(() -> inOnce.getCount() == 0, () -> "the once runner is inside");
                await(() -> unwoundReady(), () -> "all waiting");
                Proc.exit(5);
            });
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.exited() && r.exitStatus() == 5, r.toString());
            assertEquals(6, unwound.get(), "every waiter unwound with LwpExit");
            never.countDown();
            m.unlock();
            rw.writeLock().unlock();
        }
    }

    private static boolean unwoundReady() {
        long sleeping = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("lwp ") && java.util.concurrent.locks.LockSupport.getBlocker(t) != null)
                .count();
        return sleeping >= 6;
    }

    @Test
    void aConditionWaitEndedByExitLeavesTheMutexFreeAndItsFinallyUnlockIsForgiven() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            int child = Proc.fork(() -> {
                try {
                    m.lock();
                    try {
                        c.await();
                    } finally {
                        m.unlock(); // after an exit: forgiven, so the LwpExit goes on
                    }
                } catch (InterruptedException e) {
                    escaped.set(e);
                } catch (RuntimeException | Error t) {
                    escaped.set(t);
                    throw t;
                }
            });
            awaitSomeoneBlockedOn(c);
            Signals.kill(child, Sig.SIGKILL);
            Proc.waitpid(child, 0);
            assertTrue(escaped.get() instanceof LwpExit, "LwpExit, not masked: " + escaped.get());
            assertTrue(m.tryLock(), "the mutex was left free");
            m.unlock();
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalMonitorStateException.class, m::unlock,
                "other unlocks by non-holders still throw");
    }

    @Test
    void aSignalHandlerRunsWhileAnLwpWaitsForALockAndTheWaitGoesOn() {
        Mutex m = new Mutex();
        AtomicBoolean handled = new AtomicBoolean(), heldInHandler = new AtomicBoolean();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            Signals.sigaction(Sig.SIGUSR1, Disposition.handler(info -> {
                heldInHandler.set(m.isHeldByCurrentThread());
                handled.set(true);
            }));
            m.lock();
            AtomicBoolean got = new AtomicBoolean();
            int lid = Lwp.create(() -> {
                m.lock();
                got.set(true);
                m.unlock();
            });
            awaitSleepsOn(lid, m);
            Signals.lwpKill(lid, Sig.SIGUSR1);
            await(handled::get, () -> "the handler ran");
            awaitSleepsOn(lid, m);
            assertFalse(got.get(), "the wait went on after the handler");
            m.unlock();
            Lwp.waitFor(lid);
            assertTrue(got.get());
            assertFalse(heldInHandler.get());
        }
    }

    @Test
    void lwpWakeupActsAsAnInterruptOnInterruptibleFormsOnly() {
        Mutex m = new Mutex();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            m.lock();
            AtomicBoolean threw = new AtomicBoolean();
            int lid = Lwp.create(() -> {
                try {
                    m.lockInterruptibly();
                } catch (InterruptedException e) {
                    threw.set(true);
                }
            });
            awaitSleepsOn(lid, m);
            Lwp.wakeup(lid);
            Lwp.waitFor(lid);
            assertTrue(threw.get(), "EINTR: InterruptedException");

            AtomicBoolean got = new AtomicBoolean();
            int plain = Lwp.create(() -> {
                m.lock();
                got.set(true);
                m.unlock();
            });
            awaitSleepsOn(plain, m);
            Lwp.wakeup(plain);
            awaitSleepsOn(plain, m); // a spurious wake for lock(): back to sleep
            m.unlock();
            Lwp.waitFor(plain);
            assertTrue(got.get());
        }
    }

    @Test
    void aPendingUnparkSurvivesAContendedLock() {
        Mutex m = new Mutex();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            m.lock();
            AtomicReference<ParkResult> park = new AtomicReference<>();
            int lid = Lwp.create(() -> {
                m.lock();
                m.unlock();
                park.set(Lwp.parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(20), "after"));
            });
            awaitSleepsOn(lid, m);
            Lwp.unpark(lid, "after"); // does not end the lock wait; stays pending
            awaitSleepsOn(lid, m);
            m.unlock();
            Lwp.waitFor(lid);
            assertEquals(ParkResult.ALREADY, park.get(), "the park consumed the permit the lock wait kept");
        }
    }

    @Test
    void lwpsOfTwoProcessesExcludeEachOtherOnOneMutex() {
        Mutex m = new Mutex();
        long[] counter = {0};
        int n = 3000;
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            int child = Proc.fork(() -> {
                for (int i = 0; i < n; i++) {
                    m.lock();
                    counter[0]++;
                    m.unlock();
                }
            });
            for (int i = 0; i < n; i++) {
                m.lock();
                counter[0]++;
                m.unlock();
            }
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.exited(), r.toString());
            m.lock();
            try {
                assertEquals(2L * n, counter[0]);
            } finally {
                m.unlock();
            }
        }
    }

    @Test
    void anLwpOfOneSupervisorWaitsForALockThatAPlainThreadReleases() throws Exception {
        Mutex m = new Mutex();
        Semaphore sem = new Semaphore(0);
        m.lock(); // this plain thread holds it
        AtomicBoolean got = new AtomicBoolean();
        try (Supervisor s = Supervisor.start(); Supervisor other = Supervisor.start()) {
            Thread lwpHost = new Thread(() -> {
                try (var a = s.attachNewProcess()) {
                    m.lock();
                    got.set(true);
                    m.unlock();
                    sem.release();
                }
            }, "attached to s");
            lwpHost.start();
            awaitSomeoneBlockedOn(m);
            m.unlock();
            assertTrue(sem.tryAcquire(20, TimeUnit.SECONDS), "the LWP got the lock and released the semaphore");
            lwpHost.join(20_000);
            assertTrue(got.get());
        }
    }

    @Test
    void aStoppedLwpWaitingForALockStaysStoppedUntilContinued() {
        Mutex m = new Mutex();
        try (Supervisor s = Supervisor.start(); var a = s.attachNewProcess()) {
            m.lock();
            AtomicBoolean got = new AtomicBoolean();
            int child = Proc.fork(() -> {
                m.lock();
                got.set(true);
                m.unlock();
            });
            awaitSomeoneBlockedOn(m);
            Signals.kill(child, Sig.SIGSTOP);
            WaitResult st = waitStopped(child);
            assertTrue(st.stopped(), st.toString());
            m.unlock();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            while (System.nanoTime() - end < 0) {
                assertFalse(got.get(), "a stopped LWP does not take the lock");
                Thread.onSpinWait();
            }
            Signals.kill(child, Sig.SIGCONT);
            WaitResult r = Proc.waitpid(child, 0);
            assertTrue(r.exited(), r.toString());
            assertTrue(got.get());
        }
    }

    private static WaitResult waitStopped(int pid) {
        long deadline = later();
        for (;;) {
            WaitResult r = Proc.waitpid(pid, Wait.WUNTRACED | Wait.WNOHANG);
            if (!r.isNone()) {
                return r;
            }
            assertTrue(System.nanoTime() - deadline < 0, "child " + pid + " stopped");
            Lwp.parkUntil(System.nanoTime() + 1_000_000, "poll");
        }
    }
}
