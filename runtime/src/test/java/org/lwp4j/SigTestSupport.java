package org.lwp4j;

import static org.lwp4j.LwpTestSupport.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.lwp4j.kern.KLwp;
import org.lwp4j.kern.KProc;

/** Processes to signal, and views of their state, for the signal tests. */
final class SigTestSupport {
    private SigTestSupport() {
    }

    /** Install a handler for {@code sig} that adds each delivery's info to the list answered. */
    static List<SigInfo> catchSignal(int sig) {
        List<SigInfo> got = new CopyOnWriteArrayList<>();
        Signals.sigaction(sig, Disposition.handler(got::add));
        return got;
    }

    /**
     * A process entered by a thread of its own: it runs {@code setup} as its first LWP, then
     * sleeps in the runtime (parks, re-checking every few ms) until {@link #quit()} or its end.
     */
    static final class Victim implements AutoCloseable {
        final Supervisor sup;
        final Thread thread;
        private final CompletableFuture<Integer> pidF = new CompletableFuture<>();
        private final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private volatile boolean quit;

        Victim(Supervisor sup, int uid, Runnable setup) {
            this.sup = sup;
            thread = new Thread(() -> {
                Throwable out = null;
                try (var a = sup.attachNewProcess(uid)) {
                    pidF.complete(a.pid());
                    setup.run();
                    ready.complete(null);
                    while (!quit) {
                        for (Runnable r; (r = tasks.poll()) != null; ) {
                            r.run();
                        }
                        Lwp.parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5), "victim");
                    }
                } catch (Throwable t) {
                    out = t;
                    pidF.completeExceptionally(t);
                    ready.completeExceptionally(t);
                }
                end.complete(out);
            }, "victim");
            thread.setDaemon(true);
            thread.start();
        }

        Victim(Supervisor sup, int uid) {
            this(sup, uid, () -> { });
        }

        /** The victim's pid, once its setup has run. */
        int pid() {
            try {
                ready.get(LwpTestSupport.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("victim did not start", e);
            }
            return attachedPid();
        }

        /** The victim's pid, as soon as it has entered (its setup may still run, or have ended it). */
        int attachedPid() {
            try {
                return pidF.get(LwpTestSupport.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("victim did not attach", e);
            }
        }

        KProc proc() {
            return sup.kernel().findProc(pid());
        }

        /** What ended the victim's thread's LWP (an LwpExit when killed; null when it quit). */
        Throwable awaitEnd() {
            try {
                return end.get(LwpTestSupport.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("victim did not end: " + sup.ps(), e);
            }
        }

        /** Run {@code r} on the victim's own LWP (between its parks); wait for it, bounded. */
        void run(Runnable r) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            tasks.add(() -> {
                try {
                    r.run();
                    f.complete(null);
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                    throw t;
                }
            });
            try {
                f.get(LwpTestSupport.WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("victim task failed", e.getCause());
            } catch (Exception e) {
                throw new AssertionError("victim task did not run", e);
            }
        }

        /** Hand {@code r} to the victim's LWP without waiting for it. */
        void post(Runnable r) {
            tasks.add(r);
        }

        void quit() {
            quit = true;
        }

        @Override
        public void close() {
            quit();
        }
    }

    /** Wait until the process has exited (a zombie, or gone). */
    static void awaitExited(Supervisor sup, int pid) {
        await(() -> {
            KProc p = sup.kernel().findProc(pid);
            return p == null || p.pstat() == KProc.SZOMB || p.pstat() == KProc.SDEAD;
        }, () -> "process " + pid + " exited\n" + sup.ps());
    }

    /** Every live LWP of p satisfies {@code st} (on KLwp.stat()), and there is one. */
    static boolean allLwps(KProc p, IntPredicate st) {
        List<KLwp> l = p.lwpList();
        int live = 0;
        for (KLwp t : l) {
            int s = t.stat();
            if (s == KLwp.LSZOMB || s == KLwp.LSDEAD) {
                continue;
            }
            live++;
            if (!st.test(s)) {
                return false;
            }
        }
        return live > 0;
    }

    static void awaitAllStopped(Supervisor sup, KProc p) {
        await(() -> allLwps(p, s -> s == KLwp.LSSTOP || s == KLwp.LSSUSPENDED),
                () -> "every LWP of " + p + " stopped\n" + sup.ps());
    }

    /** Read a tree-guarded field of p under the tree lock. */
    static <T> T underTree(Supervisor sup, java.util.function.Supplier<T> f) {
        sup.kernel().tree.lock();
        try {
            return f.get();
        } finally {
            sup.kernel().tree.unlock();
        }
    }
}
