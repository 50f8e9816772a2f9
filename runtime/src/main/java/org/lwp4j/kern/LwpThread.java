package org.lwp4j.kern;

/** The platform thread of an LWP; finding the current LWP is one type check and one field read. */
final class LwpThread extends Thread {
    final KLwp lwp;

    LwpThread(KLwp lwp) {
        super(null, null, lwp.threadName(), 0, false);
        this.lwp = lwp;
        setDaemon(true);
    }

    @Override
    public void run() {
        lwp.kernel.lifecycle.lwpMain(lwp);
    }
}
