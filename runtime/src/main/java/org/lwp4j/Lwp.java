package org.lwp4j;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.lwp4j.kern.Timeouts;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.LwpCalls;
import org.lwp4j.kern.SleepCalls;

/**
 * The NetBSD {@code _lwp_*} calls, made by the calling LWP on its own process.
 *
 * <p>Every method must be called from an LWP: a thread created by {@link #create} (or by
 * process fork), or a thread that entered with {@link Supervisor#attach()}. Otherwise it throws
 * {@link IllegalStateException}. Every method is a <em>safe point</em>: a pending suspension,
 * stop, signal or exit takes effect on entry (an exiting LWP gets {@link LwpExit}).
 *
 * <p>Ids name LWPs of the caller's process only: an id of another process's LWP, an unknown id
 * and the id of a zombie all answer {@link Errno#ESRCH}. Errors are {@link LwpException}s
 * carrying an {@link Errno}; a call that fails has changed nothing.
 *
 * <p>Memory effects: actions of an LWP before {@code unpark(lid)}, {@code unparkAll},
 * {@code wakeup} or a parking-lot {@code wake} that wakes a sleeper happen-before the woken
 * sleeper's return (UNPARKED, ALREADY or INTERRUPTED by that wake). The exit of an LWP
 * happens-before the return of the {@code waitFor} that collects it.
 */
public final class Lwp {
    private Lwp() {
    }

    /** {@code LWP_DETACHED}: the LWP is reaped by the system when it exits; it cannot be waited for. */
    public static final int DETACHED = LwpCalls.LWP_DETACHED;
    /** {@code LWP_SUSPENDED}: the LWP does not run until {@link #resume(int)}. */
    public static final int SUSPENDED = LwpCalls.LWP_SUSPENDED;
    /** {@code LWP_UNPARK_MAX}: most ids one {@link #unparkAll} takes. */
    public static final int UNPARK_MAX = SleepCalls.UNPARK_MAX;
    /**
     * A deadline that never passes. Deadlines are absolute {@link System#nanoTime()} values,
     * compared by difference ({@code deadline - now <= 0} has passed), except at the ends:
     * {@code FOREVER} never passes, and {@code Long.MIN_VALUE} and {@code Long.MIN_VALUE + 1}
     * ({@code -FOREVER}) have always passed, so a sleep given them returns TIMED_OUT at once
     * (and a parking-lot wait does not run its validate).
     */
    public static final long FOREVER = Long.MAX_VALUE;

    /** An LWP's state, as a control block or a ps view shows it. */
    public enum State {
        /** Running user code. */
        RUNNING,
        /** Asleep in park, a parking-lot wait or a kernel wait (NetBSD LSSLEEP). */
        SLEEPING,
        /** Suspended by {@link #suspend(int)} or created {@link #SUSPENDED}. */
        SUSPENDED,
        /** Stopped with its process (SIGSTOP and kin). */
        STOPPED,
        /** Exited, waiting to be collected by {@link #waitFor(int)}. */
        ZOMBIE,
        /** Gone. */
        DEAD
    }

    /**
     * {@code _lwp_create}: start a new LWP in the caller's process running {@code body}.
     * The new LWP passes a safe point before its body: if its process exits or it is killed
     * first, it ends there and {@code body} never runs, its {@code finally} blocks neither.
     * Code that counts its LWPs down in the body's {@code finally} must also watch the process's
     * exit ({@link Proc#onExit(int)}), as {@link org.lwp4j.exec.LwpExecutorService} does.
     *
     * @param body  what the LWP runs; when it returns, the LWP exits
     * @param flags {@link #DETACHED}, {@link #SUSPENDED}, or both
     * @return the new LWP's id
     * @throws LwpException EAGAIN over the per-process LWP limit or when the platform thread
     *                      cannot be started (nothing is left behind); EINVAL for unknown flags
     */
    public static int create(Runnable body, int flags) {
        return LwpCalls.create(body, flags);
    }

