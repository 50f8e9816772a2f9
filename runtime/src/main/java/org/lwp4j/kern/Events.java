package org.lwp4j.kern;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR events of lwp4j, in the category "lwp4j". Park and unpark are duration events with a
 * threshold (only long ones are recorded); the life-cycle events are instants. Creating an event
 * whose type is disabled costs a few field writes, and the JIT removes the allocation.
 */
public final class Events {
    private Events() {
    }

    /**
     * The park event's type: park checks it first, so with no recording enabling the event the
     * park path creates no event object and reads no timestamps.
     */
    static final jdk.jfr.EventType PARK = jdk.jfr.EventType.getEventType(Park.class);

    @Name("org.lwp4j.Park")
    @Label("LWP Park")
    @Category("lwp4j")
    @Description("An _lwp_park or parking-lot wait that lasted over the threshold")
    @Threshold("1 ms")
    @StackTrace(false)
    public static final class Park extends Event {
        @Label("PID")
        public int pid;
        @Label("LID")
        public int lid;
        @Label("Hint")
        public String hint;
        @Label("Outcome")
        public String outcome;
    }

    @Name("org.lwp4j.Unpark")
    @Label("LWP Unpark")
    @Category("lwp4j")
    @Description("An _lwp_unpark or _lwp_unpark_all that lasted over the threshold")
    @Threshold("1 ms")
    @StackTrace(false)
    public static final class Unpark extends Event {
        @Label("PID")
        public int pid;
        @Label("Targets")
        public int targets;
    }

    @Name("org.lwp4j.LwpCreate")
    @Label("LWP Create")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class LwpCreate extends Event {
        @Label("PID")
        public int pid;
        @Label("LID")
        public int lid;
        @Label("Flags")
        public int flags;
    }

    @Name("org.lwp4j.LwpExit")
    @Label("LWP Exit")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class LwpExit extends Event {
        @Label("PID")
        public int pid;
        @Label("LID")
        public int lid;
        @Label("Name")
        public String name;
    }

    @Name("org.lwp4j.Fork")
    @Label("Fork")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class Fork extends Event {
        @Label("Parent PID")
        public int ppid;
        @Label("Child PID")
        public int pid;
        @Label("Flags")
        public int flags;
    }

    @Name("org.lwp4j.ProcExit")
    @Label("Process Exit")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class ProcExit extends Event {
        @Label("PID")
        public int pid;
        @Label("Wait Status")
        public int wstatus;
    }

    @Name("org.lwp4j.Wait")
    @Label("Process Wait")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class Wait extends Event {
        @Label("PID")
        public int pid;
        @Label("Reaped PID")
        public int reaped;
    }

    @Name("org.lwp4j.Signal")
    @Label("Signal")
    @Category("lwp4j")
    @StackTrace(false)
    public static final class Signal extends Event {
        @Label("Sender PID")
        public int sender;
        @Label("Target PID")
        public int target;
        @Label("Signal")
        public int signo;
    }

    static void lwpCreate(KLwp l, int flags) {
        LwpCreate e = new LwpCreate();
        if (e.shouldCommit()) {
            e.pid = l.proc.pid;
            e.lid = l.lid;
            e.flags = flags;
            e.commit();
        }
    }

    static void lwpExit(KLwp l) {
        LwpExit e = new LwpExit();
        if (e.shouldCommit()) {
            e.pid = l.proc.pid;
            e.lid = l.lid;
            e.name = l.name;
            e.commit();
        }
    }

    /** Emit a process-exit event (the process layer calls this). */
    public static void procExit(KProc p, int wstatus) {
        ProcExit e = new ProcExit();
        if (e.shouldCommit()) {
            e.pid = p.pid;
            e.wstatus = wstatus;
            e.commit();
        }
    }

    /** Emit a fork event (the process layer calls this). */
    public static void fork(KProc parent, KProc child, int flags) {
        Fork e = new Fork();
        if (e.shouldCommit()) {
            e.ppid = parent.pid;
            e.pid = child.pid;
            e.flags = flags;
            e.commit();
        }
    }

    /** Emit a signal event (the signal layer calls this). */
    public static void signal(int sender, int target, int signo) {
        Signal e = new Signal();
        if (e.shouldCommit()) {
            e.sender = sender;
            e.target = target;
            e.signo = signo;
            e.commit();
        }
    }
}
