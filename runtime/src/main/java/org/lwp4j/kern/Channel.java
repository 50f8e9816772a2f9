package org.lwp4j.kern;

/**
 * A kernel wait channel (NetBSD's {@code wchan} / {@code wmesg}): the hint a kernel wait sleeps
 * on in the sleep table, keyed by its process. Each channel is an instance of its own named
 * class, so that a thread dump says what an LWP waits for ({@code parking to wait for <...> (a
 * org.lwp4j.kern.Channel$LwpWait)}) and {@code ps} shows its name ({@code lwpwait}).
 */
public abstract class Channel {
    /*
     * Implementation overview.
     *
     * The sleep table compares hints with equals() and hashes them with hashCode(). Two
     * channels are the same queue when they have the same queue number, whatever their class:
     * a job-control stop (Stop) and a suspension (Suspend) are told apart in ps and jstack but
     * share one queue, so every broadcast that resumes a suspended LWP also reaches a stopped
     * one and the other way round, as when both slept on one channel (the wake-ups are the same
     * events: a continue, a resume, a kill). The stopped LWP re-checks its state in a loop.
     */
    private static final int Q_LWP = 1, Q_SUSPEND = 2, Q_CHILD = 3, Q_PPWAIT = 4, Q_PEERS = 5, Q_NANOSLEEP = 6,
            Q_PIPE_READ = 7, Q_PIPE_WRITE = 8, Q_SIGWAIT = 9, Q_SIGSUSPEND = 10;

    /** p_lwpcv: an LWP exited, was collected, detached, suspended or continued. */
    public static final Channel LWPWAIT = new LwpWait();
    /** A suspended LWP ({@code _lwp_suspend}) waits to be continued. */
    public static final Channel SUSPEND = new Suspend();
    /** A stopped LWP (job control) waits to be continued; the queue of {@link #SUSPEND}. */
    public static final Channel STOP = new Stop();
    /** A parent waits for its children (kern_wait). */
    public static final Channel WAIT = new ChildWait();
    /** An RFPPWAIT parent waits for its child to exit. */
    public static final Channel PPWAIT = new PpWait();
    /** An exiting leader of RFTHREAD peers waits for the peers to be gone. */
    public static final Channel PEERS = new Peers();
    /** {@code nanosleep} ({@code Lwp.sleep}): nobody broadcasts it; the deadline, a signal or a wakeup end it. */
    public static final Channel NANOSLEEP = new NanoSleep();
    /** A reader of an empty pipe waits for data or the last writer's close (keyed by the pipe). */
    public static final Channel PIPE_READ = new PipeRead();
    /** A writer of a full pipe waits for room or the last reader's close (keyed by the pipe). */
    public static final Channel PIPE_WRITE = new PipeWrite();
    /** {@code sigwait} and kin wait for a signal of their set. */
    public static final Channel SIGWAIT = new SigWait();
    /** {@code sigsuspend} waits for a handler to run. */
    public static final Channel SIGSUSPEND = new SigSuspend();

    private final String name;
    private final int queue;

    private Channel(String name, int queue) {
        this.name = name;
        this.queue = queue;
    }

    /**
     * The channel's name, as ps shows it.
     *
     * @return the name
     */
    public final String name() {
        return name;
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof Channel && ((Channel) o).queue == queue;
    }

    @Override
    public final int hashCode() {
        return queue;
    }

    @Override
    public final String toString() {
        return name;
    }

    /** A sleep for a time (nanosleep). */
    static final class NanoSleep extends Channel {
        NanoSleep() {
            super("nanosleep", Q_NANOSLEEP);
        }
    }

    /** _lwp_wait, exit's wait for the other LWPs, and every change they wait for. */
    static final class LwpWait extends Channel {
        LwpWait() {
            super("lwpwait", Q_LWP);
        }
    }

    /** A suspended LWP. */
    static final class Suspend extends Channel {
        Suspend() {
            super("suspend", Q_SUSPEND);
        }
    }

    /** A stopped LWP (SIGSTOP and kin); same queue as Suspend. */
    static final class Stop extends Channel {
        Stop() {
            super("stop", Q_SUSPEND);
        }
    }

    /** wait, waitpid. */
    static final class ChildWait extends Channel {
        ChildWait() {
            super("wait", Q_CHILD);
        }
    }

    /** RFPPWAIT's parent. */
    static final class PpWait extends Channel {
        PpWait() {
            super("ppwait", Q_PPWAIT);
        }
    }

    /** The exiting leader of RFTHREAD peers. */
    static final class Peers extends Channel {
        Peers() {
            super("peers", Q_PEERS);
        }
    }

    /** A pipe's reader. */
    static final class PipeRead extends Channel {
        PipeRead() {
            super("piperd", Q_PIPE_READ);
        }
    }

    /** A pipe's writer. */
    static final class PipeWrite extends Channel {
        PipeWrite() {
            super("pipewr", Q_PIPE_WRITE);
        }
    }

    /** sigwait, sigwaitinfo, sigtimedwait. */
    static final class SigWait extends Channel {
        SigWait() {
            super("sigwait", Q_SIGWAIT);
        }
    }

    /** sigsuspend. */
    static final class SigSuspend extends Channel {
        SigSuspend() {
            super("sigsusp", Q_SIGSUSPEND);
        }
    }
}