    /**
     * {@code _lwp_create} with no flags: a joinable LWP that runs at once.
     *
     * @param body what the LWP runs; when it returns, the LWP exits
     * @return the new LWP's id
     * @throws LwpException as {@link #create(Runnable, int)}
     */
    public static int create(Runnable body) {
        return LwpCalls.create(body, 0);
    }

    /**
     * {@code _lwp_exit}: end the calling LWP by unwinding its body with {@link LwpExit}. The last
     * LWP of a process to exit ends the process with status 0. Never returns.
     */
    public static void exit() {
        throw LwpCalls.exit();
    }

    /**
     * {@code _lwp_self}: the caller's id. Ids are unique within a process, never 0, allocated
     * upward and wrapping around, skipping ids in use.
     *
     * @return the calling LWP's id
     */
    public static int self() {
        return LwpCalls.self();
    }

    /**
     * A safe point and nothing else: call it from long computations so that suspension, stop,
     * signals and exit can take effect.
     */
    public static void checkpoint() {
        LwpCalls.checkpoint();
    }

    /**
     * {@code _lwp_getprivate}: the caller's private reference.
     *
     * @return what {@link #setPrivate} last stored for the calling LWP, or null
     */
    public static Object getPrivate() {
        return LwpCalls.getPrivate();
    }

    /**
     * {@code _lwp_setprivate}: set the caller's private reference.
     *
     * @param value any reference, or null; only the calling LWP reads it back
     */
    public static void setPrivate(Object value) {
        LwpCalls.setPrivate(value);
    }

    /**
     * {@code _lwp_setname}: name an LWP (0 = self). The first 15 characters are kept
     * (MAXCOMLEN - 1); a longer name is cut, not refused. The name also shows in the platform
     * thread's name ({@code "lwp pid/lid name"}), so jstack and JFR show it.
     *
     * @param lid  an LWP of the caller's process, or 0 for the caller
     * @param name the name (copied; cut to 15 characters)
     * @throws LwpException ESRCH if there is no such LWP in the caller's process
     */
    public static void setName(int lid, String name) {
        LwpCalls.setName(lid, name);
    }

    /**
     * {@code _lwp_getname}.
     *
     * @param lid an LWP of the caller's process, or 0 for the caller
     * @return its name (at most 15 characters)
     * @throws LwpException ESRCH if there is no such LWP in the caller's process
     */
    public static String getName(int lid) {
        return LwpCalls.getName(lid);
    }

    /**
     * {@code _lwp_suspend}: the target stops at its next safe point; returns once it is
     * suspended. Suspending self returns after another LWP continues the caller.
     *
     * @param lid an LWP of the caller's process (the caller's own id suspends itself)
     * @throws LwpException ESRCH; EDEADLK when the caller suspends itself as the only running
     *                      LWP of its process, or the process is exiting; EINTR when the caller
     *                      is interrupted or woken while waiting (the request is withdrawn)
     */
    public static void suspend(int lid) {
        LwpCalls.suspend(lid);
    }

    /**
     * {@code _lwp_continue}: resume a suspended LWP; nothing if it is not suspended.
     *
     * @param lid an LWP of the caller's process
     * @throws LwpException ESRCH
     */
    public static void resume(int lid) {
        LwpCalls.resume(lid);
    }

    /**
     * {@code _lwp_wait}: wait for a joinable LWP of the caller's process to exit and collect it.
     *
     * @param lid the LWP, or 0 for any
     * @return the id of the LWP collected
     * @throws LwpException ESRCH if there is no such LWP or nothing to wait for (e.g. any, as
     *                      the only LWP); EINVAL if the target is detached; EDEADLK if the target
     *                      waits (directly or through a cycle) for the caller, the caller names
     *                      itself, or every other LWP is already waiting; EINTR if interrupted
     */
    public static int waitFor(int lid) {
        return LwpCalls.waitFor(lid);
    }

