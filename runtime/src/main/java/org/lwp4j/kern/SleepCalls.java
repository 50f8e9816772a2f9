package org.lwp4j.kern;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.ParkResult;
import org.lwp4j.sleep.Waiter;

/**
 * The sleep-table calls of NetBSD's {@code sys_lwp.c} ({@code _lwp_park}, {@code _lwp_unpark},
 * {@code _lwp_unpark_all}, {@code _lwp_wakeup}) and the keyed parking lot, acting on the caller's
 * process only.
 */
public final class SleepCalls {
    /*
     * Every call starts with curlwp(), a safe point, and an LWP that a sleep leaves with
     * INTERRUPTED because a safe-point request came acts on it before the call returns (the way
     * out is a safe point too). Targets are found with KProc.find, lock-free: a targeted unpark
     * works on the target's own park word (Waiter), O(1) whatever the number of sleepers.
     * A hand-off park, an await and an unpark remember their last target (KLwp.handoffTarget)
     * and skip the lookup while that record, with the lid asked for, is live: lids are unique
     * among the live LWPs of a process and a record never comes back to life, so the live
     * record with that lid is the one find would answer. The lid compared is the one the
     * caller kept (KLwp.handoffLid): the target's own sits on a line its every park writes.
     */
    /** _lwp_unpark_all's limit (NetBSD's LWP_UNPARK_MAX). */
    public static final int UNPARK_MAX = 1024;

    private SleepCalls() {
    }

    public static ParkResult park(boolean timed, long deadline, int unparkLid, Object hint, Object unparkHint) {
        KLwp me = SafePoints.curlwp("_lwp_park");
        KProc p = me.proc;
        if (unparkLid != 0) {
            handoffTarget(me, p, unparkLid, "_lwp_park").unpark();
        }
        ParkResult r = Events.PARK.isEnabled()
                ? parkRecorded(me, p, hint, timed, deadline)
                : me.kernel.sleep.park(me, p, p.pid, hint, timed, deadline);
        if (r == ParkResult.INTERRUPTED && me.ast != 0) {
            me.kernel.safePoints.userret(me);
        }
        return r;
    }

    /** The LWP a hand-off unparks (see lastTarget); ESRCH if there is none. */
    private static KLwp handoffTarget(KLwp me, KProc p, int lid, String call) {
        KLwp t = lastTarget(me, p, lid);
        if (t == null) {
            throw new LwpException(Errno.ESRCH, call + "(unpark=" + lid + ")");
        }
        return t;
    }

    /**
     * The live LWP {@code lid} of {@code p}, for an unpark by {@code me}: its last target while
     * that is live with that lid, else found (and remembered); null if there is none.
     */
    private static KLwp lastTarget(KLwp me, KProc p, int lid) {
        KLwp t = me.handoffTarget;
        if (t == null || me.handoffLid != lid || !t.isLive()) {
            t = p.find(lid);
            if (t == null) {
                return null;
            }
            me.handoffTarget = t;
            me.handoffLid = lid;
        }
        return t;
    }

    /**
     * Lwp.await: optionally unpark {@code unparkLid}, then sleep until {@code ready} (see
     * SleepTable.await). An awaiting partner spins on its condition, not asleep, and an unpark
     * that finds a permit already pending leaves the partner's word unwritten.
     */
    public static ParkResult await(BooleanSupplier ready, boolean timed, long deadline, int unparkLid, Object hint) {
        Objects.requireNonNull(ready, "ready");
        KLwp me = SafePoints.curlwp("lwp_await");
        KProc p = me.proc;
        if (unparkLid != 0) {
            handoffTarget(me, p, unparkLid, "lwp_await").unpark();
        }
        ParkResult r;
        if (Events.PARK.isEnabled()) {
            Events.Park ev = new Events.Park();
            ev.begin();
            r = me.kernel.sleep.await(me, p, p.pid, hint, ready, timed, deadline);
            recordPark(ev, me, hint, r);
        } else {
            r = me.kernel.sleep.await(me, p, p.pid, hint, ready, timed, deadline);
        }
        if (r == ParkResult.INTERRUPTED && me.ast != 0) {
            me.kernel.safePoints.userret(me);
        }
        return r;
    }

