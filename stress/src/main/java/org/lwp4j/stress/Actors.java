package org.lwp4j.stress;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.lwp4j.Disposition;
import org.lwp4j.IdType;
import org.lwp4j.Lwp;
import org.lwp4j.LwpCtl;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.ParkResult;
import org.lwp4j.ParkingLot;
import org.lwp4j.Proc;
import org.lwp4j.Sig;
import org.lwp4j.SigInfo;
import org.lwp4j.Signals;
import org.lwp4j.Supervisor;
import org.lwp4j.Wait;
import org.lwp4j.WaitResult;

/**
 * Makes jcstress's plain actor threads LWPs, for every stress test: the one supervisor of the
 * fork, LWPs of init for the park and wake tests, a long-lived parent process for the process
 * and signal tests, and the hand-shakes, bounded waits and outcome words they share.
 *
 * <p>jcstress runs each test in its own forked JVM, so one supervisor per JVM is one per test.
 * It is never closed: its threads are daemons and the JVM exits when the test is done. Its
 * process and pid limits are raised for the states jcstress keeps alive at once.
 *
 * <p><b>LWPs of init.</b> An actor thread attaches on first use ({@link #self()}) and keeps its
 * LWP for as long as it lives (jcstress reuses an actor thread for every state of an iteration).
 * Actors learn each other's lids through the {@code @State} object: the one that parks publishes
 * its lid, the one that wakes it waits for the lid with {@link #await}. A Mode.Termination actor
 * lives for one call: it enters with {@link #enter()} and must {@link #leave} before it ends.
 * Each test leaves no wake-up behind in the states it accepts: every unpark or wakeup mark it
 * sends is consumed within the same state (a park, or {@link #takePendingMark}), so a reused
 * actor thread starts each state clean. A FORBIDDEN outcome may leave one behind; that run has
 * failed anyway.
 *
 * <p><b>The parent process.</b> Made on first use by a daemon keeper thread that attaches as
 * its first LWP and parks for ever, so the parent never runs out of LWPs. Init cannot serve as
 * the parent: it reaps its zombie children at once. The keeper installs the parent's SIGUSR1
 * handler, inherited by every child it forks, which hands the signal to the receiving LWP's
 * private object if that is a {@code Consumer<SigInfo>} and otherwise records the receiving
 * process in {@link #PROBED}; and an at-exit hook that counts the process exits of pids
 * registered with {@link #countExits}. An actor enters a process for one call ({@link #in}):
 * it attaches, runs the call, then detaches its LWP (so it is freed at once, not kept as a
 * zombie) and leaves. Attaching per call lets an actor belong to a different process in each
 * state (the exit races need that) and costs no thread. Every state reaps what it forks within
 * that state, so no zombie builds up across states.
 */
public final class Actors {
    /** The supervisor of this jcstress fork. */
    public static final Supervisor SUPERVISOR = Supervisor.builder().maxProc(1 << 16).maxPid(1 << 22).start();

    /** Processes whose SIGUSR1 handler ran with no consumer installed. */
    public static final Set<Integer> PROBED = ConcurrentHashMap.newKeySet();

    /** Process exits seen by the parent's at-exit hook, for the pids registered. */
    private static final ConcurrentHashMap<Integer, Integer> EXITS = new ConcurrentHashMap<>();

    private static final ThreadLocal<Supervisor.Attachment> SELF = ThreadLocal.withInitial(SUPERVISOR::attach);

    /**
     * How long a park waits for a wake-up that the test guarantees: reaching this deadline
     * means the wake-up was lost (the tests report it as a FORBIDDEN TIMED_OUT, not a hang).
     */
    private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How long {@link #await} spins before it gives up on a hand-shake between actors. */
    private static final long HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** How long the arbiters' bounded waits for a child that must exit may take (then STUCK). */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Object PROBE = new Object() {
        @Override
        public String toString() {
            return "stress-probe";
        }
    };

    private Actors() {
    }

    // ------------------------------------------------------------------ LWPs of init

    /** The calling thread's lid; attaches the thread as an LWP of init on first use. */
    public static int self() {
        return SELF.get().lid();
    }

    /**
     * Attach a thread that lives for one call only (a Mode.Termination actor): its LWP must be
     * ended with {@link #leave} before the thread ends, or the LWP would outlive it.
     */
    public static Supervisor.Attachment enter() {
        return SUPERVISOR.attach();
    }

