package org.lwp4j.stress.signal;

import org.lwp4j.Wait;
import org.lwp4j.Sig;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lwp4j.IdType;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.ParkingLot;
import org.lwp4j.Proc;
import org.lwp4j.Signals;
import org.lwp4j.Disposition;
import org.lwp4j.SigInfo;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/**
 * Makes jcstress's actor threads LWPs of one long-lived parent process for the signal tests, as
 * the process tests' ProcActors does (attach for one call, then detach and leave), plus the
 * signal plumbing: the parent's SIGUSR1 handler, inherited by every child it forks, hands the
 * signal to the receiving LWP's private object if that is a {@code Consumer<SigInfo>}, and
 * otherwise records the receiving process in {@link #PROBED}.
 *
 * <p>One supervisor per jcstress fork, never closed (its threads are daemons). The parent is
 * entered by a daemon keeper thread that installs the handler and an at-exit hook counting the
 * process exits of registered pids, then parks for ever.
 */
final class SigActors {
    static final Supervisor SUPERVISOR = Supervisor.builder().maxProc(1 << 16).maxPid(1 << 22).start();
    static final int PARENT = Keeper.start(SUPERVISOR);
    /** Processes whose SIGUSR1 handler ran with no consumer installed. */
    static final Set<Integer> PROBED = Keeper.PROBED;

    /** A deadline that a guaranteed wake-up always beats: past it, the wake-up was lost. */
    private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** How long hand-shakes and the arbiters' bounded waits may take before reporting STUCK. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Object PROBE = new Object() {
        @Override
        public String toString() {
            return "signal-stress-probe";
        }
    };

    private SigActors() {
    }

    /**
     * The parent's keeper thread, in a class of its own: the keeper runs while SigActors is
     * still being initialised (which waits for its pid), so its code must not touch SigActors.
     */
    private static final class Keeper implements Runnable {
        static final Set<Integer> PROBED = ConcurrentHashMap.newKeySet();
        static final ConcurrentHashMap<Integer, Integer> EXITS = new ConcurrentHashMap<>();
        private final Supervisor sup;
        private final CompletableFuture<Integer> pid = new CompletableFuture<>();

        private Keeper(Supervisor sup) {
            this.sup = sup;
        }

        static int start(Supervisor sup) {
            Keeper k = new Keeper(sup);
            Thread t = new Thread(k, "lwp4j-signal-stress-keeper");
            t.setDaemon(true);
            t.start();
            return k.pid.join();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            try {
                Supervisor.Attachment a = sup.attachNewProcess();
                Signals.sigaction(Sig.SIGUSR1, Disposition.handler(info -> {
                    Object to = Lwp.getPrivate();
                    if (to instanceof Consumer) {
                        ((Consumer<SigInfo>) to).accept(info);
                    } else {
                        PROBED.add(Proc.getpid());
                    }
                }));
                Proc.atExit((p, wstatus) -> EXITS.computeIfPresent(p, (k, n) -> n + 1));
                pid.complete(a.pid());
                for (;;) {
                    Lwp.park("signal stress parent keeper");
                }
            } catch (Throwable t) {
                pid.completeExceptionally(t);
            }
        }
    }

    /** Run {@code call} as a new LWP of process {@code pid}, then leave it. */
    static <T> T in(int pid, Supplier<T> call) {
        Supervisor.Attachment a = SUPERVISOR.attach(pid);
        try {
            return call.get();
        } finally {
            Lwp.detach(a.lid());
            a.close();
        }
    }

    static <T> T inParent(Supplier<T> call) {
        return in(PARENT, call);
    }

    /** Fork a child of the parent whose only LWP parks until the process ends. */
    static int forkSleeper() {
        return inParent(() -> Proc.fork(SigActors::parkForever));
    }

    static void parkForever() {
        for (;;) {
            Lwp.park("signal stress sleeper");
        }
    }

    static void countExits(int pid) {
        Keeper.EXITS.put(pid, 0);
    }

    static int exitsOf(int pid) {
        Integer n = Keeper.EXITS.remove(pid);
        return n == null ? -1 : n;
    }

    /** A status word in words: the exit code, or the signal's name. */
    static String statusOf(WaitResult r) {
        if (r == null) {
            return "STUCK";
        }
        if (r.exited()) {
            return String.valueOf(r.exitStatus());
        }
        return r.signaled() ? Sig.name(r.termSig()) : r.toString();
    }

    /** As the parent: wait (bounded) until child {@code pid} has exited; reap it. Null if stuck. */
    static WaitResult reapBounded(int pid) {
        return inParent(() -> {
            long giveUp = System.nanoTime() + STUCK_NANOS;
            while (Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT | Wait.WNOHANG).isNone()) {
                if (System.nanoTime() - giveUp > 0) {
                    return null;
                }
                pause();
            }
            return Proc.waitpid(pid, 0);
        });
    }

    /** Sleep a few tens of microseconds (a call into the runtime: a safe point). */
    static void pause() {
        Lwp.parkUntil(System.nanoTime() + 50_000, "signal stress poll");
    }

    static long lostAfter() {
        return System.nanoTime() + LOST_NANOS;
    }

    static long stuckAfter() {
        return System.nanoTime() + STUCK_NANOS;
    }

    /** Spin, then yield, until {@code cond} holds; throws if a hand-shake is stuck. */
    static void await(BooleanSupplier cond) {
        long giveUp = 0;
        for (int spins = 0; !cond.getAsBoolean(); spins++) {
            if (spins < 128) {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if ((spins & 1023) == 0) {
                long now = System.nanoTime();
                if (giveUp == 0) {
                    giveUp = now + STUCK_NANOS;
                } else if (now - giveUp > 0) {
                    throw new IllegalStateException("actor hand-shake stuck");
                }
            }
        }
    }

    /**
     * A safe point that also consumes a pending unpark of the caller: ALREADY if one was
     * pending, else TIMED_OUT after a few microseconds (retried when the deadline passed before
     * the wait even looked, which the sleep count tells).
     */
    static ParkResult takePendingMark() {
        LwpCtl me = Lwp.ctl();
        for (long wait = TimeUnit.MICROSECONDS.toNanos(20); ; wait <<= 1) {
            int sleeps = me.parkCount();
            ParkResult r = ParkingLot.wait(PROBE, () -> true, System.nanoTime() + wait);
            if (r != ParkResult.TIMED_OUT || me.parkCount() != sleeps) {
                return r;
            }
        }
    }

    /** What a call that may fail with an errno answered: "OK" or the errno's name. */
    static String errnoOf(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (LwpException e) {
            return e.errno().name();
        }
    }
}
