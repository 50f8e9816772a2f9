package org.lwp4j.signal;

import org.lwp4j.kern.KProc;
import org.lwp4j.kern.SafePoints;

/**
 * Job control of one process: the stop and continue state machine and the report it leaves for
 * the parent's wait (POSIX job control; NetBSD's proc_stop / proc_unstop and DragonFly's
 * tstop / kern_wait reports, mapped onto safe points).
 */
public final class JobControl {
    /*
     * States. The kernel's p.stopping flag is the mechanism (AST_STOP is in force, new LWPs start
     * stopped); the state is read from it and from whether the stop was reported:
     *
     *   RUNNING    no stop in force
     *   STOPPING   a stop signal was taken; some live LWP has not reached its safe point yet
     *   STOPPED    no live LWP runs any more, and the parent has been told once
     *
     * The report is what the parent's wait may still consume; stops and continues are reported
     * strictly alternately, so at most one is pending:
     *
     *   NONE       nothing to report
     *   STOP       WSTOPPED with the stop signal (and SIGCHLD CLD_STOPPED was sent)
     *   CONT       WCONTINUED (and SIGCHLD CLD_CONTINUED was sent)
     *
     * Transitions, each under the tree lock and p.lock (so a report can never land after the
     * continue that ended its stop), except begin(), which a delivering LWP makes with p.lock:
     *
     *   begin(sig, group)   RUNNING -> STOPPING: SafePoints.stopProc posts AST_STOP
     *   complete()          STOPPING and every live LWP stopped, process active ->
     *                       STOPPED, report STOP: answers TELL_STOPPED
     *   cont()              STOPPING -> RUNNING (the report stays);
     *                       STOPPED -> RUNNING, report CONT: answers TELL_CONTINUED
     *   killed()            report STOP -> NONE (a stop it never continues from is no news)
     *   take(...)           wait consumes the report (unless WNOWAIT)
     */
    static final int RUNNING = 0, STOPPING = 1, STOPPED = 2;
    /** Reports for wait; see the overview. */
    public static final int REPORT_NONE = 0, REPORT_STOP = 1, REPORT_CONT = 2;
    /** What a transition asks the poster to tell the parent once p.lock is released. */
    static final int TELL_NONE = 0, TELL_STOPPED = 1, TELL_CONTINUED = 2;

    private final KProc p;
    /** The signal of the stop in force (or of the last one, for its report); guarded by p.lock. */
    private int sig;
    /** The stop in force came from a group signal: a child forked meanwhile stops too. */
    private boolean group;
    /** The stop in force has been reported (STOPPED rather than STOPPING). */
    private boolean reported;
    /** The report wait may consume; guarded by the tree lock (written with p.lock too). */
    private int report = REPORT_NONE;

    JobControl(KProc p) {
        this.p = p;
    }

    private SafePoints mechanism() {
        return p.kernel.safePoints;
    }

    /** The current state (p.lock held). */
    int state() {
        return !p.stopping ? RUNNING : reported ? STOPPED : STOPPING;
    }

    /**
     * A stop signal is taken: every live LWP stops at its next safe point (p.lock held). A
     * stop already in force is left as it is.
     */
    void begin(int stopSig, boolean fromGroup) {
        switch (state()) {
            case RUNNING:
                sig = stopSig;
                group = fromGroup;
                reported = false;
                mechanism().stopProc(p);
                return;
            case STOPPING:
            case STOPPED:
                return;
            default:
                throw new IllegalStateException("job control state " + state());
        }
    }

    /** begin, then complete if every LWP has stopped already (tree lock and p.lock held). */
    int stop(int stopSig, boolean fromGroup) {
        begin(stopSig, fromGroup);
        return complete();
    }

    /**
     * If the process is stopping and no live LWP runs any more, the stop is complete: record
     * it for wait and answer TELL_STOPPED (tree lock and p.lock held).
     */
    int complete() {
        switch (state()) {
            case STOPPING:
                if (p.pstat() != KProc.SACTIVE || !mechanism().allStopped(p)) {
                    return TELL_NONE;
                }
                reported = true;
                report = REPORT_STOP;
                return TELL_STOPPED;
            case RUNNING:
            case STOPPED:
                return TELL_NONE;
            default:
                throw new IllegalStateException("job control state " + state());
        }
    }

    /** SIGCONT: resume (tree lock and p.lock held); TELL_CONTINUED if the stop was reported. */
    int cont() {
        switch (state()) {
            case RUNNING:
                return TELL_NONE;
            case STOPPING:
                resume();
                return TELL_NONE;
            case STOPPED:
                resume();
                report = REPORT_CONT;
                return TELL_CONTINUED;
            default:
                throw new IllegalStateException("job control state " + state());
        }
    }

    private void resume() {
        reported = false;
        group = false;
        mechanism().continueProc(p);
        if (report == REPORT_STOP) {
            report = REPORT_NONE;
        }
    }

    /** SIGKILL: a pending stop report is dropped (p.lock held). */
    void killed() {
        if (report == REPORT_STOP) {
            report = REPORT_NONE;
        }
    }

    /** Whether a stop is worth telling: is the process stopping or stopped (p.lock held)? */
    boolean stopInForce() {
        return state() != RUNNING;
    }

    /**
     * The group stop a child forked now must share: its signal, or 0 (p.lock held).
     *
     * @return the stop signal or 0
     */
    int groupStopSignal() {
        return state() != RUNNING && group ? sig : 0;
    }

    /**
     * For wait (tree lock held): the stop report if {@code stopped} is asked and one is
     * pending, else the continue report if {@code continued} is asked; consumed unless
     * {@code keep}. Answers REPORT_NONE, REPORT_STOP or REPORT_CONT.
     *
     * @param stopped   WSTOPPED was asked
     * @param continued WCONTINUED was asked
     * @param keep      WNOWAIT: leave the report
     * @return the report taken
     */
    public int take(boolean stopped, boolean continued, boolean keep) {
        int r = report;
        if ((r == REPORT_STOP && stopped) || (r == REPORT_CONT && continued)) {
            if (!keep) {
                report = REPORT_NONE;
            }
            return r;
        }
        return REPORT_NONE;
    }

    /**
     * Whether a stop report waits for the parent's wait (tree lock held, or a racy read).
     *
     * @return true while a stop is reported and not yet consumed
     */
    public boolean stopReportPending() {
        return report == REPORT_STOP;
    }

    /**
     * The signal of the last stop, for a stop report.
     *
     * @return the stop signal
     */
    public int stopSignal() {
        return sig;
    }
}
