package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.LeavesLwpsRunning;
import org.lwp4j.SupervisorExtension.Limits;
import org.lwp4j.SupervisorExtension.Started;

/**
 * The test fixture itself: what it hands a test, and that its teardown fails a test that leaves
 * a process behind or breaks a kernel invariant (fixture classes run through the launcher).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class SupervisorExtensionTest {
    @Started
    private Supervisor field;

    @Test
    void aTestGetsAStartedSupervisorAndItsThreadAsANewProcess(Supervisor sup, Supervisor.Attachment me) {
        assertSame(field, sup, "the field and the parameter are the one supervisor of the test");
        assertEquals(2, me.pid(), "init is 1, the test thread's process 2");
        assertEquals(me.pid(), Proc.getpid());
        assertEquals(1, Proc.getppid());
        assertEquals(0, Proc.getuid());
        assertEquals(2, sup.processCount());
    }

    @Test
    void attachInitEntersTheTestThreadIntoInit(Supervisor sup, @Attach(init = true) Supervisor.Attachment me) {
        assertEquals(1, me.pid());
        assertEquals(1, Proc.getpid());
        assertEquals(1, sup.processCount());
    }

    @Test
    void attachUidSetsTheNewProcessesCredentials(@Attach(uid = 1000) Supervisor.Attachment me) {
        assertEquals(1000, Proc.getuid());
        assertEquals(1000, Proc.getgid());
    }

    @Test
    @Limits(maxProc = 3, maxLwpPerProc = 2)
    void limitsConfigureTheTestsSupervisor(Supervisor.Attachment me) {
        CountDownLatch go = new CountDownLatch(1);
        int child = Proc.fork(ProcTestSupport.waitFor(go));
        expectErrno(Errno.EAGAIN, () -> Proc.fork(() -> { }), "maxProc 3: init, us, child");
        int lwp = Lwp.create(() -> LwpTestSupport.awaitLatch(go, "lwp"));
        expectErrno(Errno.EAGAIN, () -> Lwp.create(() -> { }), "maxLwpPerProc 2");
        go.countDown();
        assertEquals(lwp, Lwp.waitFor(lwp));
        ProcTestSupport.reapExited(child, 0);
    }

    @Test
    void supervisorsStartedThroughTheExtensionAreSeparateFromTheTestsOwn(Supervisor sup,
            SupervisorExtension.Supervisors sups) {
        Supervisor other = sups.start(Supervisor.builder().maxPid(50));
        assertTrue(other != sup);
        assertEquals(1, other.processCount(), "its own init");
        assertEquals(1, sup.processCount());
    }

    @Test
    void auditAnswersNullOnASoundKernelAndNamesABrokenJobControlCount(Supervisor sup) throws Exception {
        assertNull(sup.audit());
        Object g = group(sup, 1);
        Field jobc = g.getClass().getDeclaredField("jobc");
        jobc.setAccessible(true);
        int was = jobc.getInt(g);
        jobc.setInt(g, was + 1);
        try {
            String a = sup.audit();
            assertNotNull(a, "a wrong pg_jobc is found");
            assertTrue(a.startsWith("job control: "), a);
        } finally {
            jobc.setInt(g, was);
        }
        assertNull(sup.audit());
    }

    @Test
    void theTeardownFailsATestThatLeavesAProcessRunning() {
        String m = failureOf("leavesAProcessRunning", "the test's processes and LWPs end");
        assertTrue(m.contains("forever"), "the message shows ps: " + m);
        assertClosedClean(Fixtures.seen);
    }

    @Test
    void leavesLwpsRunningSkipsTheQuiescenceWaitAndStillClosesAndChecks() {
        Throwable t = run("saysItLeavesAProcessRunning");
        assertNull(t, String.valueOf(t));
        assertClosedClean(Fixtures.seen);
    }

    @Test
    void theTeardownFailsATestThatBreaksAKernelInvariant() {
        failureOf("breaksJobControl", "kernel audit at quiescence");
        assertClosedClean(Fixtures.seen);
    }

    @Test
    void aFailedTestKeepsItsOwnFailureAndItsSupervisorIsClosed() {
        assertEquals("the test's own failure", failureOf("failsWithAProcessRunning", "own failure"));
        assertClosedClean(Fixtures.seen);
    }

    @Test
    void anExtraSupervisorIsCheckedAfterTheTestToo() {
        failureOf("breaksJobControlInAnExtraSupervisor", "kernel audit at quiescence");
        assertClosedClean(Fixtures.kept);
    }

    /** Run the fixture; it must fail with a message containing {@code text}; answers the message. */
    private static String failureOf(String fixture, String text) {
        Throwable t = run(fixture);
        assertNotNull(t, fixture + " failed");
        assertTrue(t.getMessage().contains(text), t.getMessage());
        return t.getMessage();
    }

    private static void assertClosedClean(Supervisor s) {
        assertNotNull(s, "the fixture ran");
        assertEquals(0, s.processCount(), "closed by the teardown");
        assertTrue(s.liveThreads().isEmpty(), s.liveThreads().toString());
        expectErrno(Errno.ESRCH, s::attachNewProcess, "attach after close");
    }

    private static Object group(Supervisor sup, int pgid) throws Exception {
        Field f = sup.procLayer().getClass().getDeclaredField("pgrps");
        f.setAccessible(true);
        sup.kernel().tree.lock();
        try {
            return ((Map<?, ?>) f.get(sup.procLayer())).get(pgid);
        } finally {
            sup.kernel().tree.unlock();
        }
    }

    /** Run one fixture method through the launcher; answers what failed it, or null. */
    private static Throwable run(String fixture) {
        Fixtures.seen = null;
        Fixtures.kept = null;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> ran = new ArrayList<>();
        TestExecutionListener l = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult r) {
                if (id.isTest()) {
                    ran.add(id.getDisplayName());
                    failure.set(r.getThrowable().orElse(null));
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(Fixtures.class, fixtureMethod(fixture))).build(), l);
        assertEquals(1, ran.size(), "one fixture test ran: " + ran);
        return failure.get();
    }

    private static Method fixtureMethod(String name) {
        for (Method m : Fixtures.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no fixture " + name);
    }

    /** Tests that break the rules on purpose; run only through {@link #run(String)}. */
    @ExtendWith(SupervisorExtension.class)
    static final class Fixtures {
        static volatile Supervisor seen;
        static volatile Supervisor kept;

        @Test
        void leavesAProcessRunning(Supervisor sup, Supervisor.Attachment me) {
            seen = sup;
            Proc.fork(ProcTestSupport::parkForever);
        }

        @Test
        @LeavesLwpsRunning("the fixture's point")
        void saysItLeavesAProcessRunning(Supervisor sup, Supervisor.Attachment me) {
            seen = sup;
            Proc.fork(ProcTestSupport::parkForever);
        }

        @Test
        void breaksJobControl(Supervisor sup) throws Exception {
            seen = sup;
            breakJobControl(sup);
        }

        private static void breakJobControl(Supervisor sup) throws Exception {
            Object g = group(sup, 1);
            Field jobc = g.getClass().getDeclaredField("jobc");
            jobc.setAccessible(true);
            jobc.setInt(g, jobc.getInt(g) + 1);
        }

        @Test
        void failsWithAProcessRunning(Supervisor sup, Supervisor.Attachment me) {
            seen = sup;
            Proc.fork(ProcTestSupport::parkForever);
            throw new AssertionError("the test's own failure");
        }

        @Test
        void breaksJobControlInAnExtraSupervisor(SupervisorExtension.Supervisors sups) throws Exception {
            kept = sups.start(Supervisor.builder());
            breakJobControl(kept);
        }
    }
}
