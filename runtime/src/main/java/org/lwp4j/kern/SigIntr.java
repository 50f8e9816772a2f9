package org.lwp4j.kern;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;

/**
 * EINTR or restart: what an interrupted kernel sleep does once the safe point that woke it has
 * been run (NetBSD's sleepq_block answering EINTR or ERESTART from the signal's SA_RESTART).
 */
public final class SigIntr {
    /*
     * NetBSD decides at the sleep: sleepq_block with PCATCH sees a pending signal and answers
     * ERESTART if its action has SA_RESTART, EINTR otherwise; the syscall returns that, userret
     * runs the handler, and ERESTART makes the syscall start again. Here the handler runs
     * inside the sleeping call (SafePoints.userret with the sleep's lock released), so the
     * answer is decided after it: the signal layer sets KLwp.sigIntr bits as it runs handlers
     * (HANDLED, and NORESTART for one without SA_RESTART), and the sleeper reads them.
     *
     *   no AST pending       a wakeup or Thread.interrupt: EINTR, as before
     *   no handler ran       a stop and continue, an ignored signal: restart (BSD restarts
     *                        a sleep that no caught signal interrupted)
     *   every handler had SA_RESTART   restart
     *   one did not          EINTR
     *   a kill or exit       LwpExit out of userret
     *
     * The sleeping call releases its own lock around the safe point (no method here releases a
     * lock its caller holds):
     *
     *   SigIntr.beforeSafePoint(me, call);   // EINTR when nothing is pending
     *   unlock; userret; lock                 // the caller's own helper
     *   SigIntr.afterSafePoint(me, call);    // EINTR unless every handler had SA_RESTART
     *
     * Park and the parking lot never restart: NetBSD's lwp_park turns the ERESTART of sleepq_block
     * into EINTR (sys_lwp.c 1.33, lines 560-567 of the seed), so _lwp_park is never restarted.
     */
    /** {@link KLwp#sigIntr} bits: a handler ran; one of them had no SA_RESTART. */
    public static final int HANDLED = 1, NORESTART = 2;

    private SigIntr() {
    }

    /**
     * After a kernel sleep of the calling LWP {@code me} returned INTERRUPTED, before its safe
     * point runs: EINTR naming {@code call} if no safe-point request is pending (a wakeup or
     * Thread.interrupt), else the handler record is cleared for {@link #afterSafePoint}.
     *
     * @param me   the calling LWP
     * @param call the call, for the error message
     */
    public static void beforeSafePoint(KLwp me, String call) {
        if (!me.safePointPending()) {
            throw new LwpException(Errno.EINTR, call);
        }
        me.sigIntr = 0;
    }

    /**
     * After that safe point ran (and returned): EINTR naming {@code call} if a handler without
     * SA_RESTART ran; otherwise the caller restarts its sleep.
     *
     * @param me   the calling LWP
     * @param call the call, for the error message
     */
    public static void afterSafePoint(KLwp me, String call) {
        int s = me.sigIntr;
        me.sigIntr = 0;
        if ((s & NORESTART) != 0) {
            throw new LwpException(Errno.EINTR, call);
        }
    }

    /**
     * Record, on the LWP's own thread, that a handler with {@code flags} is about to run.
     *
     * @param me        the LWP running the handler
     * @param flags     the handler's SA_* flags
     * @param saRestart the SA_RESTART bit
     */
    public static void handlerRuns(KLwp me, int flags, int saRestart) {
        me.sigIntr |= HANDLED | ((flags & saRestart) == 0 ? NORESTART : 0);
    }
}
