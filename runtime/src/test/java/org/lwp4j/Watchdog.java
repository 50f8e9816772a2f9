package org.lwp4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a test that would hang: if the guarded section has not finished within its bound, prints
 * a thread dump (identical stacks grouped, so that 10,000 parked LWPs take one entry), interrupts
 * the guarded thread, and makes {@link #close()} fail with what it was waiting for. lwp4j's
 * waits are interruptible, so the interrupt usually ends the section with EINTR.
 */
final class Watchdog implements AutoCloseable {
    private final String what;
    private final long millis;
    private final Thread guarded = Thread.currentThread();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread dog;
    private volatile String dump;

    private Watchdog(String what, long millis) {
        this.what = what;
        this.millis = millis;
        dog = new Thread(this::watch, "watchdog: " + what);
        dog.setDaemon(true);
        dog.start();
    }

    /** Guard the calling thread for {@code millis}. */
    static Watchdog start(String what, long millis) {
        return new Watchdog(what, millis);
    }

    private void watch() {
        try {
            if (done.await(millis, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        dump = threadDump();
        System.err.println("watchdog: " + what + " not done within " + millis + " ms\n" + dump);
        guarded.interrupt();
    }

    /** Every live thread's stack, identical stacks counted once. */
    static String threadDump() {
        Map<String, Integer> stacks = new TreeMap<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StringBuilder sb = new StringBuilder();
            sb.append(e.getKey().getState()).append('\n');
            StackTraceElement[] st = e.getValue();
            for (int i = 0; i < Math.min(st.length, 24); i++) {
                sb.append("    at ").append(st[i]).append('\n');
            }
            stacks.merge(sb.toString(), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        stacks.forEach((s, n) -> out.append(n).append(" thread(s) ").append(s));
        return out.toString();
    }

    /** Fails if the bound passed (the dump is on stderr); clears an interrupt it caused. */
    @Override
    public void close() {
        done.countDown();
        try {
            dog.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dump != null) {
            Thread.interrupted();
            fail("watchdog: " + what + " not done within " + millis + " ms (thread dump on stderr)");
        }
    }
}
