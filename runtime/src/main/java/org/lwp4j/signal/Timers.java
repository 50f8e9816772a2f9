package org.lwp4j.signal;

import static org.lwp4j.Sig.*;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.lwp4j.Errno;
import org.lwp4j.ItimerVal;
import org.lwp4j.LwpException;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;

/**
 * {@code setitimer(ITIMER_REAL)}, {@code getitimer} and {@code alarm}: one real-time interval
 * timer per process, delivering SIGALRM (FreeBSD {@code kern_setitimer} / {@code realitexpire}).
 */
public final class Timers {
    /*
     * Implementation overview.
     *
     * One scheduler thread per supervisor (a ScheduledThreadPoolExecutor of one daemon thread,
     * started on the first timer armed, so a supervisor that never arms one starts none), shut
     * down and joined by Supervisor.close before the kernel kills the processes; cancelled
     * expiries leave its queue at once (removeOnCancel), so memory is bounded by armed timers.
     *
     * Each process has at most one armed ITIMER_REAL, ProcSig.itimer: its absolute deadline
     * (System.nanoTime, the executor's clock), interval and a generation number, guarded by
     * p.lock. Arming replaces the setting (cancelling the scheduled expiry) and bumps the
     * generation; an expiry whose generation is no longer current does nothing, so a re-arm
     * racing an expiry never lets the old one fire. An expiry (on the timer thread, no lock
     * held) re-checks under p.lock, schedules the next expiry of a periodic timer at deadline +
     * interval (skipping periods already past, as realitexpire does), or disarms a one-shot,
     * and then posts SIGALRM (code SI_TIMER) through psignal, which takes the tree lock then
     * p.lock: never with p.lock held. A timer of an exiting process is dropped at its next
     * expiry; a forked child starts with none (FreeBSD zeroes p_realtimer at fork). Timers
     * fire in real time, not on the supervisor's injectable clock.
     */
    /** setitimer's which: real time (SIGALRM). The other BSD timers are not offered (EINVAL). */
    private static final int ITIMER_REAL = ItimerVal.ITIMER_REAL;

    /** The per-process timer state (ProcSig.itimer); guarded by p.lock. */
    static final class Itimer {
        final long gen;
        long deadline;
        final long interval;
        ScheduledFuture<?> future;

        Itimer(long gen, long deadline, long interval) {
            this.gen = gen;
            this.deadline = deadline;
            this.interval = interval;
        }
    }

    private final Kernel kernel;
    private final ScheduledThreadPoolExecutor exec;
    private volatile Thread thread;
    private volatile boolean closed;

    /**
     * The timers of a new kernel (made by its constructor); no thread until one is armed.
     *
     * @param kernel the kernel
     */
    public Timers(Kernel kernel) {
        this.kernel = kernel;
        exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lwp4j-" + kernel.id + " itimer");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        exec.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The scheduler thread, if one was started and is alive (for Supervisor.liveThreads). */
    Thread liveThread() {
        Thread t = thread;
        return t != null && t.isAlive() ? t : null;
    }

    /** Supervisor.close: no expiry runs after this returns (bounded by {@code timeoutNanos}). */
    void close(long timeoutNanos) {
        closed = true;
        exec.shutdownNow();
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            exec.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS);
            Thread t = thread;
            long left = deadline - System.nanoTime();
            if (t != null && left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))); // its run() has returned: it ends now
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ calls

    private static Timers of(Kernel k) {
        return k.timers;
    }

    public static ItimerVal setitimer(int which, ItimerVal v) {
        String call = "setitimer(" + which + ", " + v + ")";
        KLwp me = SafePoints.curlwp(call);
        if (v == null) {
            throw new NullPointerException("v");
        }
        checkWhich(which, call);
        if (v.valueNanos() < 0 || v.intervalNanos() < 0) {
            throw new LwpException(Errno.EINVAL, call + ": negative time");
        }
        return of(me.kernel).set(me.proc, v);
    }

    public static ItimerVal getitimer(int which) {
        String call = "getitimer(" + which + ")";
        KLwp me = SafePoints.curlwp(call);
        checkWhich(which, call);
        KProc p = me.proc;
        return p.underLock(() -> current(p.sig.itimer, System.nanoTime()));
    }

    /** alarm(3): setitimer(ITIMER_REAL, {seconds, 0}); answers the old value in seconds, rounded up. */
    public static int alarm(int seconds) {
        String call = "alarm(" + seconds + ")";
        KLwp me = SafePoints.curlwp(call);
        if (seconds < 0) {
            throw new LwpException(Errno.EINVAL, call + ": negative");
        }
        ItimerVal old = of(me.kernel).set(me.proc, new ItimerVal(TimeUnit.SECONDS.toNanos(seconds), 0));
        long s = TimeUnit.NANOSECONDS.toSeconds(old.valueNanos());
        if (TimeUnit.SECONDS.toNanos(s) < old.valueNanos()) {
            s++; // FreeBSD's alarm rounds a fraction up, so an armed timer never answers 0
        }
        return (int) Math.min(s, Integer.MAX_VALUE);
    }

    private static void checkWhich(int which, String call) {
        if (which != ITIMER_REAL) {
            throw new LwpException(Errno.EINVAL, call + ": only ITIMER_REAL is offered");
        }
    }

    private static ItimerVal current(Itimer t, long now) {
        if (t == null) {
            return ItimerVal.DISARMED;
        }
        return new ItimerVal(Math.max(1, t.deadline - now), t.interval);
    }

    // ------------------------------------------------------------------ arming and expiry

    private ItimerVal set(KProc p, ItimerVal v) {
        ProcSig ps = p.sig;
        p.lock.lock();
        try {
            long now = System.nanoTime();
            Itimer old = ps.itimer;
            ItimerVal was = current(old, now);
            if (old != null && old.future != null) {
                old.future.cancel(false);
            }
            ps.itimer = null;
            long gen = ++ps.itimerGen;
            if (v.valueNanos() > 0 && !closed && !kernel.isClosed()) {
                Itimer t = new Itimer(gen, now + Math.min(v.valueNanos(), Long.MAX_VALUE / 4),
                        Math.min(v.intervalNanos(), Long.MAX_VALUE / 4));
                ps.itimer = t;
                schedule(p, ps, t, now);
            }
            return was;
        } finally {
            p.lock.unlock();
        }
    }

    /** Schedule t's next expiry (p.lock held). */
    private void schedule(KProc p, ProcSig ps, Itimer t, long now) {
        try {
            t.future = exec.schedule(() -> expire(p, ps, t), t.deadline - now, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            ps.itimer = null; // the supervisor is closing: its processes are about to die
        }
    }

    /** realitexpire, on the timer thread. */
    private void expire(KProc p, ProcSig ps, Itimer t) {
        p.lock.lock();
        try {
            if (ps.itimer != t || ps.itimerGen != t.gen) {
                return; // re-armed or disarmed meanwhile
            }
            if (p.isExiting()) {
                ps.itimer = null;
                return;
            }
            if (t.interval > 0) {
                long now = System.nanoTime();
                t.deadline += t.interval;
                if (t.deadline - now <= 0) { // periods missed (a slow machine): skip them
                    long behind = now - t.deadline;
                    t.deadline += (behind / t.interval + 1) * t.interval;
                }
                schedule(p, ps, t, now);
            } else {
                ps.itimer = null;
            }
        } finally {
            p.lock.unlock();
        }
        SignalLayer.psignal(p, SIGALRM, SI_TIMER, null);
    }
}
