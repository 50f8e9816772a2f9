package org.lwp4j.stress.proc;

import org.lwp4j.Wait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.lwp4j.IdType;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/**
 * Makes jcstress's plain actor threads LWPs of one long-lived parent process, so that they can
 * fork children and race to wait for them or to exit them.
 *
 * <p>One supervisor per jcstress fork (never closed: its threads are daemons). The parent process
 * is made at class initialisation by a daemon "keeper" thread that attaches as its first LWP and
 * parks for ever, so the parent never runs out of LWPs. Init cannot serve as the parent: it reaps
 * its zombie children at once. An actor enters a process for one call ({@link #in}): it attaches
 * to the process, runs the call, then detaches its LWP (so it is freed at once, not kept as a
 * zombie) and leaves. Attaching per call, rather than keeping an LWP per thread, lets an actor
 * belong to a different process in each state (the exit race needs that) and costs no thread.
 *
 * <p>Every state reaps what it forks within that state, so no zombie builds up across states.
 */
final class ProcActors {
    /** The supervisor of this jcstress fork; limits raised for the states jcstress keeps alive at once. */
    static final Supervisor SUPERVISOR = Supervisor.builder().maxProc(1 << 16).maxPid(1 << 22).start();

    /**
     * Process exits seen by an at-exit hook, for pids registered with {@link #countExits}: the
     * exit race checks that exactly one LWP performed the exit.
     */
    private static final ConcurrentHashMap<Integer, Integer> EXITS = new ConcurrentHashMap<>();

    /** The parent process every state forks from (0 until made: see {@link #parent()}). */
    private static int parent;

    /** How long the arbiter waits for a child that must exit before calling it stuck. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ProcActors() {
    }

    /**
     * The parent process, made on first use. Not in a static initialiser: the keeper thread runs
     * code of this class, which would wait for the initialiser that waits for it.
     */
    static synchronized int parent() {
        if (parent == 0) {
            parent = startParent();
        }
        return parent;
    }

    private static int startParent() {
        CompletableFuture<Integer> pid = new CompletableFuture<>();
        Thread keeper = new Thread(() -> {
            try {
                Supervisor.Attachment a = SUPERVISOR.attachNewProcess();
                Proc.atExit((p, wstatus) -> EXITS.computeIfPresent(p, (k, n) -> n + 1));
                pid.complete(a.pid());
                for (;;) {
                    Lwp.park("stress parent keeper");
                }
            } catch (Throwable t) {
                pid.completeExceptionally(t);
            }
        }, "lwp4j-proc-stress-keeper");
        keeper.setDaemon(true);
        keeper.start();
        return pid.join();
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

    /** Run {@code call} as an LWP of the parent process. */
    static <T> T inParent(Supplier<T> call) {
        return in(parent(), call);
    }

    /** Fork a child of the parent that exits at once, and wait (WNOWAIT) until it is a zombie. */
    static int forkZombie(int status) {
        return inParent(() -> {
            int pid = Proc.fork(() -> Proc.exit(status));
            Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT);
            return pid;
        });
    }

    /** Fork a child of the parent whose only LWP parks until the process is exited. */
    static int forkSleeper() {
        return inParent(() -> Proc.fork(() -> {
            for (;;) {
                Lwp.park("stress child keeper");
            }
        }));
    }

    /** Start counting the process exits of {@code pid} (before it can exit). */
    static void countExits(int pid) {
        EXITS.put(pid, 0);
    }

    /** How many process exits {@code pid} had, and stop counting. */
    static int exitsOf(int pid) {
        Integer n = EXITS.remove(pid);
        return n == null ? -1 : n;
    }

    /**
     * As the parent: wait (bounded) until child {@code pid} is a zombie, then run {@code atZombie},
     * then reap it. Answers the reaped report, or null if the child never exited.
     */
    static WaitResult reapBounded(int pid, Runnable atZombie) {
        return inParent(() -> {
            long giveUp = System.nanoTime() + STUCK_NANOS;
            while (Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT | Wait.WNOHANG).isNone()) {
                if (System.nanoTime() - giveUp > 0) {
                    return null;
                }
                Lwp.parkUntil(System.nanoTime() + 50_000, "stress reap poll");
            }
            atZombie.run();
            return Proc.waitpid(pid, 0);
        });
    }

    /** A wait for child {@code pid} as the parent, summarised: REAPED, an errno name, or NONE. */
    static String waitOutcome(int pid, int options) {
        return inParent(() -> {
            try {
                WaitResult r = Proc.wait(IdType.P_PID, pid, Wait.WEXITED | options);
                if (r.isNone()) {
                    return "NONE";
                }
                return r.pid() == pid ? ((options & Wait.WNOWAIT) != 0 ? "SEEN" : "REAPED") : "WRONG " + r;
            } catch (LwpException e) {
                return e.errno().name();
            }
        });
    }
}