    /**
     * Timed {@code _lwp_wait}: as {@link #waitFor(int)}, but when {@code timeout} passes first
     * it answers 0 ("not yet") rather than an error. A zero or negative timeout looks once.
     *
     * @param lid     the LWP, or 0 for any
     * @param timeout how long to wait at most (beyond 292 years: for good)
     * @return the id of the LWP collected, or 0 if the time passed first
     * @throws LwpException as {@link #waitFor(int)}
     * @throws NullPointerException if timeout is null
     */
    public static int waitFor(int lid, Duration timeout) {
        return LwpCalls.waitFor(lid, Timeouts.nanos(timeout));
    }

    /**
     * {@code nanosleep}: sleep for {@code duration}. The sleep is a safe point: a signal (its
     * handler runs), a stop, a suspension or the process's exit is acted on, and a signal,
     * {@link #wakeup}, a safe-point request or {@link Thread#interrupt()} (whose status this
     * consumes) ends the sleep early. A pending {@link #unpark} is neither consumed nor does it
     * end the sleep.
     *
     * @param duration how long (zero or negative: return at once, after the safe point)
     * @return the time not slept: {@link Duration#ZERO} when the whole duration passed
     * @throws NullPointerException if duration is null
     */
    public static Duration sleep(Duration duration) {
        return Duration.ofNanos(Timeouts.nanosleep(Timeouts.nanos(duration)));
    }

    /**
     * {@code _lwp_detach}: the LWP will be reaped by the system; a zombie is freed at once.
     *
     * @param lid an LWP of the caller's process
     * @throws LwpException ESRCH; EINVAL if already detached
     */
    public static void detach(int lid) {
        LwpCalls.detach(lid);
    }

    /**
     * {@code _lwp_ctl}: the caller's control block.
     *
     * @return a view of the calling LWP, readable from any thread without locks
     */
    public static LwpCtl ctl() {
        return new Ctl(LwpCalls.ctl(0));
    }

    /**
     * The control block of an LWP of the caller's process.
     *
     * @param lid an LWP of the caller's process, or 0 for the caller
     * @return a view of that LWP, readable from any thread without locks
     * @throws LwpException ESRCH if there is no such LWP in the caller's process
     */
    public static LwpCtl ctl(int lid) {
        return new Ctl(LwpCalls.ctl(lid));
    }

    /**
     * {@code _lwp_park}: optionally unpark {@code unparkLid} first (a hand-off), then sleep on
     * (process, {@code hint}) until unparked, woken, interrupted or the deadline passes.
     *
     * @param deadline   absolute, in {@link System#nanoTime()} terms, or {@link #FOREVER};
     *                   {@code Long.MIN_VALUE} and {@code Long.MIN_VALUE + 1} have passed (see
     *                   {@link #FOREVER})
     * @param unparkLid  0 for none
     * @param hint       the wait channel (may be null); shown in thread dumps as the blocker
     * @param unparkHint the hint {@code unparkLid} is expected to park on (advisory)
     * @return UNPARKED; ALREADY if an unpark or wakeup was pending (consumed, no sleep);
     *         TIMED_OUT (at once if the deadline already passed); INTERRUPTED by a wakeup, a
     *         signal, a safe-point request or {@link Thread#interrupt()} (whose interrupt status
     *         this consumes, as a JDK method that throws InterruptedException would)
     * @throws LwpException ESRCH if {@code unparkLid} does not exist (and then no park)
     */
    public static ParkResult park(long deadline, int unparkLid, Object hint, Object unparkHint) {
        return SleepCalls.park(deadline != FOREVER, deadline, unparkLid, hint, unparkHint);
    }

