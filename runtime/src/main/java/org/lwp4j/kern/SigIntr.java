package org.lwp4j.kern;

import java.util.concurrent.locks.ReentrantLock;
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
     * inside the sleeping call (Kernel.userret with the sleep's lock released), so the answer
     * is decided after it: the signal layer sets KLwp.sigIntr bits as it runs handlers
     * (HANDLED, and NORESTART for one without SA_RESTART), and the sleeper reads them.
     *
     *   no AST pending       a wakeup or Thread.interrupt: EINTR, as before
     *   no handler ran       a stop and continue, an ignored signal: restart (BSD restarts
     *                        a sleep that no caught signal interrupted)
     *   every handler had SA_RESTART   restart
     *   one did not          EINTR
     *   a kill or exit       LwpExit out of userret
     *
     * Park and the parking lot never restart: NetBSD's lwp_park turns the ERESTART of sleepq_block
     * into EINTR (sys_lwp.c 1.33, lines 560-567 of the seed), so _lwp_park is never restarted.
     */
    public static final int HANDLED = 1, NORESTART = 2;

    private SigIntr() {
    }

    /**
     * After a kernel sleep of {@code me} under {@code lock} (held once) returned INTERRUPTED:
     * run its safe point with the lock released, then return to restart the sleep, or throw
     * EINTR naming {@code call}. Throws LwpExit if the LWP must end.
     */
    public static void afterInterrupt(KLwp me, ReentrantLock lock, String call) {
        if (me.ast() == 0) {
            throw new LwpException(Errno.EINTR, call);
        }
        me.sigIntr = 0;
        me.kernel.safePointUnlocked(me, lock);
        int s = me.sigIntr;
        me.sigIntr = 0;
        if ((s & NORESTART) != 0) {
            throw new LwpException(Errno.EINTR, call);
        }
    }

    /** Record, on the LWP's own thread, that a handler with {@code flags} is about to run. */
    public static void handlerRuns(KLwp me, int flags, int saRestart) {
        me.sigIntr |= HANDLED | ((flags & saRestart) == 0 ? NORESTART : 0);
    }
}