    /** End a one-call LWP: detached first, so that it is freed at once rather than kept as a zombie. */
    public static void leave(Supervisor.Attachment a) {
        Lwp.detach(a.lid());
        a.close();
    }

    /**
     * Run {@code body} as a one-call LWP of init (a Mode.Termination actor), given its lid:
     * {@link #enter()} before, {@link #leave} after, however the body ends.
     */
    public static void asOneCallLwp(IntConsumer body) {
        Supervisor.Attachment a = enter();
        try {
            body.accept(a.lid());
        } finally {
            leave(a);
        }
    }

    /**
     * As an LWP of init, wait for the lid that another actor publishes (through a volatile
     * field of the state, read by {@code lid}; 0 until published), and answer it.
     */
    public static int peer(IntSupplier lid) {
        self();
        await(() -> lid.getAsInt() != 0);
        return lid.getAsInt();
    }

    // ------------------------------------------------------------------ the parent process

    /**
     * The parent's pid, in a holder of its own: the keeper thread runs while the holder is being
     * initialised (which waits for its pid), so the keeper's code must not touch the holder.
     */
    private static final class Parent {
        static final int PID = startKeeper();
    }

    /** The parent process every state forks from, made on first use. */
    public static int parent() {
        return Parent.PID;
    }

    @SuppressWarnings("unchecked")
    private static int startKeeper() {
        CompletableFuture<Integer> pid = new CompletableFuture<>();
        Thread keeper = new Thread(() -> {
            try {
                Supervisor.Attachment a = SUPERVISOR.attachNewProcess();
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
                parkForever();
            } catch (Throwable t) {
                pid.completeExceptionally(t);
            }
        }, "lwp4j-stress-parent-keeper");
        keeper.setDaemon(true);
        keeper.start();
        return pid.join();
    }

    /** Run {@code call} as a new LWP of process {@code pid}, then leave it. */
    public static <T> T in(int pid, Supplier<T> call) {
        Supervisor.Attachment a = SUPERVISOR.attach(pid);
        try {
            return call.get();
        } finally {
            leave(a);
        }
    }

    /** Run {@code call} as an LWP of the parent process. */
    public static <T> T inParent(Supplier<T> call) {
        return in(parent(), call);
    }

    /** Run {@code call}, which answers nothing, as a new LWP of process {@code pid}, then leave it. */
    public static void runIn(int pid, Runnable call) {
        in(pid, () -> {
            call.run();
            return null;
        });
    }

    /** Run {@code call}, which answers nothing, as an LWP of the parent process. */
    public static void runInParent(Runnable call) {
        runIn(parent(), call);
    }

    /** As the parent: send {@code sig} to process {@code pid}; "OK" or the errno's name. */
    public static String kill(int pid, int sig) {
        return inParent(() -> errnoOf(() -> Signals.kill(pid, sig)));
    }

    /** As the parent: SIGKILL child {@code pid} (if it is still there) and reap it, bounded. */
    public static WaitResult killAndReap(int pid) {
        kill(pid, Sig.SIGKILL);
        return reapBounded(pid);
    }

    /**
     * Fork a child of the parent whose sleeper LWP masks {@code sig} (inherited from the forking
     * LWP), and install in the child a handler for {@code sig} that counts into {@code handled}.
     */
    public static int forkMasked(int sig, AtomicInteger handled) {
        int child = inParent(() -> {
            Signals.sigprocmask(Sig.SIG_BLOCK, Signals.sigmask(sig));
            return Proc.fork(Actors::parkForever);
        });
        in(child, () -> Signals.sigaction(sig, Disposition.handler(i -> handled.incrementAndGet())));
        return child;
    }

    /**
     * Enter process {@code pid} as a new LWP and call {@code exit(status)} there. Answers LATE
     * if the process could not be entered (ESRCH: it is exiting already), EXIT if the exit ended
     * the LWP (as it must), RETURNED if the exit returned, else the throwable.
     */
    public static String exitIn(int pid, int status) {
        Supervisor.Attachment a;
        try {
            a = SUPERVISOR.attach(pid);
        } catch (LwpException e) {
            return "LATE";
        }
        try {
            Proc.exit(status);
            return "RETURNED";
        } catch (LwpExit e) {
            return "EXIT";
        } catch (Throwable t) {
            return t.toString();
        } finally {
            a.close(); // no-op when the exit already ended this LWP
        }
    }

