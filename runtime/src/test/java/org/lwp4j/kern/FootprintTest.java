package org.lwp4j.kern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Lwp;
import org.lwp4j.Supervisor;
import org.lwp4j.sleep.SleepTable;
import org.lwp4j.sleep.Waiter;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * The memory an LWP costs beyond its platform thread, measured with JOL on a live LWP record.
 *
 * <p>Method: the record's shallow size is {@code ClassLayout.parseInstance(record).instanceSize()}.
 * What it holds of its own is every non-null reference field of the record (its class and its
 * {@link Waiter} superclass) except the objects it only points at and that are not its own:
 * its Thread, its process (also its sleep key), the Kernel, the body Runnable, other waiters
 * (queue links), the sleep-table bucket and the kernel channel objects. Those owned objects are
 * walked with {@code GraphLayout.parseInstance}; record + owned = retained beyond the thread.
 * The per-LWP share of the kernel's tables (sleep-table buckets, the LWP map slot) is printed
 * too, amortized over 1024 LWPs; those are not part of the record.
 *
 * <p>The test prints nothing unless run with {@code -Dlwp4j.footprint.print=true}
 * ({@code mvn -B -ntp -pl runtime test -Dtest=FootprintTest -Dlwp4j.footprint.print=true}): then
 * it prints the layout, the owned objects and the table shares the README quotes. JOL's own
 * warning that it found no Instrumentation (it does not need one here: the sizes come from
 * its Unsafe-based layout) is kept out of the output.
 */
@Timeout(60)
class FootprintTest {
    private static final int GOAL = 256;
    private static final boolean PRINT = Boolean.getBoolean("lwp4j.footprint.print");

    /** JOL's VM, initialised with System.out captured: JOL prints its attach warnings there. */
    private static void quietJol() {
        PrintStream out = System.out;
        ByteArrayOutputStream jolSays = new ByteArrayOutputStream();
        System.setOut(new PrintStream(jolSays, true));
        try {
            VM.current();
        } finally {
            System.setOut(out);
        }
        if (PRINT) {
            out.print(jolSays);
        }
    }

    @Test
    void anLwpRecordCostsAtMost256BytesBeyondItsThread() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            AtomicReference<KLwp> record = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch hold = new CountDownLatch(1);
            int lid = Lwp.create(() -> {
                record.set(SafePoints.current());
                ready.countDown();
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Lwp.setName(lid, "worker-7");
            assertTrue(ready.await(20, TimeUnit.SECONDS), "the LWP started");
            KLwp l = record.get();
            assertNotNull(l);

            quietJol();
            ClassLayout layout = ClassLayout.parseInstance(l);
            long shallow = layout.instanceSize();

            List<Object> owned = new ArrayList<>();
            StringBuilder fields = new StringBuilder();
            for (Class<?> c = l.getClass(); c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object v = f.get(l);
                    String verdict = v == null ? "null" : notOwned(l, v) ? "not its own" : "owned";
                    fields.append(String.format("  %-22s %-12s %s%n", c.getSimpleName() + "." + f.getName(),
                            verdict, v == null ? "" : v.getClass().getName()));
                    if ("owned".equals(verdict)) {
                        owned.add(v);
                    }
                }
            }
            GraphLayout ownedGraph = GraphLayout.parseInstance(owned.toArray());
            long retained = shallow + ownedGraph.totalSize();

            if (PRINT) {
                System.out.println("=== lwp4j footprint, measured with JOL on " + System.getProperty("java.vm.name")
                        + " " + System.getProperty("java.version"));
                System.out.print(VM.current().details());
                System.out.println(layout.toPrintable(l));
                System.out.println("reference fields of the live record:");
                System.out.print(fields);
                System.out.println("objects the record owns:");
                System.out.println(ownedGraph.toFootprint());
                System.out.println("KLwp shallow size: " + shallow + " bytes");
                System.out.println("KLwp + owned objects (retained beyond its Thread): " + retained + " bytes");
                tableShares();
            }
            hold.countDown();
            Lwp.waitFor(lid);

            assertTrue(shallow <= GOAL, "KLwp instance size " + shallow + " > " + GOAL);
        }
    }

    /** Objects the record points at that belong to someone else (see the class comment). */
    private static boolean notOwned(KLwp l, Object v) {
        return v == l.thread || v == l.proc || v == l.kernel || v == l.body
                || v instanceof Waiter || v instanceof Thread || v instanceof KProc || v instanceof Kernel
                || v.getClass().getName().equals("org.lwp4j.sleep.Bucket")
                || v == KProc.CH_LWP || v == KProc.CH_SUSPEND || v == KProc.CH_CHILD || v == KProc.CH_PPWAIT;
    }

    /** Amortized per-LWP shares of the kernel tables, printed for the README (not asserted). */
    private static void tableShares() {
        int n = 1024;
        SleepTable empty = new SleepTable(System::nanoTime);
        SleepTable grown = new SleepTable(System::nanoTime);
        grown.setPopulation(n);
        long sleepShare = (GraphLayout.parseInstance(grown).totalSize()
                - GraphLayout.parseInstance(empty).totalSize()) / n;
        System.out.println("sleep table: " + grown.bucketCount() + " buckets for " + n + " LWPs, "
                + sleepShare + " bytes per LWP");

        ReentrantLock lock = new ReentrantLock();
        LidTable<int[]> table = new LidTable<>(v -> v[0], lock);
        long emptyTable = GraphLayout.parseInstance(table).totalSize();
        long values = 0;
        lock.lock();
        try {
            for (int i = 1; i <= n; i++) {
                int[] v = {i};
                values += ClassLayout.parseInstance(v).instanceSize();
                table.put(v);
            }
        } finally {
            lock.unlock();
        }
        long tableShare = (GraphLayout.parseInstance(table).totalSize() - emptyTable - values) / n;
        System.out.println("LWP table (LidTable, " + table.capacity() + " slots) share: " + tableShare
                + " bytes per LWP");
    }
}
