package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The dead-LWP hand-off: a multi-producer, single-consumer FIFO queue in which no thread ever
 * waits for another. Exiting LWPs {@link #offer} themselves; the dead-LWP reaper, alone,
 * {@link #poll}s. Internal (the package is not exported); public for the stress tests. The
 * items carry their own link ({@link Linked}: the LWP record does), so an offer allocates
 * nothing; {@link Box} carries any other item.
 *
 * <p>Progress: {@link #offer} is lock-free (a failed compare-and-set means another producer's
 * succeeded) and {@link #poll} is wait-free: it never spins on, or waits for, a producer that
 * was preempted half-way. Memory effects: actions of a producer before {@code offer(e)}
 * happen-before the consumer's {@code poll()} that returns {@code e}.
 */
public final class ExitQueue<E extends ExitQueue.Linked> {
    /*
     * Implementation overview.
     *
     * Why not an array queue. jctools' MpscUnboundedXaddArrayQueue hands each producer a slot
     * with getAndAdd and has the producer whose index opens the next chunk append that chunk;
     * every later producer spins until it is there, and the consumer spins on a claimed slot
     * that is not written yet. With 5,000 LWPs exiting at once on 2 cores the one producer that
     * had to append got no CPU against thousands of spinners: a livelock (issue 10). The linked
     * queues without a chunk (MpscLinkedQueue) still leave a window between a producer's swap of
     * the tail and its link of the previous node, in which the consumer must either spin or
     * report empty while the queue is not.
     *
     * This queue is a Treiber stack (R. K. Treiber, "Systems programming: coping with
     * parallelism", IBM RJ 5118, 1986) with a consumer-side reversal. A producer links its item
     * to the current top and publishes it with one compare-and-set of `top`: the item is whole
     * (its link written) before anyone can reach it, so there is no half-linked state. The
     * consumer takes the whole stack with one getAndSet(null), reverses it into its private
     * `batch` (oldest first) and hands out items from there. Everything in one taken stack was
     * offered before everything in the next, and a reversed stack is in offer order, so the
     * queue is FIFO overall (per producer included).
     *
     * Intrusive links. The link lives in the item (Linked), as NetBSD's deadlwp list links
     * lwps through l_list: no node per offer. An item is offered at most once in its life (an
     * LWP exits once; a Box is made per offer), so a link is never reused: no ABA, and the
     * link belongs to the producer until its CAS, then to the consumer.
     *
     * Cost: one CAS per offer (plus a retry per concurrent offer that won), one getAndSet per
     * batch for the consumer. Contention on `top` is the price of never waiting: a losing CAS
     * retries at once; it cannot be starved by a preempted thread, only by others that succeed.
     */

    /**
     * An item that carries the queue's link. Offered at most once in its life; the link is the
     * queue's alone (written by the producer before its offer publishes the item, then by the
     * consumer).
     */
    public interface Linked {
        /** The link: the item offered before this one, or after it once the consumer has reversed them. */
        Linked exitNext();

        /** Set the link (the queue only). */
        void exitNext(Linked next);
    }

    /** Any item, boxed with a link of its own: one box per offer. */
    public static final class Box<T> implements Linked {
        /** The item. */
        public final T item;
        private Linked next;

        public Box(T item) {
            this.item = item;
        }

        @Override
        public Linked exitNext() {
            return next;
        }

        @Override
        public void exitNext(Linked next) {
            this.next = next;
        }
    }

    /** Newest offered item; null when the producers' side is empty. */
    private volatile Linked top;
    /** Taken from `top`, oldest first; the consumer's alone. */
    private Linked batch;

    /**
     * Add {@code e} (not null, never offered before). Lock-free; any thread.
     *
     * @return true if the producers' side was empty before, i.e. a consumer that found the
     *         queue empty may be asleep and should be woken
     */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("e");
        }
        for (;;) {
            Linked t = top;
            e.exitNext(t);
            if (TOP.compareAndSet(this, t, e)) {
                return t == null;
            }
            Thread.onSpinWait(); // another producer got in first: retry
        }
    }

    /** The oldest item, or null if there is none. Wait-free; the single consumer only. */
    @SuppressWarnings("unchecked")
    public E poll() {
        Linked b = batch;
        if (b == null) {
            b = takeAll();
            if (b == null) {
                return null;
            }
        }
        batch = b.exitNext();
        b.exitNext(null);
        return (E) b;
    }

    /** True if nothing is queued. The consumer only (it reads its batch). */
    public boolean isEmpty() {
        return batch == null && top == null;
    }

    /** Take the producers' stack and reverse it (oldest first). */
    private Linked takeAll() {
        Linked n = (Linked) TOP.getAndSet(this, (Linked) null);
        Linked reversed = null;
        while (n != null) {
            Linked next = n.exitNext();
            n.exitNext(reversed);
            reversed = n;
            n = next;
        }
        return reversed;
    }

    // VarHandle mechanics
    private static final VarHandle TOP = Handles.field(MethodHandles.lookup(), "top", Linked.class);
}
