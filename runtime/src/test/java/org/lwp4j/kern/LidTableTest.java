package org.lwp4j.kern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LWP table alone ({@link LidTable}), single-threaded: lookups, removal and tombstones,
 * growth and shrinking, iteration, and a long random run checked against a HashMap. Its
 * lock-free readers are the jcstress test {@code LidTableGetVsWriterTest}'s.
 */
@Timeout(60)
class LidTableTest {
    /** A record keyed by its lid; tag tells apart two records with the same lid. */
    record Rec(int lid, String tag) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LidTable<Rec> t = new LidTable<>(Rec::lid, lock);

    @BeforeEach
    void lock() {
        lock.lock();
    }

    @AfterEach
    void unlock() {
        lock.unlock();
    }

    /** Every value in one walk of slots()/at(), failing on a value seen twice. */
    private static List<Rec> walk(LidTable<Rec> t) {
        List<Rec> out = new ArrayList<>();
        Set<Rec> seen = new HashSet<>();
        Object[] s = t.slots();
        for (int i = 0; i < s.length; i++) {
            Rec r = LidTable.at(s, i);
            if (r != null) {
                assertTrue(seen.add(r), "walked twice: " + r);
                out.add(r);
            }
        }
        return out;
    }

    /** n distinct positive lids whose probes start at the same slot of an array of this capacity. */
    private static int[] colliding(int n, int capacity) {
        int[] lids = new int[n];
        int home = LidTable.home(1, capacity - 1);
        for (int lid = 1, k = 0; k < n; lid++) {
            if (LidTable.home(lid, capacity - 1) == home) {
                lids[k++] = lid;
            }
        }
        return lids;
    }

    @Test
    void putGetRemoveAndALidIsAbsentAfterItsRemove() {
        Rec a = new Rec(1, "a"), b = new Rec(200, "b"), c = new Rec(70_000, "c");
        assertNull(t.put(a));
        assertNull(t.put(b));
        assertNull(t.put(c));
        assertEquals(3, t.size());
        assertSame(a, t.get(1));
        assertSame(b, t.get(200));
        assertSame(c, t.get(70_000));
        assertNull(t.get(2));
        assertTrue(t.remove(200, b));
        assertNull(t.get(200));
        assertFalse(t.containsKey(200));
        assertFalse(t.remove(200, b), "removed twice");
        assertEquals(2, t.size());
        assertSame(a, t.get(1));
        assertSame(c, t.get(70_000));
    }

    @Test
    void removeOfAnotherValueUnderTheLidChangesNothingAndPutReplaces() {
        Rec a = new Rec(5, "a"), a2 = new Rec(5, "a2");
        t.put(a);
        assertFalse(t.remove(5, a2));
        assertSame(a, t.get(5));
        assertSame(a, t.put(a2));
        assertSame(a2, t.get(5));
        assertEquals(1, t.size());
        assertEquals(List.of(a2), walk(t));
    }

    @Test
    void collidingLidsAreFoundPastATombstoneAndAnInsertReusesIt() {
        int[] lids = colliding(4, LidTable.MIN_CAPACITY);
        Rec[] r = new Rec[4];
        for (int i = 0; i < 3; i++) {
            r[i] = new Rec(lids[i], "r" + i);
            t.put(r[i]);
        }
        assertEquals(LidTable.MIN_CAPACITY, t.capacity());
        assertTrue(t.remove(lids[1], r[1])); // a tombstone between r0 and r2 on their shared path
        assertSame(r[2], t.get(lids[2]), "the probe stopped at the tombstone");
        assertSame(r[0], t.get(lids[0]));
        int mask = LidTable.MIN_CAPACITY - 1;
        int second = (LidTable.home(lids[0], mask) + 1) & mask;
        Object[] s = t.slots();
        assertNull(LidTable.at(s, second), "slot of the removed value");
        r[3] = new Rec(lids[3], "r3");
        t.put(r[3]);
        assertSame(s, t.slots(), "no resize");
        assertSame(r[3], LidTable.at(s, second), "the insert did not take the tombstone's slot");
        for (int i : new int[] {0, 2, 3}) {
            assertSame(r[i], t.get(lids[i]));
        }
        assertNull(t.get(lids[1]));
    }

    @Test
    void aChurnOfFreshLidsWithFewLiveKeepsTheArraySmall() {
        // lids grow for ever (as a process's do); three live at a time
        for (int lid = 1; lid <= 100_000; lid++) {
            t.put(new Rec(lid, ""));
            if (lid > 3) {
                assertTrue(t.remove(lid - 3, t.get(lid - 3)));
            }
            assertTrue(t.capacity() <= 2 * LidTable.MIN_CAPACITY, "capacity " + t.capacity() + " at lid " + lid);
        }
        assertEquals(3, t.size());
        assertEquals(Set.of(99_998, 99_999, 100_000), lidsOf(walk(t)));
    }