    /**
     * Park on {@code hint} with no deadline: {@link #park(long, int, Object, Object)} with
     * {@link #FOREVER} and no hand-off. Park in a loop that re-checks your own condition: every
     * outcome, ALREADY included, means "look again".
     *
     * @param hint the wait channel (may be null); shown in thread dumps as the blocker
     * @return UNPARKED, ALREADY or INTERRUPTED, as {@link #park(long, int, Object, Object)}
     */
    public static ParkResult park(Object hint) {
        return SleepCalls.park(false, 0, 0, hint, null);
    }

    /**
     * Park on {@code hint} until the absolute {@link System#nanoTime()} deadline, with no
     * hand-off (the rules of {@link #FOREVER} apply: {@code Long.MIN_VALUE} and
     * {@code Long.MIN_VALUE + 1} have passed).
     *
     * @param deadline absolute, in {@link System#nanoTime()} terms, or {@link #FOREVER}
     * @param hint     the wait channel (may be null); shown in thread dumps as the blocker
     * @return UNPARKED, ALREADY, TIMED_OUT or INTERRUPTED, as
     *         {@link #park(long, int, Object, Object)}
     */
    public static ParkResult parkUntil(long deadline, Object hint) {
        return SleepCalls.park(deadline != FOREVER, deadline, 0, hint, null);
    }

    /**
     * Optionally unpark {@code unparkLid} first (a hand-off), then wait until {@code ready}
     * answers true: spin on it while that pays, then sleep on (process, {@code hint}) until
     * unparked and ask again. The waker's side is park's: make the condition true, then
     * {@link #unpark} this LWP (or name it as its own hand-off target).
     *
     * <p>Against {@code while (!ready) park(...)}: the spin reads the caller's data instead of
     * the LWP's park word, and writes nothing, so a hand-off between two LWPs on two cores moves
     * one cache line instead of two. An unpark that arrives while the caller spins or runs stays
     * pending, as with park: the LWP's next sleep takes it (an await asks {@code ready} again
     * and goes on waiting; a park answers ALREADY), so where the spin pays such permits cost
     * nothing. The spin follows park's adaptive policy: only while the LWPs
     * that are not blocked do not outnumber the processors, for as long as spins have paid
     * recently.
     *
     * <p>{@code ready} is called on the calling LWP, with no lock held: first, before anything
     * else (a condition that holds costs one call), then while spinning, and after every
     * wake-up. It should be cheap and should not block. If it throws, the exception propagates
     * and the LWP is not asleep; an unpark this call had taken is left pending again.
     *
     * @param ready     the condition waited for
     * @param deadline  absolute, in {@link System#nanoTime()} terms, or {@link #FOREVER}
     *                  ({@code Long.MIN_VALUE} and {@code Long.MIN_VALUE + 1} have passed)
     * @param unparkLid 0 for none
     * @param hint      the wait channel (may be null); shown in thread dumps as the blocker
     * @return UNPARKED once {@code ready} answered true (at once, while spinning, or after a
     *         wake-up); TIMED_OUT if the deadline passed first (ready was asked after it);
     *         INTERRUPTED by a wakeup (also one that came while the caller spun), a signal, a
     *         safe-point request or {@link Thread#interrupt()} (whose interrupt status this
     *         consumes); never ALREADY
     * @throws NullPointerException if {@code ready} is null (and then no hand-off)
     * @throws LwpException ESRCH if {@code unparkLid} does not exist (and then no wait)
     */
    public static ParkResult await(BooleanSupplier ready, long deadline, int unparkLid, Object hint) {
        return SleepCalls.await(ready, deadline != FOREVER, deadline, unparkLid, hint);
    }

    /**
     * Wait until {@code ready} answers true, with no deadline and no hand-off: as
     * {@link #await(BooleanSupplier, long, int, Object)}.
     *
     * @param ready the condition waited for
     * @param hint  the wait channel (may be null)
     * @return UNPARKED or INTERRUPTED
     * @throws NullPointerException if {@code ready} is null
     */
    public static ParkResult await(BooleanSupplier ready, Object hint) {
        return SleepCalls.await(ready, false, 0, 0, hint);
    }

