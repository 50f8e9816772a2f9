package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The thread starter is user code (issue 10): one that starts the thread and then throws, or
 * returns without starting it, makes create and fork answer EAGAIN with its exception as the
 * cause, and nothing else happens: the body does not run, no thread outlives the call, no id
 * is used up.
 */
@Timeout(120)
class ThreadStarterTest {
    /** A starter that misbehaves while {@code mode} says so: "throw-after-start", "no-start". */
    private static Consumer<Thread> starter(AtomicReference<String> mode) {
        return t -> {
            String m = mode.get();
            if (m.equals("no-start")) {
                return;
            }
            t.start();
            if (m.equals("throw-after-start")) {
                throw new IllegalStateException("starter failed after starting " + t.getName());
            }
        };
    }

    private static void check(String how) {
        AtomicReference<String> mode = new AtomicReference<>("ok");
        try (Supervisor sup = Supervisor.builder().threadStarter(starter(mode)).start();
             var me = sup.attachNewProcess()) {
            List<Thread> threads = sup.liveThreads();
            int records = sup.lwpCount();
            AtomicBoolean ran = new AtomicBoolean();
            mode.set(how);
            LwpException e = expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> ran.set(true)), "create");
            assertInstanceOf(IllegalStateException.class, e.getCause(), "the starter's failure is the cause");
            expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> ran.set(true)), "fork");
            await(() -> sup.liveThreads().equals(threads), () -> "no thread outlives the call: " + sup.liveThreads());
            assertFalse(ran.get(), "the body never ran");
            assertEquals(records, sup.lwpCount(), "no LWP record left");
            assertEquals(2, sup.processCount(), "no process left");
            mode.set("ok");
            AtomicInteger self = new AtomicInteger();
            int lid = Lwp.create(() -> self.set(Lwp.self()));
            assertEquals(2, lid, "no lid used up");
            assertEquals(lid, Lwp.waitFor(lid));
            int pid = Proc.fork(() -> { });
            assertEquals(me.pid() + 1, pid, "no pid used up");
            assertTrue(Proc.waitpid(pid, 0).exited());
        }
    }

    @Test
    void aStarterThatStartsTheThreadAndThenThrowsChangesNothing() {
        check("throw-after-start");
    }

    @Test
    void aStarterThatReturnsWithoutStartingTheThreadChangesNothing() {
        check("no-start");
    }
}
