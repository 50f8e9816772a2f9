package org.lwp4j.bench;

import org.lwp4j.Lwp;
import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH worker thread attached to the trial's supervisor for the whole trial, in one of two
 * places (the states below, which differ only in where they enter):
 * <ul>
 *   <li>{@link Init}: an LWP of init. Every benchmark thread that parks, unparks or waits for
 *       LWPs holds this state: attaching every worker to init (rather than each to a process of
 *       its own) keeps all benchmark LWPs in one process, because an LWP can only name, unpark
 *       and wait for LWPs of its own process.</li>
 *   <li>{@link Process}: the first LWP of a process of its own (a child of init), the parent of
 *       the processes a benchmark forks. It cannot be an LWP of init, because init reaps its
 *       zombie children at once and so has nothing to wait for. When the thread detaches at
 *       teardown, its process exits.</li>
 * </ul>
 *
 * <p>JMH runs a thread-scoped state's trial setup and teardown on the worker thread that uses it
 * (its executor threads are stable for the trial), which {@link Supervisor.Attachment#close()}
 * checks. JMH tears states down in the reverse order of their setup, so a state whose
 * {@code @Setup} takes this one is torn down while the thread is still attached. The attached
 * threads are counted in {@link SupervisorState}, whose close waits for them to leave.
 *
 * <p>Use a state either as an argument of the benchmark method or as a {@code @Setup} argument
 * of another state, not both: JMH 1.37 then makes two instances for one thread, and the second
 * attach fails ("already an LWP").
 */
public abstract class Attached {
    /** The worker's LWP id and its process. */
    int lid;
    int pid;
    private SupervisorState owner;
    private Supervisor.Attachment attachment;

    /** Enter the calling thread into {@code sup}. */
    abstract Supervisor.Attachment enter(Supervisor sup);

    @Setup(Level.Trial)
    public void attach(SupervisorState s) {
        owner = s;
        attachment = enter(s.sup);
        s.attached.incrementAndGet();
        lid = attachment.lid();
        pid = attachment.pid();
        if (Lwp.self() != lid || Proc.getpid() != pid) {
            throw new IllegalStateException("attach: self() " + Lwp.self() + " / getpid() " + Proc.getpid()
                    + " != " + lid + " / " + pid);
        }
    }

    /** The supervisor the thread is attached to. */
    Supervisor supervisor() {
        return owner.sup;
    }

    @TearDown(Level.Trial)
    public void detach() {
        try {
            attachment.close();
        } finally {
            owner.attached.decrementAndGet();
        }
    }

    /** The worker thread as an LWP of init. */
    @State(Scope.Thread)
    public static class Init extends Attached {
        @Override
        Supervisor.Attachment enter(Supervisor sup) {
            return sup.attach();
        }
    }

    /** The worker thread as the first LWP of a process of its own. */
    @State(Scope.Thread)
    public static class Process extends Attached {
        @Override
        Supervisor.Attachment enter(Supervisor sup) {
            return sup.attachNewProcess();
        }
    }
}
