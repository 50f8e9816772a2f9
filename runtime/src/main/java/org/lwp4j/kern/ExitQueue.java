package org.lwp4j.kern;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The dead-LWP hand-off: a multi-producer, single-consumer FIFO queue in which no thread ever
 * waits for another. Exiting LWPs {@link #offer} themselves; the dead-LWP reaper, alone,
 * {@link #poll}s. Internal (the package is not exported); public for the stress tests.
 *
 * <p>Progress: {@link #offer} is lock-free (a failed compare-and-set means another producer's
 * succeeded) and {@link #poll} is wait-free: it never spins on, or waits for, a producer that
 * was preempted half-way. Memory effects: actions of a producer before {@code offer(e)}
 * happen-before the consumer's {@code poll()} that returns {@code e}.
 */
public final class ExitQueue<E> {
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
     * parallelism", IBM RJ 5118, 1986) with a consumer-side reversal. A producer links its node
     * to the current top and publishes it with one compare-and-set of `top`: the node is whole
     * (item and next written) before anyone can reach it, so there is no half-linked state. The
     * consumer takes the whole stack with one getAndSet(null), reverses it into its private
     * `batch` (oldest first) and hands out items from there. Everything in one taken stack was
     * offered before everything in the next, and a reversed stack is in offer order, so the
     * queue is FIFO overall (per producer included).
     *
     * Cost: one node and one CAS per offer (plus a retry per concurrent offer that won), one
     * getAndSet per batch for the consumer. Contention on `top` is the price of never waiting:
     * a losing CAS retries at once; it cannot be starved by a preempted thread, only by others
     * that succeed. Nodes are reclaimed by the GC (no ABA: a node is never reused).
     */

    private static final class Node<E> {
        final E item;
        Node<E> next;

        Node(E item) {
            this.item = item;
        }
    }

    /** Newest offered node; null when the producers' side is empty. */
    private volatile Node<E> top;
    /** Taken from `top`, oldest first; the consumer's alone. */
    private Node<E> batch;

    /**
     * Add {@code e} (not null). Lock-free; any thread.
     *
     * @return true if the producers' side was empty before, i.e. a consumer that found the
     *         queue empty may be asleep and should be woken
     */
    public boolean offer(E e) {
        if (e == null) {
            throw new NullPointerException("e");
        }
        Node<E> n = new Node<>(e);
        for (;;) {
            Node<E> t = top;
            n.next = t;
            if (TOP.compareAndSet(this, t, n)) {
                return t == null;
            }
            Thread.onSpinWait(); // another producer got in first: retry
        }
    }

    /** The oldest item, or null if there is none. Wait-free; the single consumer only. */
    public E poll() {
        Node<E> b = batch;
        if (b == null) {
            b = takeAll();
            if (b == null) {
                return null;
            }
        }
        batch = b.next;
        b.next = null;
        return b.item;
    }

    /** True if nothing is queued. The consumer only (it reads its batch). */
    public boolean isEmpty() {
        return batch == null && top == null;
    }

    /** Take the producers' stack and reverse it (oldest first). */
    @SuppressWarnings("unchecked")
    private Node<E> takeAll() {
        Node<E> n = (Node<E>) TOP.getAndSet(this, (Node<E>) null);
        Node<E> reversed = null;
        while (n != null) {
            Node<E> next = n.next;
            n.next = reversed;
            reversed = n;
            n = next;
        }
        return reversed;
    }

    // VarHandle mechanics
    private static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(ExitQueue.class, "top", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
