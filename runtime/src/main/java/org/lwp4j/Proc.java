package org.lwp4j;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lwp4j.kern.Timeouts;
import org.lwp4j.proc.ProcHandles;
import org.lwp4j.proc.Fork;
import org.lwp4j.proc.Groups;
import org.lwp4j.proc.KernWait;
import org.lwp4j.proc.Pipe;
import org.lwp4j.proc.ProcCalls;
import org.lwp4j.proc.Reapers;

/**
 * The process calls of DragonFly BSD ({@code kern_fork.c}, {@code kern_exit.c}, {@code kern_prot.c},
 * {@code procctl}), made by the calling LWP for its own process.
 *
 * <p>Every method must be called from an LWP (a thread made by {@link Lwp#create} or by
 * {@link #fork}, or one that entered with {@link Supervisor#attach()} /
 * {@link Supervisor#attachNewProcess()}); otherwise it throws {@link IllegalStateException}. Every
 * method is a safe point. Errors are {@link LwpException}s carrying an {@link Errno}; a call that
 * fails has changed nothing. Normal outcomes are return values: {@link WaitResult#isNone()} is
 * WNOHANG's "nothing yet".
 *
 * <p>Processes: each has a pid, a parent, a process group and session, a uid and gid, a reaper,
 * a resource table of {@link AutoCloseable}s and a process-local storage map. Process 1 (init) is
 * the root of the tree and the root reaper; it cannot exit, and it reaps its zombie children at
 * once (so a process whose parent is init, or that is orphaned to init, cannot be waited for).
 *
 * <p>Memory effects: what a child process did happens-before the return of the {@link #wait}
 * that reports its exit; what the parent did before {@link #fork}, the start of the child's body.
 */
public final class Proc {
    private Proc() {
    }

    /**
     * {@code fork(2)}: {@link #fork(Runnable, int) fork(body, ProcFlags.FDG)}, copying the resource table.
     * @param body what the child's first LWP runs
     * @return the child's pid
     * @throws LwpException as {@link #fork(Runnable, int)}
     * @throws NullPointerException if body is null
     */
    public static int fork(Runnable body) {
        return Fork.fork(body, ProcFlags.FDG);
    }

    /**
     * {@code rfork(RFPROC | flags)}: a new process, child of the caller's, whose first LWP runs
     * {@code body}, in the caller's group and session, with its uid, gid and reaper (but not a
     * reaper itself), a copy of its signal dispositions and process-local storage, and, without
     * {@link ProcFlags#FDG} or {@link ProcFlags#CFDG}, its resource table <em>shared</em>, as
     * rfork does; each flag's effect is on its {@link ProcFlags} constant. A group signal pending
     * on the caller during the fork is not missed by the child; the at-fork hooks run before it
     * starts. An LWP ends when its body returns, and the last one of a process exits it with status
     * 0; an uncaught Throwable in an LWP body terminates it with SIGABRT, reported by {@link #wait}.
     * Pids go upward, wrapping around, skipping those of processes (zombies too), groups, sessions.
     * @param body  what the child's first LWP runs
     * @param flags any of FDG, CFDG, MEM, NOWAIT, THREAD, SIGSHARE, PPWAIT, LINUXTHPN
     * @return the child's pid (with PPWAIT, once the child has exited)
     * @throws LwpException EINVAL for unknown flags or FDG with CFDG; EAGAIN over the supervisor's
     *                      process limit or the per-uid limit (uid 0 is exempt), or when the child's
     *                      thread cannot be started (nothing is left behind); EDEADLK in an at-fork hook
     * @throws NullPointerException if body is null
     */
    public static int fork(Runnable body, int flags) {
        return Fork.fork(body, flags);
    }

    /**
     * {@code exit(status)}: end the calling process. One LWP performs the exit (a racing second
     * just ends its LWP); every other LWP is ended at its safe point and waited for; a leader's
     * RFTHREAD peers are killed; the at-exit hooks run; the resource table is released; children
     * go to the nearest live reaper; the zombie's parent gets SIGCHLD and may {@link #wait} for it
     * (the reaper does, if the parent ignores SIGCHLD or set NOCLDWAIT); a PPWAIT parent is
     * released. Never returns: the LWP unwinds with {@link LwpExit} (an attached thread's call throws it).
     * @param status the exit code (the low 8 bits are kept)
     * @throws LwpException EPERM in init, which cannot exit
     */
    public static void exit(int status) {
        throw ProcCalls.exit(status);
    }

