package org.lwp4j.sleep;

/**
 * How long one kind of sleep of one waiter spins before it blocks: an adaptive budget in
 * nanoseconds (Agrona's {@code BackoffIdleStrategy} is the model: a small policy object with
 * named states and {@link #reset()}). Each waiter has two, one for parks and parking-lot waits
 * and one for kernel waits, so that neither kind of sleep starves the other's probes. Owner only:
 * no field is shared.
 */
final class SpinBudget {
    /*
     * States, decided at each sleep by next(), for a budget whose longest spin is `most`:
     *
     *   SPIN    budget > 0: spin up to budget ns, then block
     *   PROBE   budget == 0 and this is the 2^probeShift-th sleep: spin the longest once, to see
     *           whether wakes come fast again (a probe must outlast a blocked partner's wake-up)
     *   BLOCK   budget == 0 otherwise: block at once
     *
     * After a spin that ran to its end (done): a wake doubles the budget (to at least
     * MIN_SPIN_NANOS, at most `most`) and brings probes back to every 16 sleeps; a probe that
     * came back empty leaves the budget at 0 and doubles the interval to the next probe (up to
     * every 1024 sleeps); a spin that came back empty halves the budget, to 0 below
     * MIN_SPIN_NANOS. A spin cut short (interrupt, deadline) calls nothing: the budget stays.
     * A BLOCK whose wait was answered before it slept (an await: answeredUnspun) counts as a
     * probe that paid: without it, two sides of a hand-off whose budgets a passing disturbance
     * (a JIT compile, a descheduled partner) took to zero could block for seconds, each side
     * spinning again only when its own probe met the other's spin.
     *
     * `most` is passed in rather than kept: the sleep table knows it for each kind, and two
     * ints fewer per budget keep the LWP record small.
     */
    /** A budget that halves below this is zero: too short to catch a wake from another core. */
    static final int MIN_SPIN_NANOS = 500;
    static final int MIN_PROBE_SHIFT = 4, MAX_PROBE_SHIFT = 10;

    /** The current budget, ns. */
    int budget;
    /** A zero budget is probed every 2^probeShift sleeps. */
    int probeShift = MIN_PROBE_SHIFT;
    /** Sleeps of this kind begun (counted whether or not they spun). */
    int sleeps;

    SpinBudget(int most) {
        this.budget = most;
    }

    /** A sleep of this kind begins. */
    void countSleep() {
        sleeps++;
    }

    /**
     * The spin for this sleep: the budget (SPIN), {@code most} (PROBE) or 0 (BLOCK: no spin).
     *
     * @param most the longest spin of this kind
     * @return nanoseconds to spin at most
     */
    int next(int most) {
        if (budget > 0) {
            return budget;
        }
        return (sleeps & ((1 << probeShift) - 1)) == 0 ? most : 0;
    }

    /**
     * A spin of {@link #next} ran to its end.
     *
     * @param woke whether a wake ended it
     * @param most the longest spin of this kind
     */
    void done(boolean woke, int most) {
        boolean probe = budget == 0;
        if (woke) {
            int b = Math.min(most, Math.max(MIN_SPIN_NANOS, (probe ? most : budget) << 1));
            if (b != budget) { // store only what changes: an await's paying spin writes nothing
                budget = b;
            }
            if (probeShift != MIN_PROBE_SHIFT) {
                probeShift = MIN_PROBE_SHIFT;
            }
        } else if (probe) {
            probeShift = Math.min(MAX_PROBE_SHIFT, probeShift + 1);
        } else {
            int half = budget >>> 1;
            budget = half < MIN_SPIN_NANOS ? 0 : half;
        }
    }

    /**
     * A wait that this zero budget kept from spinning (not a probe) was answered before it
     * slept: the partner answers within a spin's reach, so it counts as a probe that paid. This
     * is how one side of a hand-off learns that the other spins again, without waiting for a
     * probe of its own (up to 1024 sleeps away). Nothing changes for a budget above zero.
     *
     * @param most the longest spin of this kind
     */
    void answeredUnspun(int most) {
        if (budget == 0) {
            done(true, most);
        }
    }

    /**
     * Back to a new waiter's budget.
     *
     * @param most the longest spin of this kind
     */
    void reset(int most) {
        budget = most;
        probeShift = MIN_PROBE_SHIFT;
    }
}
