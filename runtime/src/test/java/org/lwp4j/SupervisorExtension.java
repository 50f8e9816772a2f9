package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The one set-up and teardown of the tests that run on a supervisor, and the kernel's audits
 * after every test.
 *
 * <p>A test (or a {@code @BeforeEach} method) asks by parameter type, each at most once per test:
 * <ul>
 *   <li>{@link Supervisor}: the test's supervisor, started with the default limits, or with the
 *       ones a {@link Limits} on the method (else on the class) names;
 *   <li>{@link Supervisor.Attachment}: the test thread entered into it, as a new process
 *       ({@link Supervisor#attachNewProcess(int)} with {@link Attach#uid()}) or, with
 *       {@code @Attach(init = true)}, as an LWP of init;
 *   <li>a field marked {@link Started} gets the same supervisor, for classes whose helpers use it;
 *   <li>{@link Supervisors}: for a test that needs a builder no annotation can say (a thread
 *       starter, a clock) or a second supervisor; what it starts is checked the same way.
 * </ul>
 *
 * <p>After each test, whatever it did: the attachment is closed (the test thread leaves, if it
 * has not), then for each supervisor, in the order the test got them:
 * <ol>
 *   <li>when the test passed: wait (bounded) until only init is left, with no LWP record, and
 *       assert that {@link Supervisor#audit()} finds the sleep table's queues and every group's
 *       job-control count sound. A test that leaves LWPs running on purpose, for close to kill,
 *       says so with {@link LeavesLwpsRunning}; it skips this step, as a failed test does;
 *   <li>close the supervisor;
 *   <li>when the test passed: assert that no platform thread it started is alive, that no
 *       process, LWP record, linked waiter, group or session is left, and that the audit of the
 *       tables that remain still passes (after a {@link LeavesLwpsRunning} test, the waiters of
 *       attached threads that close killed are first given a bounded time to leave).
 * </ol>
 * A failed test is reported as it failed; the teardown's own failures are added to it as
 * suppressed exceptions (as Caffeine's cache validation listener checks only after a successful
 * test and always cleans up).
 */
final class SupervisorExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SupervisorExtension.class);

    /** Builder limits for the test's supervisor; 0 keeps a limit's default. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface Limits {
        int maxProc() default 0;

        int maxProcPerUid() default 0;

        int maxLwpPerProc() default 0;

        int maxLid() default 0;

        int maxPid() default 0;

        long closeTimeoutMillis() default 0;

        /** The LWP cache's bound; -1 keeps the default, 0 turns the cache off. */
        int lwpCache() default -1;
    }

    /**
     * On a non-static {@link Supervisor} field of the test class: set to the test's supervisor
     * before each test (and before its {@code @BeforeEach} methods), for classes whose helpers
     * read it.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Started {
    }

    /** How the test thread enters, on a {@link Supervisor.Attachment} parameter. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Attach {
        /** Enter as an LWP of init instead of as a new process. */
        boolean init() default false;

        /** The new process's uid (and gid). */
        int uid() default 0;
    }

    /**
     * The test leaves LWPs running for {@link Supervisor#close()} to kill (what it tests may be
     * that close does): the extension does not wait for quiescence, and audits only after close.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @interface LeavesLwpsRunning {
        /** Why. */
        String value();
    }

    /** Starts extra supervisors that the extension tears down and checks like the test's own. */
    static final class Supervisors {
        private final State state;

        private Supervisors(State state) {
            this.state = state;
        }

        /** Start a supervisor from {@code b}; it is closed and checked after the test. */
        Supervisor start(Supervisor.Builder b) {
            Supervisor s = b.start();
            state.supervisors.add(s);
            return s;
        }
    }

    /** One test's supervisors and attachment. */
    private static final class State {
        final List<Supervisor> supervisors = new ArrayList<>();
        Supervisor own;
        Supervisor.Attachment attachment;
        Method method;
    }

    @Override
    public void beforeEach(ExtensionContext ctx) throws IllegalAccessException {
        State st = state(ctx);
        st.method = ctx.getRequiredTestMethod();
        Object test = ctx.getRequiredTestInstance();
        for (Field f : AnnotationSupport.findAnnotatedFields(test.getClass(), Started.class)) {
            if (f.getType() != Supervisor.class || Modifier.isStatic(f.getModifiers())) {
                throw new IllegalStateException("@Started goes on an instance field of type Supervisor: " + f);
            }
            f.setAccessible(true);
            f.set(test, own(st, ctx));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ctx) {
        Class<?> t = pc.getParameter().getType();
        return (t == Supervisor.class || t == Supervisor.Attachment.class || t == Supervisors.class)
                && pc.getDeclaringExecutable() instanceof Method && ctx.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ctx) {
        State st = state(ctx);
        Class<?> t = pc.getParameter().getType();
        if (t == Supervisors.class) {
            return new Supervisors(st);
        }
        Supervisor sup = own(st, ctx);
        if (t == Supervisor.class) {
            return sup;
        }
        if (st.attachment != null) {
            throw new ParameterResolutionException("one attachment per test: the test thread is already an LWP");
        }
        Attach how = pc.findAnnotation(Attach.class).orElse(null);
        st.attachment = how != null && how.init() ? sup.attach() : sup.attachNewProcess(how == null ? 0 : how.uid());
        return st.attachment;
    }

    private static State state(ExtensionContext ctx) {
        return ctx.getStore(NS).getOrComputeIfAbsent(State.class, k -> new State(), State.class);
    }

    private static Supervisor own(State st, ExtensionContext ctx) {
        if (st.own == null) {
            st.own = builder(ctx).start();
            st.supervisors.add(0, st.own);
        }
        return st.own;
    }

    private static Supervisor.Builder builder(ExtensionContext ctx) {
        Optional<Limits> l = AnnotationSupport.findAnnotation(ctx.getTestMethod(), Limits.class)
                .or(() -> AnnotationSupport.findAnnotation(ctx.getTestClass(), Limits.class));
        Supervisor.Builder b = Supervisor.builder();
        l.ifPresent(x -> {
            if (x.maxProc() > 0) {
                b.maxProc(x.maxProc());
            }
            if (x.maxProcPerUid() > 0) {
                b.maxProcPerUid(x.maxProcPerUid());
            }
            if (x.maxLwpPerProc() > 0) {
                b.maxLwpPerProc(x.maxLwpPerProc());
            }
            if (x.maxLid() > 0) {
                b.maxLid(x.maxLid());
            }
            if (x.maxPid() > 0) {
                b.maxPid(x.maxPid());
            }
            if (x.closeTimeoutMillis() > 0) {
                b.closeTimeout(Duration.ofMillis(x.closeTimeoutMillis()));
            }
            if (x.lwpCache() >= 0) {
                b.lwpCache(x.lwpCache());
            }
        });
        return b;
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        State st = ctx.getStore(NS).remove(State.class, State.class);
        if (st == null) {
            return;
        }
        boolean passed = ctx.getExecutionException().isEmpty();
        boolean quiesce = passed && AnnotationSupport.findAnnotation(ctx.getTestMethod(), LeavesLwpsRunning.class)
                .or(() -> AnnotationSupport.findAnnotation(ctx.getTestClass(), LeavesLwpsRunning.class)).isEmpty();
        List<Throwable> failures = new ArrayList<>();
        if (st.attachment != null) {
            run(failures, st.attachment::close);
        }
        for (Supervisor sup : st.supervisors) {
            if (quiesce) {
                run(failures, () -> auditAtQuiescence(sup));
            }
            run(failures, sup::close);
            if (passed) {
                boolean draining = !quiesce;
                run(failures, () -> assertLeftNothing(sup, draining));
            }
        }
        if (failures.isEmpty()) {
            return;
        }
        if (!passed) {
            Throwable t = ctx.getExecutionException().get();
            failures.forEach(t::addSuppressed);
            return; // JUnit reports the test's own failure, with these attached
        }
        AssertionError e = new AssertionError("teardown of " + st.method.getName() + ": " + failures.get(0), failures.get(0));
        failures.subList(1, failures.size()).forEach(e::addSuppressed);
        throw e;
    }

    private interface Step {
        void run() throws Throwable;
    }

    private static void run(List<Throwable> failures, Step s) {
        try {
            s.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    /** Wait until the test's processes and LWPs have ended (init alone is left), then audit. */
    static void auditAtQuiescence(Supervisor sup) {
        LwpTestSupport.await(() -> sup.processCount() == 1 && sup.lwpCount() == 0,
                () -> "the test's processes and LWPs end (or mark the test @LeavesLwpsRunning); left:\n" + sup.ps());
        assertNull(sup.audit(), "kernel audit at quiescence");
    }

    /**
     * After close: nothing left, and the remaining tables still audit clean. Close joins the
     * threads it started but not the foreign threads a test attached (a victim's): one that
     * close killed while it slept may still be linked in the sleep table when close returns,
     * until it wakes and unwinds. So after a test that left LWPs for close ({@code draining}),
     * the linked waiters are awaited (bounded) to drain; after any other test there is none.
     */
    static void assertLeftNothing(Supervisor sup, boolean draining) {
        assertTrue(sup.liveThreads().isEmpty(), () -> "threads left after close: " + sup.liveThreads());
        assertEquals(0, sup.processCount(), "process table empty after close");
        assertEquals(0, sup.lwpCount(), "no LWP record after close");
        if (draining) {
            LwpTestSupport.await(() -> sup.sleepStats().linkedWaiters() == 0,
                    () -> "the attached threads close killed leave the sleep table: " + sup.sleepStats());
        }
        assertEquals(0, sup.sleepStats().linkedWaiters(), "no waiter linked in the sleep table after close");
        assertArrayEquals(new int[] {0, 0}, sup.procLayer().groupCounts(), "group and session tables empty");
        assertNull(sup.audit(), "kernel audit after close");
    }
}