    /**
     * {@code extexit(how, status)}: {@link ProcFlags#EXTEXIT_PROC} is {@link #exit}; EXTEXIT_LWP
     * ends only the calling LWP, or, the last one, the process with {@code status}. Never returns.
     * @param how    {@link ProcFlags#EXTEXIT_PROC} or {@link ProcFlags#EXTEXIT_LWP}
     * @param status the exit code of the process, if it exits (the low 8 bits are kept)
     * @throws LwpException EINVAL for any other {@code how}; EPERM in init (for a process exit)
     */
    public static void extexit(int how, int status) {
        throw ProcCalls.extexit(how, status);
    }

    /**
     * {@code wait6}/{@code waitid}: wait for a child selected by {@code idtype} and {@code id} to
     * exit, stop or continue, as the {@link Wait} options ask, and report it. Each zombie is reaped
     * by exactly one waiter: any LWP of the process, whichever forked it; a stop or a continue is
     * reported once (WNOWAIT leaves it). Waiting for any child costs O(1) per reaped child.
     * @param idtype  which children: {@code P_PID} / {@code P_PGID} with {@code id == 0} mean the
     *                caller's own group
     * @param id      the pid, group, session, uid or gid that {@code idtype} selects on (ignored
     *                for {@code P_ALL})
     * @param options WEXITED, WSTOPPED (WUNTRACED), WCONTINUED, at least one of them, with any of
     *                WNOHANG, WNOWAIT, WLINUXCLONE
     * @return the report (pid, status word, code, uid, rusage, children's rusage, the fault), or
     *         {@link WaitResult#none()} under WNOHANG when some child matches but has nothing yet
     * @throws LwpException EINVAL for unknown option bits or none of WEXITED, WSTOPPED, WCONTINUED;
     *                      ECHILD if no child matches (WNOHANG included), and for an LWP of init
     *                      once the child has exited (init reaps its children at once: wait from a
     *                      process of its own, see {@link Supervisor#attachNewProcess()}); EINTR if
     *                      woken ({@link Lwp#wakeup}) or interrupted while waiting; EDEADLK from an
     *                      at-fork hook
     */
    public static WaitResult wait(IdType idtype, int id, int options) {
        return KernWait.wait(idtype, id, options);
    }

    /**
     * {@code waitpid}/{@code wait4}: {@code pid} -1 is any child, 0 any child in the caller's
     * group, {@code < -1} any child in group {@code -pid}, {@code > 0} that child.
     * @param pid     -1, 0, minus a group id, or a child's pid
     * @param options WNOHANG, WUNTRACED, WCONTINUED, WNOWAIT (WEXITED is added)
     * @return the report, or {@link WaitResult#none()} under WNOHANG
     * @throws LwpException as {@link #wait(IdType, int, int)}
     */
    public static WaitResult waitpid(int pid, int options) {
        return KernWait.waitpid(pid, options, Long.MAX_VALUE);
    }

    /**
     * Timed {@code waitpid}: {@link WaitResult#none()} ("not yet") when {@code timeout} passes with
     * nothing to report; zero or less looks once, as WNOHANG does (which may also be given).
     * @param pid     as {@link #waitpid(int, int)}
     * @param options as {@link #waitpid(int, int)}
     * @param timeout how long to wait at most (beyond 292 years: for good)
     * @return the report, or {@link WaitResult#none()} if the time passed first
     * @throws LwpException as {@link #wait(IdType, int, int)}
     * @throws NullPointerException if timeout is null
     */
    public static WaitResult waitpid(int pid, int options, Duration timeout) {
        return KernWait.waitpid(pid, options, Timeouts.nanos(timeout));
    }

    /**
     * {@code wait()}: {@code waitpid(-1, 0)}, reap any one exited child.
     * @return the report of the child reaped
     * @throws LwpException ECHILD if the caller has no child; EINTR if woken or interrupted
     */
    public static WaitResult waitAny() {
        return waitpid(-1, 0);
    }

    /**
     * {@return a future of the exit of process {@code pid}}, like {@link ProcessHandle#onExit()}:
     * once the process is a zombie and its LWPs have all left, it completes with the report a
     * {@link Wait#WNOWAIT} wait gives (the zombie stays for its parent). Any thread may use it; its
     * dependent stages run in the common pool, never on the exiting process's LWPs. Each call
     * answers a new future; cancelling one changes nothing else.
     * @param pid any process of the caller's supervisor but init
     * @throws LwpException EINVAL for {@code pid <= 0} or init (which never exits); ESRCH if
     *                      there is no such process (or it was reaped already)
     */
    public static CompletableFuture<WaitResult> onExit(int pid) {
        return ProcHandles.onExit(pid);
    }

