package org.lwp4j.kern;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import org.lwp4j.Sig;

/**
 * JFR events of lwp4j, in the category "lwp4j". Park, unpark and kernel waits are duration events
 * with a threshold (only long ones are recorded); stops and suspensions are duration events
 * recorded whole; the life-cycle events and faults are instants. Every event carries the id of
 * its supervisor, and is committed on the LWP's own thread where there is one, so its event
 * thread is named {@code lwp pid/lid name} (attached threads are renamed while attached). Creating an event
 * whose type is disabled costs a few field writes, and the JIT removes the allocation.
 */
public final class Events {
    private Events() {
    }

    /** What every lwp4j event carries: its supervisor's id. Category and stack-trace setting are inherited. */
    @Category("lwp4j")
    @StackTrace(false)
    public abstract static class KernelEvent extends Event {
        @Label("Supervisor")
        @Description("Id of the supervisor (several may share a JVM); the org.lwp4j:type=Supervisor,id=N MBean")
        public int supervisor;
    }

    /** An event of one process. */
    public abstract static class ProcEvent extends KernelEvent {
        @Label("PID")
        public int pid;

        public final void of(KProc p) {
            supervisor = p.kernel.id;
            pid = p.pid;
        }
    }

    /** An event of one LWP. */
    public abstract static class LwpEvent extends ProcEvent {
        @Label("LID")
        public int lid;

        public final void of(KLwp l) {
            of(l.proc);
            lid = l.lid;
        }
    }

    /**
     * The park event's type: park checks it first, so with no recording enabling the event the
     * park path creates no event object and reads no timestamps.
     */
    static final jdk.jfr.EventType PARK = jdk.jfr.EventType.getEventType(Park.class);

    @Name("org.lwp4j.Park")
    @Label("LWP Park")
    @Description("An _lwp_park or parking-lot wait that lasted over the threshold")
    @Threshold("1 ms")
    public static final class Park extends LwpEvent {
        @Label("Hint")
        public String hint;
        @Label("Outcome")
        public String outcome;
    }

    @Name("org.lwp4j.Unpark")
    @Label("LWP Unpark")
    @Description("An _lwp_unpark or _lwp_unpark_all that lasted over the threshold")
    @Threshold("1 ms")
    public static final class Unpark extends ProcEvent {
        @Label("Targets")
        public int targets;
    }

    @Name("org.lwp4j.LwpCreate")
    @Label("LWP Create")
    public static final class LwpCreate extends LwpEvent {
        @Label("Flags")
        public int flags;
    }

    @Name("org.lwp4j.LwpExit")
    @Label("LWP Exit")
    public static final class LwpExit extends LwpEvent {
        @Label("Name")
        public String name;
    }

    @Name("org.lwp4j.Fork")
    @Label("Fork")
    public static final class Fork extends KernelEvent {
        @Label("Parent PID")
        public int ppid;
        @Label("Child PID")
        public int pid;
        @Label("Flags")
        public int flags;
    }

    @Name("org.lwp4j.ProcExit")
    @Label("Process Exit")
    public static final class ProcExit extends ProcEvent {
        @Label("Wait Status")
        public int wstatus;
    }

    @Name("org.lwp4j.Wait")
    @Label("Process Wait")
    public static final class Wait extends ProcEvent {
        @Label("Reaped PID")
        public int reaped;
    }

    @Name("org.lwp4j.Signal")
    @Label("Signal")
    public static final class Signal extends KernelEvent {
        @Label("Sender PID")
        public int sender;
        @Label("Target PID")
        public int target;
        @Label("Signal")
        public int signo;
        @Label("Signal Name")
        public String signame;
    }

    @Name("org.lwp4j.KernelWait")
    @Label("Kernel Wait")
    @Description("A kernel wait (_lwp_wait, wait, exit's waits, RFPPWAIT) that lasted over the threshold")
    @Threshold("1 ms")
    public static final class KernelWait extends LwpEvent {
        @Label("Channel")
        public String channel;
    }

    @Name("org.lwp4j.Stop")
    @Label("LWP Stop")
    @Description("An LWP stopped by job control (stop) or suspended by _lwp_suspend (suspend), until it ran again or ended")
    public static final class Stop extends LwpEvent {
        @Label("Kind")
        @Description("stop (job control) or suspend (_lwp_suspend); the last of the two when both held")
        public String kind;
    }

