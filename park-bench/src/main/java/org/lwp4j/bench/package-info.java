/**
 * lwp4j's JMH benchmarks: each puts an lwp4j call beside its JDK baseline in one run.
 *
 * <ul>
 *   <li>{@link org.lwp4j.bench.PingPongBench}: park/unpark hand-off round trip between two
 *       LWPs vs raw LockSupport vs SynchronousQueue, and vs the peers that spin: lwp4j's own
 *       park policy copied onto LockSupport, a plain spin-then-park, Exchanger,
 *       LinkedTransferQueue; with one pair and with four pairs on the machine's two cores.</li>
 *   <li>{@link org.lwp4j.bench.PermitBench}: unpark then park on the pending permit.</li>
 *   <li>{@link org.lwp4j.bench.UnparkAllBench}: waking 1024 sleepers in one call vs a loop.</li>
 *   <li>{@link org.lwp4j.bench.CrowdBench}: the hand-off round trip while 10 to 10,000 other
 *       LWPs sleep on the same hint or on hints of their own.</li>
 *   <li>{@link org.lwp4j.bench.ThreadStartBench}: create + exit + wait of an LWP, fork + exit +
 *       wait of a process, vs Thread.start + join, a cached thread pool's submit + get, and
 *       (JDK 21 and later) a virtual thread's start + join.</li>
 *   <li>{@link org.lwp4j.bench.WaitAnyBench}: reaping N children with wait-any, per child.</li>
 * </ul>
 *
 * <p>Shared states: {@link org.lwp4j.bench.SupervisorState} (one supervisor per trial),
 * {@link org.lwp4j.bench.Attached} (the benchmark thread as an LWP of init, or as a process of
 * its own),
 * {@link org.lwp4j.bench.Wakeups} (early wake-up counters). Run settings:
 * {@link org.lwp4j.bench.MicrosBench} (avgt in microseconds, 3 + 5 iterations of 1 s, one fork),
 * which the benchmark classes with those settings extend. Helpers: {@code Court} (the
 * ping-pong protocol, written once in {@code Court.BallSide}, and its escape hatch), {@code PolicyPark} (lwp4j's park policy on bare
 * LockSupport), {@code Sleepers} (crowds of parked threads).
 *
 * <p>Concurrency rules: a {@code Court}'s ball ({@code turn}) is written only by the player
 * that holds it; everything else in a court is written before both players have joined (under
 * the court's monitor) and read-only afterwards. Each player's side object (its deadline) is
 * confined to its thread; a {@code PolicyPark.Sleeper}'s park word is CASed by its owner and
 * its partner (the owner alone clears bits), its budget fields are the owner's, and the
 * group's blocked counter is shared by all players. A {@code Sleepers} crowd's {@code rounds} counters are written by
 * each sleeper for itself and read by the benchmark thread; {@code stop} is volatile. Every wait
 * a benchmark makes, in setup, teardown or the measured loop, is bounded: a setup or teardown
 * that cannot finish fails the trial instead of hanging the run.
 *
 * <p>Run them with {@code bash bench.sh [regexp] [JMH options]} from the repository root, or
 * {@code java -jar park-bench/target/benchmarks.jar -h}.
 */
package org.lwp4j.bench;
