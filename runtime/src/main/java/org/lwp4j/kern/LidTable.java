package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * A process's LWP table (NetBSD's {@code p_lwps} list with {@code lwp_find}): lid to record, one
 * writer at a time (the holder of the process lock), lookups by anyone without a lock. Internal
 * to the runtime; public only for the stress tests.
 *
 * @param <V> the record type; its lid is read with the function given to the constructor
 */
public final class LidTable<V> {
    /*
     * Implementation overview.
     *
     * Open addressing with linear probing over one power-of-two array of values; the key is not
     * stored, it is the value's own (final) lid. A slot is null (never used), TOMBSTONE (held a
     * value that was removed) or a value. Probing starts at a mixed hash of the lid (lids come
     * in ascending runs; the mix spreads runs that differ by a multiple of the capacity) and
     * goes on past tombstones and other values until the lid's value or a null.
     *
     * Writers are serialised by the process lock (asserted). Readers take no lock: they read
     * the array reference (volatile) and the slots with acquire loads; the writer stores slots
     * with release stores, so a reader that finds a value sees it fully built (as CHM.get).
     *
     * Why a reader never misses a value present throughout its get. The slots from a value's
     * home to the value are non-null when it is inserted (it goes into the first tombstone or
     * null on its path), and in one array a non-null slot turns null only where no present
     * value's path can run: remove turns a tombstone into null only if the next slot is null
     * (then walks back over the tombstones before it), and a path through slot i that did not
     * end at i would go on to i + 1. So every present value's path stays non-null, and a reader
     * stops at a null only beyond the values it could be looking for.
     *
     * Resizing. When live values plus tombstones would pass 3/4 of the array, or when a remove
     * leaves fewer live values than 1/8 of it, the writer copies the live values into a fresh
     * array sized for them (at most 3/8 full), off to the side, and publishes it with one
     * volatile write; it never writes the old array again. A reader still on the old array
     * answers as a get that took effect before the writes made after the copy: the weak
     * consistency of ConcurrentHashMap.get, which this table replaced (it boxed every lid above
     * 127 on every lookup: unparkAll of 1024 LWPs allocated about 15 KB per call). Iteration
     * (slots and at) walks one such array: it sees each value present throughout once, and a
     * value inserted or removed meanwhile at most once.
     *
     * size is volatile so that lwpCount and lwpRecords, which read it without the lock, see
     * fresh counts; used (live plus tombstones) is the writer's alone.
     */

    /** What a removed value's slot holds: readers probe past it, inserts may reuse it. */
    private static final Object TOMBSTONE = new Object();
    static final int MIN_CAPACITY = 8;
    static final int MAX_CAPACITY = 1 << 30;

    private final ToIntFunction<? super V> lidOf;
    private final ReentrantLock writerLock;

    /** The slots; replaced (never written again) on a resize. */
    private volatile Object[] table = new Object[MIN_CAPACITY];
    /** Live values; written under writerLock. */
    private volatile int size;
    /** Live values plus tombstones in table; writerLock only. */
    private int used;

    /**
     * An empty table.
     *
     * @param lidOf      the lid of a value (must not change while the value is in the table)
     * @param writerLock the lock every mutation is made under
     */
    public LidTable(ToIntFunction<? super V> lidOf, ReentrantLock writerLock) {
        this.lidOf = lidOf;
        this.writerLock = writerLock;
    }

    // ------------------------------------------------------------------ readers (no lock)

    /**
     * The value with this lid, or null. Takes no lock; a value found was fully built by the
     * writer that inserted it (its put happens-before this get).
     *
     * @param lid the lid
     * @return the value, or null
     */
    public V get(int lid) {
        Object[] s = table;
        int mask = s.length - 1;
        for (int i = home(lid, mask), n = s.length; n > 0; i = (i + 1) & mask, n--) {
            Object e = AA.getAcquire(s, i);
            if (e == null) {
                return null;
            }
            if (e != TOMBSTONE && lidOf.applyAsInt(cast(e)) == lid) {
                return cast(e);
            }
        }
        return null;
    }

    /**
     * Is a value with this lid in the table? (get(lid) != null)
     *
     * @param lid the lid
     * @return whether one is
     */
    public boolean containsKey(int lid) {
        return get(lid) != null;
    }

    /**
     * The number of values: exact under the writer lock, else a recent count.
     *
     * @return the count
     */
    public int size() {
        return size;
    }

    /**
     * Is the table empty? (size() == 0)
     *
     * @return whether it is
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The slot array to walk with {@link #at}: one snapshot, never written again once the table
     * has moved to another (so a walk under the writer lock may remove what it visits). The
     * allocation-free iteration: {@code for (i = 0; i < s.length; i++) { v = at(s, i); ... }}.
     *
     * @return the current slots
     */
    public Object[] slots() {
        return table;
    }

    /**
     * The value in slot i of a {@link #slots} snapshot, or null if the slot holds none.
     *
     * @param s   a snapshot from slots()
     * @param i   an index below s.length
     * @param <V> the value type of the table the snapshot came from
     * @return the value, or null
     */
    public static <V> V at(Object[] s, int i) {
        Object e = AA.getAcquire(s, i);
        return e == TOMBSTONE ? null : cast(e);
    }

