package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/** The platform thread of an LWP; finding the current LWP is one type check and one field read. */
final class LwpThread extends Thread {
    /*
     * The start gate. The thread is started by the supervisor's thread starter, which is user
     * code: it may start the thread and then throw, or return without starting it. So the new
     * thread does not run the LWP until its creator has seen the starter return (GO); if the
     * starter threw after starting it, the creator abandons it (ABANDONED) and the thread ends
     * without running anything, and the create answers EAGAIN having changed nothing. The
     * creator decides right after the starter returns, so the new thread rarely finds the gate
     * still PENDING (a thread takes tens of microseconds to come up); if it does, it spins a
     * little, then parks (WAITING) until the decision unparks it.
     */
    private static final int PENDING = 0, WAITING = 1, GO = 2, ABANDONED = 3;
    private static final int GATE_SPINS = 64;

    final KLwp lwp;
    private volatile int gate;

    LwpThread(KLwp lwp) {
        super(null, null, lwp.threadName(), 0, false);
        this.lwp = lwp;
        setDaemon(true);
    }

    /** The creator: the starter returned; let the LWP run. */
    void open() {
        decide(GO);
    }

    /** The creator: the starter threw after starting this thread; it ends without running. */
    void abandon() {
        decide(ABANDONED);
    }

    private void decide(int d) {
        if ((int) GATE.getAndSet(this, d) == WAITING) {
            LockSupport.unpark(this);
        }
    }

    @Override
    public void run() {
        if (gate != GO && !passGate()) {
            return;
        }
        lwp.kernel.lifecycle.lwpMain(lwp);
    }

    /** Wait for the creator's decision; true for GO. */
    private boolean passGate() {
        for (int i = 0; i < GATE_SPINS && gate == PENDING; i++) {
            Thread.onSpinWait();
        }
        if (GATE.compareAndSet(this, PENDING, WAITING)) {
            while (gate == WAITING) {
                LockSupport.park(this);
            }
        }
        return gate == GO;
    }

    // VarHandle mechanics
    private static final VarHandle GATE;

    static {
        try {
            GATE = MethodHandles.lookup().findVarHandle(LwpThread.class, "gate", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
