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
 * <p>Memory effects: everything a child process did happens-before the return of the
 * {@link #wait} that reports its exit. Everything the parent did before {@link #fork} happens-before
 * the child's body starts.
 */
public final class Proc {
    private Proc() {
    }

    // ------------------------------------------------------------------ fork, exit

    /**
     * {@code fork(2)}: {@link #fork(Runnable, int) fork(body, ProcFlags.FDG)}: a new process with a copy of
     * the resource table and of process-local storage.
     *
     * @param body what the child's first LWP runs
     * @return the child's pid
     * @throws LwpException as {@link #fork(Runnable, int)}
     * @throws NullPointerException if body is null
     */
    public static int fork(Runnable body) {
        return Fork.fork(body, ProcFlags.FDG);
    }

    /**
     * {@code rfork(RFPROC | flags)}: a new process, child of the caller's (or, with
     * {@link ProcFlags#NOWAIT}, of the caller's nearest reaper), whose first LWP runs {@code body}. The
     * child joins the caller's process group and session and inherits its uid, gid, signal
     * dispositions (copied; shared with {@link ProcFlags#SIGSHARE}) and reaper (but is not a reaper
     * itself). Without {@link ProcFlags#FDG} or {@link ProcFlags#CFDG} the child <em>shares</em> the caller's
     * resource table, as rfork does; process-local storage is copied unless {@link ProcFlags#MEM}. A
     * group signal pending on the caller during the fork is not missed by the child. The
     * at-fork hooks run before the child starts. When {@code body} returns, the child's LWP
     * ends; the last LWP of a process to end exits it with status 0. An uncaught Throwable in
     * any LWP body terminates the process with SIGABRT and is reported by {@link #wait}.
     *
     * <p>Pids are allocated upward, wrapping around, skipping pids in use by a process (zombies
     * included), a process group or a session.
     *
     * @param body  what the child's first LWP runs
     * @param flags any of FDG, CFDG, MEM, NOWAIT, THREAD, SIGSHARE, PPWAIT, LINUXTHPN
     * @return the child's pid (with PPWAIT, once the child has exited)
     * @throws LwpException EINVAL for unknown flags or FDG with CFDG; EAGAIN over the
     *                      supervisor's process limit or the per-uid limit (uid 0 is exempt), or
     *                      when the child's thread cannot be started (nothing is left behind);
     *                      EDEADLK when called from an at-fork hook
     * @throws NullPointerException if body is null
     */
    public static int fork(Runnable body, int flags) {
        return Fork.fork(body, flags);
    }

    /**
     * {@code exit(status)}: end the calling process. One LWP performs the exit (a racing second
     * exit just ends its own LWP); every other LWP is ended at its safe point and waited for; a
     * leader's RFTHREAD peers are killed; the at-exit hooks run; the resource table is released;
     * children go to the nearest live reaper; the process becomes a zombie, and its parent is
     * sent SIGCHLD and may {@link #wait} for it (if the parent ignores SIGCHLD or set NOCLDWAIT,
     * the zombie goes to the reaper instead). A PPWAIT parent is released. Never returns: the
     * calling LWP unwinds with {@link LwpExit} (an attached thread receives it from this call).
     *
     * @param status the exit code (the low 8 bits are kept)
     * @throws LwpException EPERM in init, which cannot exit
     */
    public static void exit(int status) {
        throw ProcCalls.exit(status);
    }

    /**
     * {@code extexit(how, status)}: {@link ProcFlags#EXTEXIT_PROC} is {@link #exit}; {@link ProcFlags#EXTEXIT_LWP}
     * ends only the calling LWP, unless it is the last one, which exits the process with
     * {@code status}. Never returns.
     *
     * @param how    {@link ProcFlags#EXTEXIT_PROC} or {@link ProcFlags#EXTEXIT_LWP}
     * @param status the exit code of the process, if it exits (the low 8 bits are kept)
     * @throws LwpException EINVAL for any other {@code how}; EPERM in init (for a process exit)
     */
    public static void extexit(int how, int status) {
        throw ProcCalls.extexit(how, status);
    }

    // ------------------------------------------------------------------ wait

    /**
     * {@code wait6}/{@code waitid}: wait for a child selected by {@code idtype} and {@code id} to
     * exit ({@link Wait#WEXITED}), stop ({@link Wait#WSTOPPED}) or continue ({@link Wait#WCONTINUED}), and
     * report it. An exited child is reaped (removed for good) unless {@link Wait#WNOWAIT}; each
     * zombie is reaped by exactly one waiter; any LWP of the process may reap any child,
     * whichever LWP forked it. A stop or a continue is reported once (WNOWAIT leaves it). With
     * {@link Wait#WNOHANG} the answer is {@link WaitResult#none()} when some child matches but has
     * nothing to report. Waiting for any child costs O(1) per reaped child, whatever the
     * number of children.
     *
     * @param idtype  which children: {@code P_PID} / {@code P_PGID} with {@code id == 0} mean the
     *                caller's own group
     * @param id      the pid, group, session, uid or gid that {@code idtype} selects on (ignored
     *                for {@code P_ALL})
     * @param options WEXITED, WSTOPPED (WUNTRACED), WCONTINUED, at least one of them, with any of
     *                WNOHANG, WNOWAIT, WLINUXCLONE
     * @return the report (pid, status word, code, uid, rusage, children's rusage, the fault)
     * @throws LwpException EINVAL for unknown option bits or none of WEXITED, WSTOPPED,
     *                      WCONTINUED; ECHILD if no child matches (WNOHANG included); EINTR if
     *                      woken ({@link Lwp#wakeup}) or interrupted while waiting; EDEADLK from
     *                      an at-fork hook
     */
    public static WaitResult wait(IdType idtype, int id, int options) {
        return KernWait.wait(idtype, id, options);
    }

    /**
     * {@code waitpid}/{@code wait4}: {@code pid} -1 is any child, 0 any child in the caller's
     * group, {@code < -1} any child in group {@code -pid}, {@code > 0} that child. WEXITED is
     * implied; {@code options} may add WNOHANG, WUNTRACED, WCONTINUED, WNOWAIT.
     *
     * @param pid     -1, 0, minus a group id, or a child's pid
     * @param options WNOHANG, WUNTRACED, WCONTINUED, WNOWAIT (WEXITED is added)
     * @return the report, or {@link WaitResult#none()} under WNOHANG
     * @throws LwpException as {@link #wait(IdType, int, int)}
     */
    public static WaitResult waitpid(int pid, int options) {
        options |= Wait.WEXITED;
        if (pid == -1) {
            return KernWait.wait(IdType.P_ALL, 0, options);
        }
        if (pid <= 0) {
            return KernWait.wait(IdType.P_PGID, pid == 0 ? 0 : -pid, options);
        }
        return KernWait.wait(IdType.P_PID, pid, options);
    }

    /**
     * Timed {@code waitpid}: as {@link #waitpid(int, int)}, but when {@code timeout} passes with
     * nothing to report it answers {@link WaitResult#none()} ("not yet") rather than an error.
     * A zero or negative timeout looks once, as WNOHANG does (which may also be given).
     *
     * @param pid     -1, 0, minus a group id, or a child's pid
     * @param options WNOHANG, WUNTRACED, WCONTINUED, WNOWAIT (WEXITED is added)
     * @param timeout how long to wait at most (beyond 292 years: for good)
     * @return the report, or {@link WaitResult#none()} if the time passed first
     * @throws LwpException as {@link #wait(IdType, int, int)}
     * @throws NullPointerException if timeout is null
     */
    public static WaitResult waitpid(int pid, int options, Duration timeout) {
        long ns = Timeouts.nanos(timeout);
        options |= Wait.WEXITED;
        if (pid == -1) {
            return KernWait.wait(IdType.P_ALL, 0, options, ns);
        }
        if (pid <= 0) {
            return KernWait.wait(IdType.P_PGID, pid == 0 ? 0 : -pid, options, ns);
        }
        return KernWait.wait(IdType.P_PID, pid, options, ns);
    }

    /**
     * A future of the exit of process {@code pid}, like {@link ProcessHandle#onExit()}: it
     * completes once the process is a zombie and its LWPs have all left, with the report a
     * {@link Wait#WNOWAIT} wait would give (the zombie is not reaped: its parent still waits
     * for it). The future may be used from any thread, LWP or not; its dependent stages run on
     * a thread of the common pool, never on the exiting process's LWPs. Every call answers a
     * new future; cancelling one changes nothing else.
     *
     * @param pid any process of the caller's supervisor but init
     * @return the future of its exit report
     * @throws LwpException EINVAL for {@code pid <= 0} or init (which never exits); ESRCH if
     *                      there is no such process (or it was reaped already)
     */
    public static CompletableFuture<WaitResult> onExit(int pid) {
        return ProcHandles.onExit(pid);
    }

    /**
     * A graceful stop of child {@code pid}: send it SIGTERM (and SIGCONT, so that a stopped
     * child takes it), wait up to {@code grace} for it to exit, then send SIGKILL and wait for
     * it; the child is reaped and its report answered (WIFSIGNALED with SIGTERM, or SIGKILL
     * after the grace, or WIFEXITED if it exited on its own or from a SIGTERM handler). A child
     * that is a zombie already is reaped at once, and no signal is sent.
     *
     * @param pid   a child of the caller
     * @param grace how long SIGTERM has before SIGKILL (zero: at once)
     * @return the child's wait report
     * @throws LwpException EINVAL for {@code pid <= 0} or a negative grace; ECHILD if pid is not
     *                      a child of the caller (nothing is sent); EPERM if the credentials do
     *                      not allow signalling it; EINTR if woken or interrupted while waiting
     * @throws NullPointerException if grace is null
     */
    public static WaitResult terminate(int pid, Duration grace) {
        return ProcHandles.terminate(pid, Timeouts.nanos(grace));
    }

    /**
     * {@code wait()}: {@code waitpid(-1, 0)}, reap any one exited child.
     *
     * @return the report of the child reaped
     * @throws LwpException ECHILD if the caller has no child; EINTR if woken or interrupted
     */
    public static WaitResult waitAny() {
        return waitpid(-1, 0);
    }

    // ------------------------------------------------------------------ ids, groups, sessions

    /**
     * The caller's pid.
     *
     * @return the calling process's pid
     */
    public static int getpid() {
        return ProcCalls.getpid();
    }

    /**
     * The pid of the caller's parent (which changes if the parent exits).
     *
     * @return the parent's pid, or 0 for init
     */
    public static int getppid() {
        return ProcCalls.getppid();
    }

    /**
     * {@code setpgid}: put process {@code pid} (0 = the caller; otherwise the caller or one of
     * its children) into group {@code pgid} (0 = a group of its own, id = its pid), which must be
     * the target's own pid or an existing group in the caller's session.
     *
     * @param pid  0, the caller's pid or a child's
     * @param pgid 0, the target's pid, or a group of the caller's session
     * @throws LwpException EINVAL if pgid &lt; 0; ESRCH if pid is neither the caller nor a live
     *                      child of it; EPERM if the target is in another session or is a
     *                      session leader, or the group does not exist in the caller's session
     */
    public static void setpgid(int pid, int pgid) {
        Groups.setpgid(pid, pgid);
    }

    /**
     * {@code getpgid}: the process group of {@code pid}.
     *
     * @param pid a process, or 0 for the caller
     * @return its process group id
     * @throws LwpException ESRCH if there is no such process
     */
    public static int getpgid(int pid) {
        return Groups.getpgid(pid);
    }

    /**
     * {@code setsid}: make a new session with the caller as its leader, in a new group of its
     * own; both ids are the caller's pid.
     *
     * @return the new session id
     * @throws LwpException EPERM if the caller is already a process group leader (or a group with
     *                      its pid exists)
     */
    public static int setsid() {
        return Groups.setsid();
    }

    /**
     * {@code getsid}: the session of {@code pid}.
     *
     * @param pid a process, or 0 for the caller
     * @return its session id
     * @throws LwpException ESRCH if there is no such process
     */
    public static int getsid(int pid) {
        return Groups.getsid(pid);
    }

    // ------------------------------------------------------------------ credentials

    /**
     * The caller's uid (inherited by fork; used by the per-uid limit and signal permissions).
     *
     * @return the calling process's uid
     */
    public static int getuid() {
        return Groups.getuid();
    }

    /**
     * The caller's gid.
     *
     * @return the calling process's gid
     */
    public static int getgid() {
        return Groups.getgid();
    }

    /**
     * {@code setuid}: change the process's uid. A process of uid 0 may take any uid (to fork
     * children with other credentials: fork, then setuid in the child); others only their own.
     *
     * @param uid the new uid, 0 or more
     * @throws LwpException EINVAL for a negative uid; EPERM otherwise refused
     */
    public static void setuid(int uid) {
        Groups.setuid(uid);
    }

    /**
     * {@code setgid}: change the process's gid; uid 0 may take any, others only their own.
     *
     * @param gid the new gid, 0 or more
     * @throws LwpException EINVAL for a negative gid; EPERM otherwise refused
     */
    public static void setgid(int gid) {
        Groups.setgid(gid);
    }

    // ------------------------------------------------------------------ procctl reapers

    /**
     * {@code procctl(P_PID, pid, PROC_REAP_ACQUIRE)}: the caller becomes a reaper: orphans below
     * it, and children forked below it with NOWAIT, come to it instead of to the reaper above.
     * Its children are not reapers unless they acquire too.
     *
     * @param pid the caller's own pid
     * @throws LwpException EINVAL if pid is not the caller's; EALREADY if it is a reaper already
     */
    public static void reapAcquire(int pid) {
        Reapers.acquire(pid);
    }

    /**
     * {@code PROC_REAP_RELEASE}: stop being a reaper; its processes fall back to the reaper above.
     *
     * @param pid the caller's own pid
     * @throws LwpException EINVAL if pid is not the caller's, or for init; ENOTCONN if the caller
     *                      is not a reaper
     */
    public static void reapRelease(int pid) {
        Reapers.release(pid);
    }

    /**
     * {@code PROC_REAP_STATUS}: figures about the reaper of process {@code pid} (the process
     * itself if it is one, else its nearest live reaper). {@code pid} is the caller's own, or
     * another live process the caller may signal (as FreeBSD, beyond DragonFly's self-only
     * procctl). See {@link ReaperStatus}.
     *
     * @param pid a live process: the caller's own, or one it may signal
     * @return the reaper's figures
     * @throws LwpException ESRCH if there is no such live process; EPERM if the caller may not
     *                      signal it (another uid, the caller not uid 0)
     */
    public static ReaperStatus reapStatus(int pid) {
        return Reapers.status(pid);
    }

    /**
     * {@code PROC_REAP_GETPIDS}: the descendants of the reaper of process {@code pid} (named as
     * for {@link #reapStatus}) that belong to it (not those below another reaper), depth first,
     * oldest child first. Each carries the subtree it was forked into: the reaper's child it
     * descends from, recorded at fork and kept when an orphan is reparented to the reaper
     * (FreeBSD p_reapsubtree). See {@link ReaperPid}.
     *
     * @param pid a live process: the caller's own, or one it may signal
     * @return one entry per descendant
     * @throws LwpException ESRCH if there is no such live process; EPERM if the caller may not
     *                      signal it
     */
    public static List<ReaperPid> reapGetPids(int pid) {
        return Reapers.getPids(pid);
    }

    /**
     * {@code PROC_REAP_KILL}: send {@code sig} to every live descendant of the reaper of process
     * {@code pid} (named as for {@link #reapStatus}; below sub-reapers too), or only its direct
     * children ({@link ProcFlags#REAPER_KILL_CHILDREN}), or only those in the recorded subtree
     * {@code subtree} ({@link ProcFlags#REAPER_KILL_SUBTREE}; see {@link #reapGetPids}). Never the caller
     * itself; a caller that is not uid 0 signals only processes of its own uid. Delivery is the
     * signal layer's (a supervisor without it counts the targets but delivers nothing).
     *
     * @param pid     the caller's own pid
     * @param sig     the signal, 1 to NSIG - 1
     * @param flags   0, {@link ProcFlags#REAPER_KILL_CHILDREN} or {@link ProcFlags#REAPER_KILL_SUBTREE}
     * @param subtree with REAPER_KILL_SUBTREE, the reaper's child whose subtree is signalled
     * @return how many processes were signalled
     * @throws LwpException EINVAL for signal 0 or one outside [1, NSIG), or for unknown or
     *                      contradictory flags; ESRCH if {@code pid} is no live process, or
     *                      when no process matched; EPERM if the caller may not signal
     *                      {@code pid}, or when every match was refused by uid
     */
    public static int reapKill(int pid, int sig, int flags, int subtree) {
        return Reapers.kill(pid, sig, flags, subtree);
    }

    // ------------------------------------------------------------------ resource table

    /**
     * Put {@code resource} into the process's resource table under the lowest free handle. The
     * resource is closed when the last table slot referring to it goes away: by {@link #close},
     * or by the exit of the last process holding a table (shared or copied by fork) that has it.
     *
     * @param resource what the handle stands for
     * @return the handle (0, 1, 2, ...)
     * @throws NullPointerException if resource is null
     */
    public static int open(AutoCloseable resource) {
        return ProcCalls.open(resource);
    }

    /**
     * The resource under {@code handle}.
     *
     * @param handle a handle of the calling process's table
     * @return the resource
     * @throws LwpException EBADF if the handle is not open
     */
    public static AutoCloseable get(int handle) {
        return ProcCalls.get(handle);
    }

    /**
     * Remove {@code handle}; if no other table slot refers to its resource, close it now.
     *
     * @param handle a handle of the calling process's table
     * @throws LwpException EBADF if the handle is not open
     * @throws Exception    what the resource's close() throws (the handle is gone regardless)
     */
    public static void close(int handle) throws Exception {
        ProcCalls.close(handle);
    }

    // ------------------------------------------------------------------ pipes

    /**
     * {@code pipe(2)}: a new pipe (16 KiB of buffer) whose two ends go into the process's
     * resource table: answers {@code {readHandle, writeHandle}}. The ends are resources like any
     * other: copied or shared at fork as FDG / CFDG say, closed by {@link #close} or when the
     * last process holding them exits. See {@link #read} and {@link #write}.
     *
     * @return {@code {readHandle, writeHandle}}
     * @throws LwpException EBADF if the process's table is closed (it is exiting)
     */
    public static int[] pipe() {
        return Pipe.pipe(0);
    }

    /**
     * {@code pipe2(2)}: as {@link #pipe}, with both ends non-blocking if {@code flags} has
     * {@link PipeFlags#O_NONBLOCK}.
     *
     * @param flags 0 or {@link PipeFlags#O_NONBLOCK}
     * @return {@code {readHandle, writeHandle}}
     * @throws LwpException EINVAL for other flags; EBADF as {@link #pipe}
     */
    public static int[] pipe2(int flags) {
        return Pipe.pipe(flags);
    }

    /**
     * {@code read(2)} on a pipe's read end: up to {@code len} bytes into {@code b[off..]}.
     * Answers as soon as some bytes are there (at most what is buffered), 0 at end of file:
     * when the buffer is empty and every write end is closed (closed by {@link #close}, or by
     * the exit of every process that held one). On an empty pipe with a writer it blocks, as a
     * safe point: a caught signal runs its handler and the read answers EINTR, or starts again
     * if the handler has {@link Sig#SA_RESTART}; a kill ends the LWP; a stop stops it. A
     * non-blocking end answers EAGAIN instead of blocking. Bytes written happen-before the
     * read that returns them.
     *
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
     * (a safe point, as {@link #read}) while the buffer is full. A write of at most
     * {@link PipeFlags#PIPE_BUF} bytes is atomic: it goes in whole, never interleaved with another
     * writer's; a longer one goes in as room appears. With no read end left, it answers EPIPE
     * and sends SIGPIPE to the calling LWP first, as {@code _lwp_kill} would (code SI_LWP;
     * default action: the process is terminated; with a handler, the handler runs before EPIPE
     * is thrown). A write interrupted by a
     * signal after some bytes went in answers that count. A non-blocking end answers EAGAIN
     * where it would block before moving anything, and the count moved otherwise.
     *
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
     *
     * @param handle a pipe end
     * @param on     whether it is to be non-blocking
     * @throws LwpException EBADF if the handle is not open; EINVAL if it is not a pipe end
     */
    public static void setNonblocking(int handle, boolean on) {
        Pipe.setNonblocking(handle, on);
    }

    /**
     * Whether the pipe end is non-blocking.
     *
     * @param handle a pipe end
     * @return whether reads and writes on it answer EAGAIN instead of blocking
     * @throws LwpException EBADF, EINVAL as {@link #setNonblocking}
     */
    public static boolean isNonblocking(int handle) {
        return Pipe.isNonblocking(handle);
    }

    /**
     * The handles open in the process's table, ascending.
     *
     * @return a new array of the open handles
     */
    public static int[] handles() {
        return ProcCalls.handles();
    }

    // ------------------------------------------------------------------ process-local storage

    /**
     * The process-local value under {@code key}, or null.
     *
     * @param key the key (compared with equals)
     * @return the value, or null if there is none
     */
    public static Object getLocal(Object key) {
        return ProcCalls.getLocal(key);
    }

    /**
     * Set the process-local value under {@code key} (null removes it). Fork copies the map (a
     * shallow copy at fork time) or, with {@link ProcFlags#MEM}, shares it.
     *
     * @param key   the key (compared with equals)
     * @param value the new value, or null to remove the key
     * @return the previous value, or null
     */
    public static Object setLocal(Object key, Object value) {
        return ProcCalls.setLocal(key, value);
    }

    // ------------------------------------------------------------------ hooks

    /**
     * {@code at_fork}: run {@code hook} at every fork in this supervisor. Adding a hook that is
     * already there moves it to the end (it is never listed twice).
     *
     * @param hook the hook
     */
    public static void atFork(ForkHook hook) {
        ProcCalls.atFork(hook);
    }

    /**
     * {@code rm_at_fork}: remove an at-fork hook.
     *
     * @param hook the hook
     * @return whether it was there
     */
    public static boolean removeAtFork(ForkHook hook) {
        return ProcCalls.removeAtFork(hook);
    }

    /**
     * {@code at_exit}: run {@code hook} at every process exit in this supervisor (once per hook).
     *
     * @param hook the hook
     */
    public static void atExit(ExitHook hook) {
        ProcCalls.atExit(hook);
    }

    /**
     * {@code rm_at_exit}: remove an at-exit hook.
     *
     * @param hook the hook
     * @return whether it was there
     */
    public static boolean removeAtExit(ExitHook hook) {
        return ProcCalls.removeAtExit(hook);
    }
}
