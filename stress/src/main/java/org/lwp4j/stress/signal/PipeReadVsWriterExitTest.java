package org.lwp4j.stress.signal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.lwp4j.Disposition;
import org.lwp4j.ProcFlags;
import org.lwp4j.Sig;
import org.lwp4j.Lwp;
import org.lwp4j.LwpException;
import org.lwp4j.LwpExit;
import org.lwp4j.Proc;
import org.lwp4j.Signals;
import org.lwp4j.Supervisor;
import org.lwp4j.stress.Actors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Property: a pipe reader racing the exit of the last process holding the write end sees every
 * byte written before the exit, then EOF; it never sleeps through the exit's close.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t PipeReadVsWriterExitTest -m quick}
 */
public class PipeReadVsWriterExitTest {
    private PipeReadVsWriterExitTest() {
    }

    /**
     * A fresh process P (forked with CFDG, so its table holds only this pipe) makes a pipe and
     * forks W, which holds copies of both ends; P then closes its write end and W its read end.
     * One actor enters P and reads until EOF, counting bytes; the other enters W, writes one
     * byte and exits the process (its table, and the last write end, close). Should the reader
     * still be asleep 5 s after the exit, it is sent SIGUSR1 (a lost EOF: EINTR).
     */
    @JCStressTest
    @Description("read until EOF vs the writer's write + exit: the byte, then EOF")
    @Outcome(id = "1, EOF", expect = ACCEPTABLE, desc = "the byte, then EOF when the writer's exit closed the end")
    @Outcome(id = ".*, EINTR", expect = FORBIDDEN, desc = "the reader slept through the exit's close")
    @Outcome(expect = FORBIDDEN, desc = "bytes lost or invented, or an actor failed")
    @State
    public static class Race {
        final int p, w, rd, wr;
        volatile int readerLid;
        volatile String result;

        public Race() {
            p = Actors.inParent(() -> Proc.fork(Actors::parkForever, ProcFlags.CFDG));
            int[] made = Actors.in(p, () -> {
                Signals.sigaction(Sig.SIGUSR1, Disposition.handler(i -> { }));
                int[] fd = Proc.pipe();
                int child = Proc.fork(Actors::parkForever);
                closeQuietly(fd[1]);
                return new int[] {fd[0], fd[1], child};
            });
            rd = made[0];
            wr = made[1];
            w = made[2];
            Actors.runIn(w, () -> closeQuietly(rd));
        }

        static void closeQuietly(int h) {
            try {
                Proc.close(h);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Actor
        public void reader() {
            result = Actors.in(p, () -> {
                readerLid = Lwp.self();
                byte[] b = new byte[16];
                int total = 0;
                try {
                    for (int n; (n = Proc.read(rd, b, 0, b.length)) > 0; ) {
                        total += n;
                    }
                    return total + ", EOF";
                } catch (LwpException e) {
                    return total + ", " + e.errno().name();
                }
            });
        }

        @Actor
        public void writer() {
            Supervisor.Attachment a = Actors.SUPERVISOR.attach(w);
            try {
                Proc.write(wr, new byte[] {42}, 0, 1);
                Proc.exit(0);
            } catch (LwpExit e) {
                // the process is gone; so is its write end
            } finally {
                a.close();
            }
            if (!Actors.yieldUntil(() -> result != null) && readerLid != 0) {
                Actors.in(p, () -> Actors.errnoOf(() -> Signals.lwpKill(readerLid, Sig.SIGUSR1)));
            }
        }

        @Arbiter
        public void arbiter(LL_Result r) {
            Actors.in(p, () -> Proc.waitpid(w, 0));
            Actors.killAndReap(p);
            String[] parts = String.valueOf(result).split(", ");
            r.r1 = parts[0];
            r.r2 = parts.length > 1 ? parts[1] : "?";
        }
    }
}
