package org.lwp4j.bench;

import org.lwp4j.Lwp;
import org.lwp4j.Supervisor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH worker thread as an LWP of init for the whole trial.
 *
 * <p>Every benchmark thread that calls lwp4j holds this state. Attaching to init (rather than
 * each worker to a process of its own) keeps all benchmark LWPs in one process, because an LWP
 * can only name, unpark and wait for LWPs of its own process. JMH runs a thread-scoped state's
 * trial setup and teardown on the worker thread that uses it (its executor threads are stable
 * for the trial), which {@link Supervisor.Attachment#close()} checks. JMH tears states down in
 * the reverse order of their setup, so a state whose {@code @Setup} takes this one is torn down
 * while the thread is still attached.
 *
 * <p>Use it either as an argument of the benchmark method or as a {@code @Setup} argument of
 * another state, not both: JMH 1.37 then makes two instances for one thread, and the second
 * attach fails ("already an LWP").
 */
@State(Scope.Thread)
public class AttachedLwp {
    int lid;
    private SupervisorState owner;
    private Supervisor.Attachment attachment;

    @Setup(Level.Trial)
    public void attach(SupervisorState s) {
        owner = s;
        attachment = s.sup.attach();
        s.attached.incrementAndGet();
        lid = attachment.lid();
        if (Lwp.self() != lid) {
            throw new IllegalStateException("attach: self() " + Lwp.self() + " != " + lid);
        }
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
