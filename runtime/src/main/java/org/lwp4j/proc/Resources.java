package org.lwp4j.proc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.lwp4j.Errno;
import org.lwp4j.LwpException;

/**
 * The process resource table: the JVM's stand-in for DragonFly's {@code struct filedesc}.
 */
final class Resources {
    /*
     * Implementation overview.
     *
     * A table maps small integer handles to entries; an entry (DragonFly's struct file) holds
     * one AutoCloseable and a count of the table slots that refer to it. Handles are allocated
     * lowest-free-first, as fdalloc does.
     *
     * Sharing follows rfork: a fork without FDG/CFDG shares the whole table (fdshare: one
     * table, `holders` counts the processes using it); FDG copies it (fdcopy: a new table whose
     * slots point at the same entries, each entry's count raised by one); CFDG starts an empty
     * table (fdinit). When a process exits it releases its table; the last holder empties it,
     * and an entry whose count reaches zero is closed then (closef). So an AutoCloseable is
     * closed exactly once, when the last slot that refers to it goes away: by close(handle) or
     * by the exit of the last process holding a table that has it.
     *
     * Races: processes sharing a table run in parallel, so the table's slots and `holders` are
     * guarded by its monitor. Entries may be shared between tables (after a copy), so their
     * counts are atomic. close() of the AutoCloseable is always called with no lock held.
     */
    static final class Entry {
        final AutoCloseable resource;
        final AtomicInteger count = new AtomicInteger(1);

        Entry(AutoCloseable resource) {
            this.resource = resource;
        }
    }

    private Entry[] slots = new Entry[8];
    private int holders = 1;

    /**
     * fdalloc: the lowest free handle. A resource already in this table (the same object) gets
     * a second handle on the same entry, as dup does: it is closed once, when its last handle
     * goes, not once per open.
     */
    synchronized int open(AutoCloseable r, String call) {
        checkLive(call);
        Entry e = null;
        for (Entry x : slots) {
            if (x != null && x.resource == r) {
                e = x;
                break;
            }
        }
        int h = 0;
        while (h < slots.length && slots[h] != null) {
            h++;
        }
        if (h == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        if (e == null) {
            e = new Entry(r);
        } else {
            e.count.incrementAndGet();
        }
        slots[h] = e;
        return h;
    }

    synchronized AutoCloseable get(int h, String call) {
        return slot(h, call).resource;
    }

    /** Remove the handle; answers the entry to close (count reached 0) or null. */
    Entry remove(int h, String call) {
        Entry e;
        synchronized (this) {
            e = slot(h, call);
            slots[h] = null;
        }
        return e.count.decrementAndGet() == 0 ? e : null;
    }

    private Entry slot(int h, String call) {
        if (h < 0 || h >= slots.length || slots[h] == null) {
            throw new LwpException(Errno.EBADF, call);
        }
        return slots[h];
    }

    private void checkLive(String call) {
        if (holders == 0) {
            throw new LwpException(Errno.EBADF, call + ": the table is closed");
        }
    }

    synchronized int count() {
        int n = 0;
        for (Entry e : slots) {
            if (e != null) {
                n++;
            }
        }
        return n;
    }

    /** Handles in use, ascending. */
    synchronized int[] handles() {
        int[] out = new int[count()];
        int j = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** fdshare: one more process holds this table. */
    synchronized Resources share() {
        holders++;
        return this;
    }

    /** fdcopy: a new table referring to the same entries. */
    synchronized Resources copy() {
        Resources t = new Resources();
        t.slots = slots.clone();
        for (Entry e : t.slots) {
            if (e != null) {
                e.count.incrementAndGet();
            }
        }
        return t;
    }

    /**
     * fdfree: one holder lets go; the last one empties the table and closes every entry whose
     * count reaches 0. Exceptions thrown by close() are collected, not thrown: an exiting
     * process cannot report them.
     */
    List<Throwable> release() {
        Entry[] old;
        synchronized (this) {
            if (holders == 0 || --holders > 0) {
                return List.of();
            }
            old = slots;
            slots = new Entry[1];
        }
        List<Throwable> errors = new ArrayList<>(0);
        for (Entry e : old) {
            if (e != null && e.count.decrementAndGet() == 0) {
                try {
                    e.resource.close();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }
        }
        return errors;
    }
}