    @Test
    void growsForManyAndShrinksWhenMostAreGone() {
        int n = 5000;
        for (int lid = 1; lid <= n; lid++) {
            t.put(new Rec(lid, ""));
        }
        assertEquals(n, t.size());
        assertTrue(t.capacity() * 3 / 4 >= n, "over the load factor: capacity " + t.capacity());
        assertEquals(Integer.bitCount(t.capacity()), 1);
        for (int lid = 1; lid <= n; lid++) {
            assertEquals(lid, t.get(lid).lid());
        }
        int grown = t.capacity();
        for (int lid = 1; lid <= n - 3; lid++) {
            assertTrue(t.remove(lid, t.get(lid)));
        }
        assertTrue(t.capacity() <= 2 * LidTable.MIN_CAPACITY, "did not shrink from " + grown + ": " + t.capacity());
        assertEquals(Set.of(n - 2, n - 1, n), lidsOf(walk(t)));
        for (int lid = 1; lid <= n - 3; lid++) {
            assertNull(t.get(lid));
        }
    }

    @Test
    void iterationSeesEachLiveValueOnceAndValuesCopiesThem() {
        Set<Integer> live = new HashSet<>();
        for (int lid = 1; lid <= 300; lid++) {
            t.put(new Rec(lid * 7919, ""));
            live.add(lid * 7919);
        }
        for (int lid = 3; lid <= 300; lid += 3) {
            assertTrue(t.remove(lid * 7919, t.get(lid * 7919)));
            live.remove(lid * 7919);
        }
        List<Rec> walked = walk(t);
        assertEquals(live.size(), walked.size());
        assertEquals(live, lidsOf(walked));
        List<Rec> copy = t.values();
        assertEquals(live, lidsOf(copy));
        assertEquals(live.size(), copy.size());
    }

    @Test
    void clearEmptiesAndTheTableIsUsableAfter() {
        for (int lid = 1; lid <= 100; lid++) {
            t.put(new Rec(lid, ""));
        }
        t.clear();
        assertEquals(0, t.size());
        assertTrue(t.isEmpty());
        assertNull(t.get(50));
        assertEquals(List.of(), walk(t));
        t.put(new Rec(50, "again"));
        assertEquals("again", t.get(50).tag());
    }

    @Test
    void aWriterWithoutTheLockIsCaughtByTheAssertion() {
        boolean assertions = false;
        assert assertions = true;
        assumeTrue(assertions, "assertions disabled");
        lock.unlock();
        try {
            assertThrows(AssertionError.class, () -> t.put(new Rec(1, "")));
            assertThrows(AssertionError.class, () -> t.remove(1, null));
            assertTrue(t.isEmpty());
        } finally {
            lock.lock();
        }
    }

    @Test
    void aLongRandomRunAgreesWithAHashMap() {
        Random rnd = new Random(0x1D7AB1E);
        Map<Integer, Rec> ref = new HashMap<>();
        for (int op = 0; op < 100_000; op++) {
            // phases: mostly inserts, then mostly removes, so the table grows and shrinks often
            boolean filling = (op / 5000) % 2 == 0;
            int lid = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 4096);
            int what = rnd.nextInt(10);
            if (what < (filling ? 5 : 2)) {
                Rec r = new Rec(lid, "op" + op);
                assertSame(ref.put(lid, r), t.put(r), "put " + lid + " at op " + op);
            } else if (what < 8) {
                Rec cur = ref.get(lid);
                Rec victim = cur != null && rnd.nextInt(8) != 0 ? cur : new Rec(lid, "other");
                boolean expected = victim == cur && ref.remove(lid, victim);
                assertEquals(expected, t.remove(lid, victim), "remove " + lid + " at op " + op);
            } else {
                assertSame(ref.get(lid), t.get(lid), "get " + lid + " at op " + op);
                assertEquals(ref.containsKey(lid), t.containsKey(lid));
            }
            assertEquals(ref.size(), t.size(), "size at op " + op);
            if (op % 1000 == 0) {
                assertEquals(new HashSet<>(ref.values()), new HashSet<>(walk(t)), "walk at op " + op);
                assertTrue(t.capacity() <= Math.max(2 * LidTable.MIN_CAPACITY, 16 * ref.size()),
                        "capacity " + t.capacity() + " for " + ref.size() + " at op " + op);
            }
        }
    }

    private static Set<Integer> lidsOf(List<Rec> rs) {
        Set<Integer> out = new HashSet<>();
        for (Rec r : rs) {
            out.add(r.lid());
        }
        return out;
    }
}