    /**
     * A graceful stop of child {@code pid}: SIGTERM (and SIGCONT, so that a stopped child takes it),
     * up to {@code grace} to exit, then SIGKILL; a zombie child is reaped at once, unsignalled.
     * @param pid   a child of the caller
     * @param grace how long SIGTERM has before SIGKILL (zero: at once)
     * @return the reaped child's report: WIFSIGNALED with SIGTERM, or SIGKILL after the grace, or
     *         WIFEXITED if it exited on its own or from a SIGTERM handler
     * @throws LwpException EINVAL for {@code pid <= 0} or a negative grace; ECHILD if pid is not
     *                      a child of the caller (nothing is sent); EPERM if the credentials do
     *                      not allow signalling it; EINTR if woken or interrupted while waiting
     * @throws NullPointerException if grace is null
     */
    public static WaitResult terminate(int pid, Duration grace) {
        return ProcHandles.terminate(pid, Timeouts.nanos(grace));
    }

    /** {@return the calling process's pid} */
    public static int getpid() {
        return ProcCalls.getpid();
    }

    /** {@return the pid of the caller's parent (which changes if the parent exits), or 0 for init} */
    public static int getppid() {
        return ProcCalls.getppid();
    }

    /**
     * {@code setpgid}: put process {@code pid} into group {@code pgid}.
     * @param pid  0 or the caller's pid (the caller), or a child's
     * @param pgid 0 or the target's pid (a group of its own, id = its pid), or an existing group
     *             in the caller's session
     * @throws LwpException EINVAL if pgid &lt; 0; ESRCH if pid is neither the caller nor a live
     *                      child of it; EPERM if the target is in another session or is a
     *                      session leader, or the group does not exist in the caller's session
     */
    public static void setpgid(int pid, int pgid) {
        Groups.setpgid(pid, pgid);
    }

    /**
     * {@return the process group id of {@code pid}} ({@code getpgid})
     * @param pid a process, or 0 for the caller
     * @throws LwpException ESRCH if there is no such process
     */
    public static int getpgid(int pid) {
        return Groups.getpgid(pid);
    }

    /**
     * {@code setsid}: make a new session with the caller as its leader, in a new group of its
     * own; both ids are the caller's pid.
     * @return the new session id
     * @throws LwpException EPERM if the caller is already a process group leader (or a group with
     *                      its pid exists)
     */
    public static int setsid() {
        return Groups.setsid();
    }

    /**
     * {@return the session id of {@code pid}} ({@code getsid})
     * @param pid a process, or 0 for the caller
     * @throws LwpException ESRCH if there is no such process
     */
    public static int getsid(int pid) {
        return Groups.getsid(pid);
    }

    /** {@return the calling process's uid} Inherited by fork; the per-uid limit and signals use it. */
    public static int getuid() {
        return Groups.getuid();
    }

    /** {@return the calling process's gid} */
    public static int getgid() {
        return Groups.getgid();
    }

    /**
     * {@code setuid}: change the process's uid. A process of uid 0 may take any uid (to fork
     * children with other credentials: fork, then setuid in the child); others only their own.
     * @param uid the new uid, 0 or more
     * @throws LwpException EINVAL for a negative uid; EPERM otherwise refused
     */
    public static void setuid(int uid) {
        Groups.setuid(uid);
    }

    /**
     * {@code setgid}: change the process's gid; uid 0 may take any, others only their own.
     * @param gid the new gid, 0 or more
     * @throws LwpException EINVAL for a negative gid; EPERM otherwise refused
     */
    public static void setgid(int gid) {
        Groups.setgid(gid);
    }

    /**
     * {@code procctl(P_PID, pid, PROC_REAP_ACQUIRE)}: orphans below the caller, and children forked
     * below it with NOWAIT, come to it, not to the reaper above (its children do not, unless they acquire).
     * @param pid the caller's own pid
     * @throws LwpException EINVAL if pid is not the caller's; EALREADY if it is a reaper already
     */
    public static void reapAcquire(int pid) {
        Reapers.acquire(pid);
    }

    /**
     * {@code PROC_REAP_RELEASE}: stop being a reaper; its processes fall back to the reaper above.
     * @param pid the caller's own pid
     * @throws LwpException EINVAL if pid is not the caller's, or for init; ENOTCONN if the caller
     *                      is not a reaper
     */
    public static void reapRelease(int pid) {
        Reapers.release(pid);
    }