    @Name("org.lwp4j.Fault")
    @Label("LWP Fault")
    @Description("An uncaught Throwable ended an LWP body; its process is terminated with SIGABRT (init's LWP just ends)")
    public static final class Fault extends LwpEvent {
        @Label("Name")
        public String name;
        @Label("Exception")
        public String exception;
        @Label("Message")
        public String message;
        @Label("Throwable Stack Trace")
        @Description("The Throwable's own stack trace, as printStackTrace writes it (first 8 KiB)")
        public String throwableTrace;
    }

    /** The kernel-wait event type: a kernel wait makes no event while no recording enables it. */
    static final jdk.jfr.EventType KERNEL_WAIT = jdk.jfr.EventType.getEventType(KernelWait.class);
    /** The stop event type. */
    static final jdk.jfr.EventType STOP = jdk.jfr.EventType.getEventType(Stop.class);

    /** A kernel wait's event, begun; null when no recording enables it. */
    static KernelWait kernelWaitBegin() {
        if (!KERNEL_WAIT.isEnabled()) {
            return null;
        }
        KernelWait e = new KernelWait();
        e.begin();
        return e;
    }

    /** End and commit (if over the threshold) a kernel wait's event begun by kernelWaitBegin. */
    static void kernelWaitEnd(KernelWait e, KLwp me, Object channel) {
        if (e == null) {
            return;
        }
        e.end();
        if (e.shouldCommit()) {
            e.of(me);
            e.channel = String.valueOf(channel);
            e.commit();
        }
    }

    /** A stop's event, begun; null when no recording enables it. */
    static Stop stopBegin() {
        if (!STOP.isEnabled()) {
            return null;
        }
        Stop e = new Stop();
        e.begin();
        return e;
    }

    /** End and commit a stop's event; {@code kind} null: the LWP never stopped (no event). */
    static void stopEnd(Stop e, KLwp l, String kind) {
        if (e == null || kind == null) {
            return;
        }
        e.end();
        if (e.shouldCommit()) {
            e.of(l);
            e.kind = kind;
            e.commit();
        }
    }

    private static final int STACK_CHARS = 8192;

    /** Emit a fault event for the uncaught {@code t} that ended LWP {@code l}. */
    static void fault(KLwp l, Throwable t) {
        Fault e = new Fault();
        if (e.shouldCommit()) {
            e.of(l);
            e.name = l.name;
            e.exception = t.getClass().getName();
            java.io.StringWriter w = new java.io.StringWriter();
            try {
                e.message = t.getMessage();
                t.printStackTrace(new java.io.PrintWriter(w));
            } catch (RuntimeException | Error x) {
                w.write(e.exception); // a hostile getMessage or getStackTrace
            }
            String st = w.toString();
            e.throwableTrace = st.length() > STACK_CHARS ? st.substring(0, STACK_CHARS) : st;
            e.commit();
        }
    }

    static void lwpCreate(KLwp l, int flags) {
        LwpCreate e = new LwpCreate();
        if (e.shouldCommit()) {
            e.of(l);
            e.flags = flags;
            e.commit();
        }
    }

    static void lwpExit(KLwp l) {
        LwpExit e = new LwpExit();
        if (e.shouldCommit()) {
            e.of(l);
            e.name = l.name;
            e.commit();
        }
    }

    /** Emit a process-exit event (the process layer calls this). */
    public static void procExit(KProc p, int wstatus) {
        ProcExit e = new ProcExit();
        if (e.shouldCommit()) {
            e.of(p);
            e.wstatus = wstatus;
            e.commit();
        }
    }

    /** Emit a fork event (the process layer calls this). */
    public static void fork(KProc parent, KProc child, int flags) {
        Fork e = new Fork();
        if (e.shouldCommit()) {
            e.supervisor = parent.kernel.id;
            e.ppid = parent.pid;
            e.pid = child.pid;
            e.flags = flags;
            e.commit();
        }
    }

    /** Emit a signal event (the signal layer calls this). */
    public static void signal(int sender, KProc target, int signo) {
        Signal e = new Signal();
        if (e.shouldCommit()) {
            e.supervisor = target.kernel.id;
            e.sender = sender;
            e.target = target.pid;
            e.signo = signo;
            e.signame = Sig.name(signo);
            e.commit();
        }
    }
}
