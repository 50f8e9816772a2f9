package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Signals.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Signals.Disposition;

/**
 * Which siginfo a pending signal delivers: standard signals coalesce keeping the first
 * instance (FreeBSD sigqueue_add); real-time signals and sigqueue queue every instance.
 */
@Timeout(60)
class SigQueueTest {
    private final Supervisor sup = Supervisor.start();

    @AfterEach
    void close() {
        sup.close();
    }

    private static List<SigInfo> catching(int sig) {
        List<SigInfo> got = new CopyOnWriteArrayList<>();
        sigaction(sig, Disposition.handler(got::add));
        return got;
    }

    @Test
    void aSecondInstanceOfAPendingStandardSignalIsDroppedAndTheFirstSiginfoKept() {
        try (var a = sup.attachNewProcess()) {
            int me = Proc.getpid();
            List<SigInfo> got = catching(SIGUSR1);
            sigprocmask(SIG_BLOCK, sigmask(SIGUSR1));
            kill(me, SIGUSR1);
            int c = Proc.fork(() -> kill(me, SIGUSR1));
            reapExited(c, 0);
            sigprocmask(SIG_UNBLOCK, sigmask(SIGUSR1));
            assertEquals(List.of(new SigInfo(SIGUSR1, SI_USER, me, 0)), got,
                    "one delivery, with the first sender's siginfo");
        }
    }
}