    /** park with a JFR event around it; only taken while a recording enables the event. */
    private static ParkResult parkRecorded(KLwp me, KProc p, Object hint, boolean timed, long deadline) {
        Events.Park ev = new Events.Park();
        ev.begin();
        ParkResult r = me.kernel.sleep.park(me, p, p.pid, hint, timed, deadline);
        recordPark(ev, me, hint, r);
        return r;
    }

    /** End and commit (if over the threshold) the park event begun for a park or an await. */
    private static void recordPark(Events.Park ev, KLwp me, Object hint, ParkResult r) {
        ev.end();
        if (ev.shouldCommit()) {
            ev.of(me);
            ev.hint = String.valueOf(hint);
            ev.outcome = r.name();
            ev.commit();
        }
    }

    public static void unpark(int lid, Object hint) {
        KLwp me = SafePoints.curlwp("_lwp_unpark");
        KLwp t = lastTarget(me, me.proc, lid);
        if (t == null) {
            throw new LwpException(Errno.ESRCH, "_lwp_unpark(" + lid + ")");
        }
        t.unpark();
    }

    /** Unpark each of lids[0..n); ids that do not exist are skipped. Answers how many existed. */
    public static int unparkAll(int[] lids, int n, Object hint) {
        KLwp me = SafePoints.curlwp("_lwp_unpark_all");
        if (lids == null) {
            return UNPARK_MAX;
        }
        if (n <= 0 || n > UNPARK_MAX || n > lids.length) {
            throw new LwpException(Errno.EINVAL, "_lwp_unpark_all(ntargets=" + n + ")");
        }
        KProc p = me.proc;
        Events.Unpark ev = new Events.Unpark();
        ev.begin();
        int found = 0;
        for (int i = 0; i < n; i++) {
            KLwp t = p.find(lids[i]);
            if (t != null) {
                t.unpark();
                found++;
            }
        }
        ev.end();
        if (ev.shouldCommit()) {
            ev.of(p);
            ev.targets = n;
            ev.commit();
        }
        return found;
    }

    public static void wakeup(int lid) {
        String call = "_lwp_wakeup(" + lid + ")";
        LwpCalls.onLwp(call, lid, false, (me, p, t) -> {
            int r;
            if (t.stat != KLwp.LSRUN) {
                r = Waiter.WAKEUP_NOT_SLEEPING;
                t.wakeupMarksOnly();
            } else {
                r = t.wakeup();
            }
            if (r == Waiter.WAKEUP_NOT_SLEEPING) {
                throw new LwpException(Errno.ENODEV, call);
            }
            if (r == Waiter.WAKEUP_UNINTERRUPTIBLE) {
                throw new LwpException(Errno.EBUSY, call);
            }
            return r;
        });
    }

    // ------------------------------------------------------------------ parking lot

    public static ParkResult lotWait(Object hint, BooleanSupplier validate, boolean timed, long deadline,
                                     boolean interruptible) {
        Objects.requireNonNull(validate, "validate");
        KLwp me = SafePoints.curlwp("parkinglot_wait");
        KProc p = me.proc;
        ParkResult r = me.kernel.sleep.lotWait(me, p, p.pid, hint, validate, timed, deadline, interruptible);
        if (r == ParkResult.INTERRUPTED && me.ast != 0) {
            me.kernel.safePoints.userret(me);
        }
        return r;
    }

    public static int lotWake(Object hint, int n) {
        KLwp me = SafePoints.curlwp("parkinglot_wake");
        if (n < 0) {
            throw new LwpException(Errno.EINVAL, "parkinglot_wake(n=" + n + ")");
        }
        return me.kernel.sleep.wake(me.proc, me.proc.pid, hint, n);
    }

    public static long lotRequeue(Object from, Object to, int nWake, int nMove) {
        KLwp me = SafePoints.curlwp("parkinglot_requeue");
        if (nWake < 0 || nMove < 0) {
            throw new LwpException(Errno.EINVAL, "parkinglot_requeue(nWake=" + nWake + ", nMove=" + nMove + ")");
        }
        return me.kernel.sleep.requeue(me.proc, me.proc.pid, from, to, nWake, nMove);
    }
}
