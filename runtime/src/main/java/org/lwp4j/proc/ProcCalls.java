package org.lwp4j.proc;

import org.lwp4j.ExitHook;
import org.lwp4j.ForkHook;

import java.util.List;
import java.util.Objects;
import static org.lwp4j.ProcFlags.EXTEXIT_LWP;
import static org.lwp4j.ProcFlags.EXTEXIT_PROC;

import org.lwp4j.Errno;
import org.lwp4j.LwpException;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.SafePoints;
import org.lwp4j.Wait;

/**
 * The smaller process calls: exit and extexit, getpid/getppid, the resource table,
 * process-local storage and the hook lists.
 */
public final class ProcCalls {
    /*
     * Implementation overview.
     *
     * exit is DragonFly sys_exit: Kernel.exit1 (the master election, killing the other LWPs, then
     * the process layer's Exit.exited), then the calling LWP unwinds; a racing second exit only
     * unwinds. extexit(EXTEXIT_LWP) ends just the caller while other LWPs live (DragonFly checks
     * p_nthreads under p_token and calls lwp_exit); the last LWP exits the process with the given
     * status. Two LWPs calling extexit(LWP) at the same moment as the last two can both see the
     * other alive and both end as LWPs; each leaves its status on its record first, so the one
     * that ends last exits the process with its own status through the kernel's last-LWP path,
     * as DragonFly's second caller (which sees p_nthreads == 1) would.
     *
     * The resource table and storage belong to the caller's process record, set before its
     * first LWP started, so they are read without the tree lock (the thread start publishes
     * them); each is thread-safe itself. The hook lists are copy-on-write lists of the
     * supervisor; adding removes an earlier copy of the same hook first (DragonFly at_fork
     * warns and replaces), under the list's monitor so that two adds cannot both append.
     */

    private ProcCalls() {
    }

    /** The calling LWP's process state; its table and storage were set before its first LWP ran. */
    private static PState self(KLwp me) {
        return me.proc.ps;
    }

    // ------------------------------------------------------------------ exit

    /** sys_exit: exit1(W_EXITCODE(status, 0)); never returns. */
    public static RuntimeException exit(int status) {
        String call = "exit(" + status + ")";
        KLwp me = SafePoints.curlwp(call);
        me.kernel.exits.exit1(me, Wait.exitedStatus(status)); // EPERM for init; false if another LWP exits it
        throw me.kernel.safePoints.exitUnwind(me, call);
    }

    /** sys_extexit with EXTEXIT_SIMPLE. */
    public static RuntimeException extexit(int how, int status) {
        String call = "extexit(0x" + Integer.toHexString(how) + ", " + status + ")";
        KLwp me = SafePoints.curlwp(call);
        if (how != EXTEXIT_PROC && how != EXTEXIT_LWP) {
            throw new LwpException(Errno.EINVAL, call);
        }
        if (how == EXTEXIT_LWP) {
            KProc p = me.proc;
            boolean others;
            p.lock.lock();
            try {
                others = p.nlive() > 1;
                if (others) {
                    me.setLastExitStatus(Wait.exitedStatus(status));
                }
            } finally {
                p.lock.unlock();
            }
            if (others) {
                throw me.kernel.safePoints.exitUnwind(me, call);
            }
        }
        me.kernel.exits.exit1(me, Wait.exitedStatus(status));
        throw me.kernel.safePoints.exitUnwind(me, call);
    }

    public static int getpid() {
        return SafePoints.curlwp("getpid").proc.pid;
    }

    public static int getppid() {
        KLwp me = SafePoints.curlwp("getppid");
        me.kernel.tree.lock();
        try {
            KProc pp = me.proc.parent;
            return pp == null ? 0 : pp.pid;
        } finally {
            me.kernel.tree.unlock();
        }
    }

    // ------------------------------------------------------------------ resource table

    public static int open(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        String call = "open";
        KLwp me = SafePoints.curlwp(call);
        return self(me).resources.open(resource, call);
    }

    public static AutoCloseable get(int handle) {
        String call = "get(" + handle + ")";
        KLwp me = SafePoints.curlwp(call);
        return self(me).resources.get(handle, call);
    }

    public static void close(int handle) throws Exception {
        String call = "close(" + handle + ")";
        KLwp me = SafePoints.curlwp(call);
        Resources.Entry e = self(me).resources.remove(handle, call);
        if (e != null) {
            e.resource.close();
        }
    }

    public static int[] handles() {
        KLwp me = SafePoints.curlwp("handles");
        return self(me).resources.handles();
    }

    // ------------------------------------------------------------------ storage

    public static Object getLocal(Object key) {
        Objects.requireNonNull(key, "key");
        KLwp me = SafePoints.curlwp("getLocal");
        return self(me).storage.map.get(key);
    }

    public static Object setLocal(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        KLwp me = SafePoints.curlwp("setLocal");
        Storage s = self(me).storage;
        return value == null ? s.map.remove(key) : s.map.put(key, value);
    }

    // ------------------------------------------------------------------ hooks

    public static void atFork(ForkHook hook) {
        addHook(ProcLayer.of(SafePoints.curlwp("at_fork")).forkHooks, hook);
    }

    public static boolean removeAtFork(ForkHook hook) {
        Objects.requireNonNull(hook, "hook");
        return ProcLayer.of(SafePoints.curlwp("rm_at_fork")).forkHooks.remove(hook);
    }

    public static void atExit(ExitHook hook) {
        addHook(ProcLayer.of(SafePoints.curlwp("at_exit")).exitHooks, hook);
    }

    public static boolean removeAtExit(ExitHook hook) {
        Objects.requireNonNull(hook, "hook");
        return ProcLayer.of(SafePoints.curlwp("rm_at_exit")).exitHooks.remove(hook);
    }

    /** Append a hook, after removing an earlier copy of it (DragonFly at_fork / at_exit replace). */
    private static <H> void addHook(List<H> hooks, H hook) {
        Objects.requireNonNull(hook, "hook");
        synchronized (hooks) {
            hooks.remove(hook);
            hooks.add(hook);
        }
    }
}
