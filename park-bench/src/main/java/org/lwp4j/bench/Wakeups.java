package org.lwp4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counts of park returns that did not bring the ball, reported next to the score
 * (JMH sample 23), summed over the players of the iteration:
 * <ul>
 *   <li>{@code spurious}: a park returned before the ball came (a stale permit left by an
 *       earlier unpark, a spurious LockSupport return);</li>
 *   <li>{@code timeouts}: a park reached its escape deadline ({@link Court#ESCAPE_NANOS}). The
 *       lwp4j players renew their deadline only after it expires, so they see about one
 *       time-out per 20 ms each (about 50 per player-second) by design; the SynchronousQueue
 *       players count an offer or poll that timed out. Well above that means players starved
 *       for whole escape periods: read the score with care;</li>
 *   <li>{@code interrupts}: a park ended by an interrupt (JMH interrupts threads stuck past its
 *       timeout).</li>
 * </ul>
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class Wakeups {
    public long spurious;
    public long timeouts;
    public long interrupts;

    @Setup(Level.Iteration)
    public void reset() {
        spurious = 0;
        timeouts = 0;
        interrupts = 0;
    }
}