    /**
     * {@return the figures of the reaper of process {@code pid}} ({@code PROC_REAP_STATUS}): the
     * process itself if it is one, else its nearest live reaper. As FreeBSD, beyond DragonFly's
     * self-only procctl, {@code pid} may be another process than the caller.
     * @param pid a live process: the caller's own, or one it may signal
     * @throws LwpException ESRCH if there is no such live process; EPERM if the caller may not
     *                      signal it (another uid, the caller not uid 0)
     */
    public static ReaperStatus reapStatus(int pid) {
        return Reapers.status(pid);
    }

    /**
     * {@return one entry for each descendant of the reaper of process {@code pid} (named as for
     * {@link #reapStatus}) that belongs to it} ({@code PROC_REAP_GETPIDS}): not those below another
     * reaper; depth first, oldest child first; each with its subtree ({@link ReaperPid}).
     * @param pid a live process: the caller's own, or one it may signal
     * @throws LwpException ESRCH if there is no such live process; EPERM if the caller may not
     *                      signal it
     */
    public static List<ReaperPid> reapGetPids(int pid) {
        return Reapers.getPids(pid);
    }

    /**
     * {@code PROC_REAP_KILL}: send {@code sig} to every live descendant of the reaper of process
     * {@code pid} (named as for {@link #reapStatus}; below sub-reapers too), or as {@code flags}
     * say, never to the caller; a caller that is not uid 0 signals only processes of its uid. A
     * supervisor without the signal layer counts the targets but delivers nothing.
     * @param pid     the caller's own pid
     * @param sig     the signal, 1 to NSIG - 1
     * @param flags   0, {@link ProcFlags#REAPER_KILL_CHILDREN} (only the direct children) or
     *                {@link ProcFlags#REAPER_KILL_SUBTREE} (only the subtree {@code subtree})
     * @param subtree with REAPER_KILL_SUBTREE, the reaper's child whose subtree (as recorded, see
     *                {@link #reapGetPids}) is signalled
     * @return how many processes were signalled
     * @throws LwpException EINVAL for signal 0 or one outside [1, NSIG), or for unknown or
     *                      contradictory flags; ESRCH if {@code pid} is no live process, or
     *                      when no process matched; EPERM if the caller may not signal
     *                      {@code pid}, or when every match was refused by uid
     */
    public static int reapKill(int pid, int sig, int flags, int subtree) {
        return Reapers.kill(pid, sig, flags, subtree);
    }

    /**
     * Put {@code resource} into the process's resource table under the lowest free handle; it is
     * closed when the last slot of a table (shared or copied by fork) holding it goes, by
     * {@link #close} or its process's exit.
     * @param resource what the handle stands for
     * @return the handle (0, 1, 2, ...)
     * @throws NullPointerException if resource is null
     */
    public static int open(AutoCloseable resource) {
        return ProcCalls.open(resource);
    }

    /**
     * {@return the resource under {@code handle}}
     * @param handle a handle of the calling process's table
     * @throws LwpException EBADF if the handle is not open
     */
    public static AutoCloseable get(int handle) {
        return ProcCalls.get(handle);
    }

    /**
     * Remove {@code handle}; if no other table slot refers to its resource, close it now.
     * @param handle a handle of the calling process's table
     * @throws LwpException EBADF if the handle is not open
     * @throws Exception    what the resource's close() throws (the handle is gone regardless)
     */
    public static void close(int handle) throws Exception {
        ProcCalls.close(handle);
    }

    /** {@return a new array of the handles open in the process's table, ascending} */
    public static int[] handles() {
        return ProcCalls.handles();
    }

    /**
     * {@return {@code {readHandle, writeHandle}}: the ends of a new pipe (16 KiB of buffer) in the
     * process's resource table} ({@code pipe(2)}) They are resources like any other (copied or
     * shared at fork, closed by {@link #close} or the exit of their last holder).
     * @throws LwpException EBADF if the process's table is closed (it is exiting)
     */
    public static int[] pipe() {
        return Pipe.pipe(0);
    }

    /**
     * {@code pipe2(2)}: as {@link #pipe}, with both ends non-blocking if {@code flags} has
     * {@link PipeFlags#O_NONBLOCK}.
     * @param flags 0 or {@link PipeFlags#O_NONBLOCK}
     * @return {@code {readHandle, writeHandle}}
     * @throws LwpException EINVAL for other flags; EBADF as {@link #pipe}
     */
    public static int[] pipe2(int flags) {
        return Pipe.pipe(flags);
    }