    /**
     * {@code _lwp_unpark}: wake the LWP if it sleeps in park (whatever hint it parked on),
     * else leave one pending unpark so its next park returns ALREADY; an LWP sleeping in the
     * kernel ({@code waitFor}, a suspension) is not woken, it keeps the unpark for its next
     * park. Pending unparks do not accumulate. O(1) whatever the number of sleepers.
     *
     * @param lid  an LWP of the caller's process
     * @param hint the hint the target is expected to park on (advisory: it is woken whatever
     *             hint it parked on)
     * @throws LwpException ESRCH if there is no such live LWP in the caller's process (an LWP
     *                      that has exited included)
     */
    public static void unpark(int lid, Object hint) {
        SleepCalls.unpark(lid, hint);
    }

    /**
     * {@code _lwp_unpark_all}: unpark each of {@code lids}; ids that do not exist are skipped.
     * With {@code lids == null} it is the query form and answers {@link #UNPARK_MAX}.
     *
     * @param lids LWPs of the caller's process, or null for the query
     * @param hint the hint they are expected to park on (advisory)
     * @return how many of the ids named an LWP (or UNPARK_MAX for the query)
     * @throws LwpException EINVAL if there are no ids or more than UNPARK_MAX
     */
    public static int unparkAll(int[] lids, Object hint) {
        return SleepCalls.unparkAll(lids, lids == null ? 0 : lids.length, hint);
    }

    /**
     * As {@link #unparkAll(int[], Object)} on {@code lids[0..count)}.
     *
     * @param lids  LWPs of the caller's process, or null for the query
     * @param count how many of {@code lids} to unpark
     * @param hint  the hint they are expected to park on (advisory)
     * @return how many of the ids named an LWP (or UNPARK_MAX for the query)
     * @throws LwpException EINVAL if {@code count} is 0, more than UNPARK_MAX or more than
     *                      {@code lids.length}
     */
    public static int unparkAll(int[] lids, int count, Object hint) {
        return SleepCalls.unparkAll(lids, count, hint);
    }

    /**
     * {@code _lwp_wakeup}: mark the target cancelled and unparked and, if it sleeps
     * interruptibly, wake it: its park (or kernel wait) returns INTERRUPTED (EINTR) and the
     * marks are spent. A suspended or stopped LWP is not sleeping in this sense (NetBSD
     * LSSLEEP): it answers ENODEV.
     *
     * @param lid an LWP of the caller's process
     * @throws LwpException ESRCH; ENODEV if it is not sleeping (the marks stay pending, so its
     *                      next park returns ALREADY); EBUSY if it sleeps uninterruptibly
     *                      (the marks stay pending there too, as in NetBSD)
     */
    public static void wakeup(int lid) {
        SleepCalls.wakeup(lid);
    }

    static State stateOf(KLwp l) {
        switch (l.stat()) {
            case KLwp.LSSUSPENDED:
                return State.SUSPENDED;
            case KLwp.LSSTOP:
                return State.STOPPED;
            case KLwp.LSZOMB:
                return State.ZOMBIE;
            case KLwp.LSDEAD:
                return State.DEAD;
            default:
                return l.isSleeping() ? State.SLEEPING : State.RUNNING;
        }
    }

    private static final class Ctl implements LwpCtl {
        private final KLwp l;

        Ctl(KLwp l) {
            this.l = Objects.requireNonNull(l);
        }

        @Override
        public int lid() {
            return l.lid;
        }

        @Override
        public State state() {
            return stateOf(l);
        }

        @Override
        public int parkCount() {
            return l.parkCount();
        }

        @Override
        public Object waitChannel() {
            return l.waitChannel();
        }

        @Override
        public String toString() {
            return "LwpCtl[lid=" + lid() + ", state=" + state() + ", parks=" + parkCount()
                    + ", wchan=" + waitChannel() + "]";
        }
    }
}
