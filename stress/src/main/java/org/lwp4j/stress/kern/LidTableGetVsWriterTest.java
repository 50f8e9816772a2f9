package org.lwp4j.stress.kern;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.locks.ReentrantLock;
import org.lwp4j.kern.LidTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.L_Result;

/**
 * Property: the LWP table's lock-free get ({@code LidTable}, what park/unpark use to find a
 * target by lid) racing its one writer. A get of a lid present throughout never misses it,
 * whatever the writer does to other lids on the same probe path meanwhile (tombstones, their
 * reuse and clearing, a grow, a shrink); and a get racing the insert of its own lid answers
 * null or the record with every field the writer set before the insert.
 *
 * <p>Every lid here starts its probe at the same slot of an array of 8 or 16 slots, so each
 * write lands on the reader's path. The records have plain fields: only the
 * table's release store and acquire load publish them.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t LidTableGetVsWriterTest -m quick}
 */
public class LidTableGetVsWriterTest {
    private LidTableGetVsWriterTest() {
    }

    /** A record with plain fields; b is always a + 1 once built. */
    static final class Rec {
        int lid, a, b;

        Rec(int lid, int a) {
            this.lid = lid;
            this.a = a;
            this.b = a + 1;
        }
    }

    /** Ten lids whose probes all start at one slot, in arrays of 8 and of 16 slots. */
    static final int[] CHAIN = chain(10);

    private static int[] chain(int n) {
        int[] lids = new int[n];
        int home = LidTable.home(1, 15);
        for (int lid = 1, k = 0; k < n; lid++) {
            if (LidTable.home(lid, 15) == home) {
                lids[k++] = lid;
            }
        }
        return lids;
    }

    static LidTable<Rec> table(ReentrantLock lock, int... lids) {
        LidTable<Rec> t = new LidTable<>(r -> r.lid, lock);
        locked(lock, () -> {
            for (int lid : lids) {
                t.put(new Rec(lid, lid));
            }
        });
        return t;
    }

    /** Run body as the table's writer: holding its lock. */
    static void locked(ReentrantLock lock, Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }

    /** The writer of the two insert variants: CHAIN[2], built with a = 42 and b = 43. */
    static void insert(ReentrantLock lock, LidTable<Rec> t) {
        locked(lock, () -> t.put(new Rec(CHAIN[2], 42)));
    }

    /**
     * CHAIN[3] is present throughout, fourth on its path. The writer tombstones a lid before it
     * and clears one after it, reuses the tombstone, grows the array from 8 slots to 32, then
     * removes the others (shrinking it back to 8); the reader looks CHAIN[3] up eight times.
     */
    @JCStressTest
    @Description("a get of a lid present throughout, racing writes of other lids on its path")
    @Outcome(id = "found", expect = ACCEPTABLE, desc = "every get found the lid")
    @Outcome(id = "missing", expect = FORBIDDEN, desc = "a get missed a lid that was in the table all along")
    @Outcome(expect = FORBIDDEN, desc = "a get answered another record")
    @State
    public static class PresentThroughout {
        final ReentrantLock lock = new ReentrantLock();
        final LidTable<Rec> t = table(lock, CHAIN[0], CHAIN[1], CHAIN[2], CHAIN[3], CHAIN[4]);
        final Rec key = t.get(CHAIN[3]);

        @Actor
        public void writer() {
            locked(lock, () -> {
                t.remove(CHAIN[1], t.get(CHAIN[1])); // a tombstone before the key
                t.remove(CHAIN[4], t.get(CHAIN[4])); // after it, followed by null: cleared
                for (int i = 5; i <= 9; i++) {
                    t.put(new Rec(CHAIN[i], CHAIN[i])); // the tombstone reused, then a grow
                }
                for (int i : new int[] {0, 2, 5, 6, 7, 8, 9}) {
                    t.remove(CHAIN[i], t.get(CHAIN[i])); // a shrink on the way down
                }
            });
        }

        @Actor
        public void reader(L_Result r) {
            String out = "found";
            for (int i = 0; i < 8; i++) {
                Rec x = t.get(CHAIN[3]);
                if (x == null) {
                    out = "missing";
                } else if (x != key) {
                    out = "other " + x.lid;
                }
            }
            r.r1 = out;
        }
    }

    /** The writer inserts the reader's lid into a free slot of the array the reader walks. */
    @JCStressTest
    @Description("a get racing the insert of its lid (no resize)")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "not yet inserted")
    @Outcome(id = "42, 43", expect = ACCEPTABLE, desc = "found, fully built")
    @Outcome(expect = FORBIDDEN, desc = "found before its fields were visible")
    @State
    public static class InsertIntoSlot {
        final ReentrantLock lock = new ReentrantLock();
        final LidTable<Rec> t = table(lock, CHAIN[0], CHAIN[1]);

        @Actor
        public void writer() {
            insert(lock, t);
        }

        @Actor
        public void reader(II_Result r) {
            read(t, r);
        }
    }

    /** The insert of the reader's lid passes the load factor: it goes into a fresh, larger array. */
    @JCStressTest
    @Description("a get racing the insert of its lid that grows the table")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "not yet inserted (or the old array read)")
    @Outcome(id = "42, 43", expect = ACCEPTABLE, desc = "found in the new array, fully built")
    @Outcome(expect = FORBIDDEN, desc = "found before its fields were visible")
    @State
    public static class InsertWithResize {
        final ReentrantLock lock = new ReentrantLock();
        final LidTable<Rec> t = table(lock, CHAIN[0], CHAIN[1], CHAIN[3], CHAIN[4], CHAIN[5], CHAIN[6]);

        @Actor
        public void writer() {
            insert(lock, t);
        }

        @Actor
        public void reader(II_Result r) {
            read(t, r);
        }
    }

    static void read(LidTable<Rec> t, II_Result r) {
        Rec x = t.get(CHAIN[2]);
        r.r1 = x == null ? -1 : x.a;
        r.r2 = x == null ? -1 : x.b;
    }
}
