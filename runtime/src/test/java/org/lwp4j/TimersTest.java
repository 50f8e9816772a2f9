package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.ItimerVal.ITIMER_PROF;
import static org.lwp4j.ItimerVal.ITIMER_REAL;
import static org.lwp4j.ItimerVal.ITIMER_VIRTUAL;
import static org.lwp4j.Signals.*;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;

/** alarm, setitimer(ITIMER_REAL) and getitimer: SIGALRM from one timer thread per supervisor. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class TimersTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    @Started
    private Supervisor sup;

    private static List<SigInfo> catchAlrm() {
        return SigTestSupport.catchSignal(SIGALRM);
    }

    @Test
    void anExpiredTimerSendsSigalrmWithSiTimer(Supervisor.Attachment a) {
        List<SigInfo> got = catchAlrm();
        assertEquals(ItimerVal.DISARMED, setitimer(ITIMER_REAL, new ItimerVal(20 * MS, 0)));
        SigChldTest.awaitAtSafePoints(() -> !got.isEmpty(), () -> "SIGALRM: " + got);
        assertEquals(new SigInfo(SIGALRM, SI_TIMER, 0, 0), got.get(0));
        assertEquals(ItimerVal.DISARMED, getitimer(ITIMER_REAL), "a one-shot is disarmed after it fired");
    }

    @Test
    void aPeriodicTimerFiresAgainUntilDisarmed(Supervisor.Attachment a) {
        List<SigInfo> got = catchAlrm();
        setitimer(ITIMER_REAL, new ItimerVal(10 * MS, 10 * MS));
        SigChldTest.awaitAtSafePoints(() -> got.size() >= 3, () -> "three SIGALRMs: " + got);
        ItimerVal old = setitimer(ITIMER_REAL, ItimerVal.DISARMED);
        assertEquals(10 * MS, old.intervalNanos());
        assertTrue(old.valueNanos() > 0 && old.valueNanos() <= 10 * MS, old.toString());
        assertEquals(ItimerVal.DISARMED, getitimer(ITIMER_REAL));
    }

    @Test
    void alarmAnswersTheSecondsLeftRoundedUpAndZeroCancels(Supervisor.Attachment a) {
        assertEquals(0, alarm(100));
        ItimerVal v = getitimer(ITIMER_REAL);
        assertTrue(v.valueNanos() > 0 && v.valueNanos() <= TimeUnit.SECONDS.toNanos(100), v.toString());
        assertEquals(0, v.intervalNanos());
        assertEquals(100, alarm(5), "99.99... s left: rounded up");
        assertEquals(5, alarm(0));
        assertEquals(ItimerVal.DISARMED, getitimer(ITIMER_REAL));
        assertEquals(0, alarm(0));
    }

    @Test
    void sigalrmByDefaultTerminatesTheProcess(Supervisor.Attachment a) {
        int c = Proc.fork(() -> {
            setitimer(ITIMER_REAL, new ItimerVal(10 * MS, 0));
            parkForever();
        });
        WaitResult r = Proc.waitpid(c, 0);
        assertTrue(r.signaled(), r.toString());
        assertEquals(SIGALRM, r.termSig());
    }

    @Test
    void aForkedChildDoesNotInheritTheTimer(Supervisor.Attachment a) {
        alarm(100);
        AtomicReference<ItimerVal> child = new AtomicReference<>();
        int c = Proc.fork(() -> child.set(getitimer(ITIMER_REAL)));
        reapExited(c, 0);
        assertEquals(ItimerVal.DISARMED, child.get());
        assertTrue(getitimer(ITIMER_REAL).valueNanos() > 0, "the parent's is still armed");
    }

    @Test
    void sigsuspendIsWokenByTheAlarm(Supervisor.Attachment a) {
        List<SigInfo> got = catchAlrm();
        sigprocmask(SIG_BLOCK, sigmask(SIGALRM));
        setitimer(ITIMER_REAL, new ItimerVal(10 * MS, 0));
        expectErrno(Errno.EINTR, () -> sigsuspend(0));
        assertEquals(1, got.size());
    }

    @Test
    void badArgumentsAnswerEinvalAndChangeNothing(Supervisor.Attachment a) {
        alarm(100);
        for (int which : new int[] {ITIMER_VIRTUAL, ITIMER_PROF, -1, 3}) {
            expectErrno(Errno.EINVAL, () -> setitimer(which, new ItimerVal(MS, 0)), "setitimer " + which);
            expectErrno(Errno.EINVAL, () -> getitimer(which), "getitimer " + which);
        }
        expectErrno(Errno.EINVAL, () -> setitimer(ITIMER_REAL, new ItimerVal(-1, 0)), "negative value");
        expectErrno(Errno.EINVAL, () -> setitimer(ITIMER_REAL, new ItimerVal(MS, -1)), "negative interval");
        expectErrno(Errno.EINVAL, () -> alarm(-1), "negative alarm");
        assertThrows(NullPointerException.class, () -> setitimer(ITIMER_REAL, null));
        assertTrue(getitimer(ITIMER_REAL).valueNanos() > TimeUnit.SECONDS.toNanos(90), "still the old alarm");
    }

    @Test
    void closeStopsTheTimerThreadWithATimerStillArmed() {
        Supervisor s = Supervisor.start();
        try (var a = s.attachNewProcess()) {
            alarm(1000);
            assertTrue(s.liveThreads().stream().anyMatch(t -> t.getName().endsWith("itimer")), s.liveThreads().toString());
        }
        s.close();
        assertTrue(s.liveThreads().isEmpty(), s.liveThreads().toString());
    }
}
