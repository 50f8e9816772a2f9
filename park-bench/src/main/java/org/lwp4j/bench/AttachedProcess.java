package org.lwp4j.bench;

import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH worker thread as the first LWP of a process of its own (a child of init) for the
 * whole trial: the parent of the processes a benchmark forks. It cannot be an LWP of init,
 * because init reaps its zombie children at once and so has nothing to wait for. When the
 * thread detaches at teardown, its process exits.
 *
 * <p>As with {@link AttachedLwp}, use it either as a benchmark argument or as a {@code @Setup}
 * argument of another state, not both.
 */
@State(Scope.Thread)
public class AttachedProcess {
    int pid;
    private SupervisorState owner;
    private Supervisor.Attachment attachment;

    @Setup(Level.Trial)
    public void attach(SupervisorState s) {
        owner = s;
        attachment = s.sup.attachNewProcess();
        s.attached.incrementAndGet();
        pid = attachment.pid();
        if (Proc.getpid() != pid) {
            throw new IllegalStateException("attachNewProcess: getpid() " + Proc.getpid() + " != " + pid);
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
}