    /** Park until the process ends (a child body, the keeper). */
    public static void parkForever() {
        for (;;) {
            Lwp.park("stress sleeper");
        }
    }

    /** Fork a child of the parent whose only LWP parks until the process ends. */
    public static int forkSleeper() {
        return inParent(() -> Proc.fork(Actors::parkForever));
    }

    /** Fork a child of the parent that exits at once, and wait (WNOWAIT) until it is a zombie. */
    public static int forkZombie(int status) {
        return inParent(() -> {
            int pid = Proc.fork(() -> Proc.exit(status));
            Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT);
            return pid;
        });
    }

    /** Start counting the process exits of {@code pid} (before it can exit). */
    public static void countExits(int pid) {
        EXITS.put(pid, 0);
    }

    /** How many process exits {@code pid} had (-1 if it was not counted), and stop counting. */
    public static int exitsOf(int pid) {
        Integer n = EXITS.remove(pid);
        return n == null ? -1 : n;
    }

    /** As the parent: wait (bounded) until child {@code pid} has exited; reap it. Null if stuck. */
    public static WaitResult reapBounded(int pid) {
        return reapBounded(pid, () -> { });
    }

    /**
     * As the parent: wait (bounded) until child {@code pid} is a zombie, then run {@code atZombie},
     * then reap it. Answers the reaped report, or null if the child never exited.
     */
    public static WaitResult reapBounded(int pid, Runnable atZombie) {
        return inParent(() -> {
            long giveUp = stuckAfter();
            while (Proc.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOWAIT | Wait.WNOHANG).isNone()) {
                if (System.nanoTime() - giveUp > 0) {
                    return null;
                }
                pause();
            }
            atZombie.run();
            return Proc.waitpid(pid, 0);
        });
    }

    /** A wait for child {@code pid} as the parent, summarised: REAPED, SEEN, an errno name, or NONE. */
    public static String waitOutcome(int pid, int options) {
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

    /** A status word in words: the exit code, or the signal's name; STUCK for null. */
    public static String statusOf(WaitResult r) {
        if (r == null) {
            return "STUCK";
        }
        if (r.exited()) {
            return String.valueOf(r.exitStatus());
        }
        return r.signaled() ? Sig.name(r.termSig()) : r.toString();
    }

    // ------------------------------------------------------------------ shared by all

    /** Sleep a few tens of microseconds (a call into the runtime: a safe point). */
    public static void pause() {
        Lwp.parkUntil(System.nanoTime() + 50_000, "stress poll");
    }

    /** A deadline that a guaranteed wake-up always beats: past it, the wake-up was lost. */
    public static long lostAfter() {
        return System.nanoTime() + LOST_NANOS;
    }

    /** The deadline of an arbiter's bounded wait: past it, the outcome is STUCK. */
    public static long stuckAfter() {
        return System.nanoTime() + STUCK_NANOS;
    }

    /** Spin, then yield, until {@code cond} holds; throws if a hand-shake is stuck. */
    public static void await(BooleanSupplier cond) {
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
                    giveUp = now + HANDSHAKE_NANOS;
                } else if (now - giveUp > 0) {
                    throw new IllegalStateException("actor hand-shake stuck");
                }
            }
        }
    }

    /**
     * Yield until {@code cond} holds or the lost-wake-up time (5 s) has passed; answers whether
     * it holds. For an actor that must rescue a partner stuck by a lost wake-up.
     */
    public static boolean yieldUntil(BooleanSupplier cond) {
        long giveUp = System.nanoTime() + LOST_NANOS;
        while (!cond.getAsBoolean() && System.nanoTime() - giveUp < 0) {
            Thread.yield();
        }
        return cond.getAsBoolean();
    }

    /**
     * Consume a pending unpark or wakeup mark of the caller, if it has one: ALREADY if one was
     * pending, else TIMED_OUT after a sleep of a few microseconds (a safe point too). The
     * caller's interrupt status must be clear (else INTERRUPTED).
     *
     * <p>A wait checks its deadline before it looks for a pending mark, so a deadline that
     * passes on the way in (a slow, e.g. interpreted, call path) would answer TIMED_OUT without
     * looking. That case is told apart by the LWP's sleep count, which only a sleep that found
     * no mark advances, and retried with a longer deadline.
     */
    public static ParkResult takePendingMark() {
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
    public static String errnoOf(Runnable call) {
        try {
            call.run();
            return "OK";
        } catch (LwpException e) {
            return e.errno().name();
        }
    }
}