    /**
     * Every value, copied into a new list (one walk of one snapshot), in no particular order.
     *
     * @return the list
     */
    public List<V> values() {
        Object[] s = table;
        List<V> out = new ArrayList<>(size);
        for (int i = 0; i < s.length; i++) {
            V v = at(s, i);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ writer (the lock held)

    /**
     * Insert v under its lid, replacing the value that had that lid. Caller holds the writer lock.
     *
     * @param v the value (not null)
     * @return the value replaced, or null
     * @throws IllegalStateException if the table already holds its maximum number of values
     */
    public V put(V v) {
        assert writerLock.isHeldByCurrentThread();
        int lid = lidOf.applyAsInt(v);
        Object[] s = table;
        int mask = s.length - 1;
        int free = -1; // the first tombstone on the path, else the null that ends it
        for (int i = home(lid, mask), n = s.length; n > 0; i = (i + 1) & mask, n--) {
            Object e = s[i];
            if (e == null) {
                if (free < 0) {
                    free = i;
                }
                break;
            }
            if (e == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (lidOf.applyAsInt(cast(e)) == lid) {
                AA.setRelease(s, i, v);
                return cast(e);
            }
        }
        if (free >= 0 && s[free] == TOMBSTONE) {
            AA.setRelease(s, free, v);
        } else if (free >= 0 && used + 1 <= s.length - (s.length >>> 2)) {
            AA.setRelease(s, free, v);
            used++;
        } else {
            insertFresh(v, size + 1);
        }
        size++;
        return null;
    }

    /**
     * Remove the value with this lid if it is v (the same object). Caller holds the writer lock.
     *
     * @param lid the lid
     * @param v   the value expected there
     * @return whether it was removed
     */
    public boolean remove(int lid, V v) {
        assert writerLock.isHeldByCurrentThread();
        Object[] s = table;
        int mask = s.length - 1;
        for (int i = home(lid, mask), n = s.length; n > 0; i = (i + 1) & mask, n--) {
            Object e = s[i];
            if (e == null) {
                return false;
            }
            if (e == v) {
                AA.setRelease(s, i, TOMBSTONE);
                size--;
                if (size < s.length >>> 3 && s.length > MIN_CAPACITY) {
                    rebuild(size);
                } else {
                    clearTombstoneRun(s, i);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Remove every value. Caller holds the writer lock, or knows that no writer is left (the
     * kernel's close, once every LWP has ended, calls it without the lock: not asserted).
     * Readers see the empty table or the old one.
     */
    public void clear() {
        table = new Object[MIN_CAPACITY];
        used = 0;
        size = 0;
    }

    /** The capacity of the current array (tests). */
    int capacity() {
        return table.length;
    }

    /**
     * Slot i is a fresh tombstone: if the next slot is null, no present value's path runs
     * through i, nor through the tombstones just before it; they become null again.
     */
    private void clearTombstoneRun(Object[] s, int i) {
        int mask = s.length - 1;
        if (s[(i + 1) & mask] != null) {
            return;
        }
        for (int j = i; s[j] == TOMBSTONE; j = (j - 1) & mask) {
            AA.setRelease(s, j, null);
            used--;
        }
    }

    /** Copy the live values and v into a fresh array sized for n, then publish it. */
    private void insertFresh(V v, int n) {
        if (n > MAX_CAPACITY - (MAX_CAPACITY >>> 2)) {
            throw new IllegalStateException("LWP table full: " + size + " values");
        }
        Object[] fresh = copyLive(table, capacityFor(n));
        place(fresh, v);
        used = n;
        table = fresh;
    }

    /** Copy the live values into a fresh array sized for n of them, then publish it. */
    private void rebuild(int n) {
        table = copyLive(table, capacityFor(n));
        used = size;
    }

    private Object[] copyLive(Object[] old, int capacity) {
        Object[] fresh = new Object[capacity];
        for (Object e : old) {
            if (e != null && e != TOMBSTONE) {
                place(fresh, cast(e));
            }
        }
        return fresh;
    }

    /** Plain store of v into the first null of its path in an array not yet published. */
    private void place(Object[] s, V v) {
        int mask = s.length - 1;
        int i = home(lidOf.applyAsInt(v), mask);
        while (s[i] != null) {
            i = (i + 1) & mask;
        }
        s[i] = v;
    }

    /** The smallest power of two, at least MIN_CAPACITY, that n values fill to at most 3/8. */
    static int capacityFor(int n) {
        int c = MIN_CAPACITY;
        while (c < MAX_CAPACITY && (long) n * 8 > (long) c * 3) {
            c <<= 1;
        }
        return c;
    }

    /**
     * Where a lid's probe starts in an array of mask + 1 slots: the golden-ratio multiple, its
     * high half folded in. Public for the tests that build colliding lids.
     *
     * @param lid  the lid
     * @param mask the array length minus one (a power of two minus one)
     * @return the slot index
     */
    public static int home(int lid, int mask) {
        int h = lid * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    @SuppressWarnings("unchecked")
    private static <V> V cast(Object e) {
        return (V) e;
    }

    // ------------------------------------------------------------------ VarHandle mechanics

    private static final VarHandle AA = MethodHandles.arrayElementVarHandle(Object[].class);
}