    /**
     * {@code read(2)} on a pipe's read end: up to {@code len} bytes into {@code b[off..]}, as soon
     * as some are buffered; 0 at end of file (the buffer empty, every write end closed). On an
     * empty pipe with a writer it blocks: a caught signal runs its handler and the read answers
     * EINTR, or starts again under {@link Sig#SA_RESTART}; a kill ends the LWP; a stop stops it. A
     * non-blocking end answers EAGAIN instead. Bytes written happen-before the read returning them.
     * @param handle a read end
     * @param b      the buffer
     * @param off    where in {@code b} the bytes go
     * @param len    the most bytes to read
     * @return bytes read, 0 at end of file (and for {@code len == 0})
     * @throws LwpException EBADF if the handle is not open or is a write end; EINVAL if it is not
     *                      a pipe of this supervisor; EFAULT if {@code off}/{@code len} fall
     *                      outside {@code b}; EAGAIN (non-blocking, nothing to read); EINTR
     * @throws NullPointerException if {@code b} is null
     */
    public static int read(int handle, byte[] b, int off, int len) {
        return Pipe.read(handle, b, off, len);
    }

    /**
     * {@code write(2)} on a pipe's write end: all {@code len} bytes of {@code b[off..]}, blocking
     * as {@link #read} while the buffer is full; up to {@link PipeFlags#PIPE_BUF} bytes go in whole
     * (never interleaved), more as room appears. With no read end left it sends the calling LWP
     * SIGPIPE (code SI_LWP; by default the process terminates; a handler runs before EPIPE is
     * thrown). A signal after some bytes went in, or a full non-blocking end, answers the count
     * moved; a non-blocking end that would block before moving anything answers EAGAIN.
     * @param handle a write end
     * @param b      the buffer
     * @param off    where in {@code b} the bytes start
     * @param len    how many bytes to write
     * @return bytes written ({@code len}, unless interrupted or non-blocking)
     * @throws LwpException EBADF if the handle is not open or is a read end; EINVAL if it is not
     *                      a pipe of this supervisor; EFAULT for {@code off}/{@code len}
     *                      outside {@code b}; EPIPE; EAGAIN; EINTR
     * @throws NullPointerException if {@code b} is null
     */
    public static int write(int handle, byte[] b, int off, int len) {
        return Pipe.write(handle, b, off, len);
    }

    /**
     * {@code fcntl(handle, F_SETFL, on ? O_NONBLOCK : 0)} on a pipe end. The flag belongs to the
     * end, so every table slot referring to it (a forked child's copy) sees the change.
     * @param handle a pipe end
     * @param on     whether it is to be non-blocking
     * @throws LwpException EBADF if the handle is not open; EINVAL if it is not a pipe end
     */
    public static void setNonblocking(int handle, boolean on) {
        Pipe.setNonblocking(handle, on);
    }

    /**
     * {@return whether reads and writes on pipe end {@code handle} answer EAGAIN instead of blocking}
     * @param handle a pipe end
     * @throws LwpException EBADF, EINVAL as {@link #setNonblocking}
     */
    public static boolean isNonblocking(int handle) {
        return Pipe.isNonblocking(handle);
    }

    /**
     * {@return the process-local value under {@code key}, or null}
     * @param key the key (compared with equals)
     */
    public static Object getLocal(Object key) {
        return ProcCalls.getLocal(key);
    }

    /**
     * Set the process-local value under {@code key} (null removes it); fork copies the map
     * (shallowly) or, with {@link ProcFlags#MEM}, shares it.
     * @param key   the key (compared with equals)
     * @param value the new value, or null to remove the key
     * @return the previous value, or null
     */
    public static Object setLocal(Object key, Object value) {
        return ProcCalls.setLocal(key, value);
    }

    /**
     * {@code at_fork}: run {@code hook} at every fork in this supervisor; adding it again moves it
     * to the end (it is never listed twice).
     * @param hook the hook
     */
    public static void atFork(ForkHook hook) {
        ProcCalls.atFork(hook);
    }

    /**
     * {@return whether at-fork hook {@code hook} was there} Removes it ({@code rm_at_fork}).
     * @param hook the hook
     */
    public static boolean removeAtFork(ForkHook hook) {
        return ProcCalls.removeAtFork(hook);
    }

    /**
     * {@code at_exit}: run {@code hook} at every process exit in this supervisor (once per hook).
     * @param hook the hook
     */
    public static void atExit(ExitHook hook) {
        ProcCalls.atExit(hook);
    }

    /**
     * {@return whether at-exit hook {@code hook} was there} Removes it ({@code rm_at_exit}).
     * @param hook the hook
     */
    public static boolean removeAtExit(ExitHook hook) {
        return ProcCalls.removeAtExit(hook);
    }
}
