package org.lwp4j.kern;

/**
 * What an uncaught Throwable in an LWP body leaves behind besides the SIGABRT of its process:
 * a report to the thread's uncaught-exception handler, a JFR event, and the cause attached to
 * the {@link org.lwp4j.LwpExit} that unwinds the process's other LWPs.
 */
final class Faults {
    /*
     * Implementation overview.
     *
     * lwpMain catches the Throwable (the body must not kill the thread before the kernel has
     * ended the LWP), so the JVM never calls the thread's UncaughtExceptionHandler. We call it
     * here, as Thread's dispatchUncaughtException would: the thread's own handler if it has
     * one, else its ThreadGroup, which passes it to the default handler or prints the stack
     * trace on System.err. It runs after the process layer has terminated the process with
     * SIGABRT (no lock held), so a handler that blocks holds up only its own thread's end, not
     * the process's exit nor its parent's wait; one that throws is ignored, as the JVM ignores
     * it. The JFR event (org.lwp4j.Fault) is committed before the SIGABRT, so a fault leaves a
     * trace even when nobody waits for the process (a NOWAIT child, reaped by init at once),
     * and it is recorded by the time anyone sees the process gone.
     *
     * The cause of the other LWPs' unwinding: exit1's election stores the master in
     * KProc.exitFaulted when the master faulted, under p.lock before it posts AST_EXIT, and
     * SafePoints.exitUnwind reads it (volatile) after seeing AST_EXIT.
     */

    private Faults() {
    }

    /**
     * Record the Throwable {@code t} that ended the body of the calling LWP {@code l} (JFR),
     * before the process layer acts on it: the event is in the recording before anyone can see
     * the process gone. No lock held; never throws.
     *
     * @param l the LWP whose body threw
     * @param t what it threw
     */
    static void record(KLwp l, Throwable t) {
        try {
            Events.fault(l, t);
        } catch (RuntimeException | Error e) {
            // JFR failing must not keep the LWP from ending
        }
    }

    /**
     * Report the Throwable {@code t} that ended the body of the calling LWP {@code l}, after the
     * process layer has acted on it. No lock held; never throws.
     *
     * @param l the LWP whose body threw
     * @param t what it threw
     */
    static void report(KLwp l, Throwable t) {
        Thread th = Thread.currentThread();
        try {
            th.getUncaughtExceptionHandler().uncaughtException(th, t);
        } catch (Throwable e) {
            // ignored, as the JVM ignores a throwing handler
        }
    }
}
