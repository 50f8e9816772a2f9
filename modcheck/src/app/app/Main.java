package app;

import org.lwp4j.Wait;
import java.util.concurrent.atomic.AtomicBoolean;
import org.lwp4j.IdType;
import org.lwp4j.Lwp;
import org.lwp4j.Proc;
import org.lwp4j.Supervisor;
import org.lwp4j.WaitResult;

/**
 * The module-path check (modcheck/run.sh): a user module that requires org.lwp4j starts a
 * supervisor and goes through the LWP life cycle (create, park / unpark, wait, the dead-LWP
 * reaper), a fork, exit and wait, and close, then prints {@code modcheck: ok}. Any error, or a
 * JVM warning line, fails the check.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try (Supervisor sup = Supervisor.start();
             Supervisor.Attachment me = sup.attachNewProcess()) {
            int self = Lwp.self();
            for (int round = 0; round < 50; round++) {
                AtomicBoolean done = new AtomicBoolean();
                int lid = Lwp.create(() -> {
                    done.set(true);
                    Lwp.unpark(self, "modcheck");
                });
                while (!done.get()) {
                    Lwp.park("modcheck");
                }
                check(Lwp.waitFor(lid) == lid, "waitFor answered another LWP");
            }
            int pid = Proc.fork(() -> Proc.exit(7));
            WaitResult r = Proc.wait(IdType.P_PID, pid, Wait.WEXITED);
            check(r.exited() && r.exitStatus() == 7, "wait reported " + r);
            check(!sup.ps().rows().isEmpty(), "ps listed nothing");
        }
        System.out.println("modcheck: ok");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
