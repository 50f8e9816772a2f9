package org.lwp4j.proc;

import java.util.concurrent.CompletableFuture;
import org.lwp4j.Errno;
import org.lwp4j.IdType;
import org.lwp4j.LwpException;
import org.lwp4j.Sig;
import org.lwp4j.Wait;
import org.lwp4j.WaitResult;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.signal.SignalCalls;

/**
 * Process handles: {@code onExit} (a future of a process's exit, WNOWAIT semantics) and the
 * graceful stop {@code terminate} (SIGTERM, a grace period, SIGKILL).
 */
public final class ProcHandles {
    /*
     * onExit. The future completes when the process is a zombie whose LWPs have all left, so its
     * report is the one a WNOWAIT wait gives (complete rusage). The kernel keeps one internal
     * future per process (KProc.lwpsGoneFuture), completed under p.lock by whoever makes the
     * condition true (the last LWP leaving, or the exit setting SZOMB). Only an asynchronous
     * stage hangs on it, so the exiting LWP runs no user code and holds up nothing: the stage
     * builds the report (tree lock, then p.lock, on a thread of the common pool, not an LWP) and
     * completes the caller's future there, where the caller's own stages then run.
     */
    private ProcHandles() {
    }

    public static CompletableFuture<WaitResult> onExit(int pid) {
        String call = "onExit(" + pid + ")";
        KLwp me = SafePoints.curlwp(call);
        if (pid <= 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        Kernel k = me.kernel;
        KProc p;
        k.tree.lock();
        try {
            p = k.findProc(pid);
            if (p == null || p.pstat() == KProc.SDEAD) {
                throw new LwpException(Errno.ESRCH, call);
            }
            if (p == k.init) {
                throw new LwpException(Errno.EINVAL, call + ": init never exits");
            }
        } finally {
            k.tree.unlock();
        }
        KProc z = p;
        return p.lwpsGoneFuture().thenApplyAsync(v -> KernWait.report(z));
    }

    public static WaitResult terminate(int pid, long graceNanos) {
        String call = "terminate(" + pid + ", " + graceNanos + " ns)";
        if (pid <= 0 || graceNanos < 0) {
            throw new LwpException(Errno.EINVAL, call);
        }
        // Look first (ECHILD before any signal is sent); a zombie already is simply reaped.
        WaitResult r = KernWait.wait(IdType.P_PID, pid, Wait.WEXITED | Wait.WNOHANG);
        if (!r.isNone()) {
            return r;
        }
        SignalCalls.kill(pid, Sig.SIGTERM);
        SignalCalls.kill(pid, Sig.SIGCONT); // a stopped child takes its SIGTERM too
        r = KernWait.wait(IdType.P_PID, pid, Wait.WEXITED, graceNanos);
        if (!r.isNone()) {
            return r;
        }
        SignalCalls.kill(pid, Sig.SIGKILL);
        return KernWait.wait(IdType.P_PID, pid, Wait.WEXITED);
    }
}
