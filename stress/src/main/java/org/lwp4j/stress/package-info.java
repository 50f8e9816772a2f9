/**
 * jcstress tests of the sleep table: park, unpark, unparkAll, wakeup, the hand-off park and the
 * parking lot (the process and signal races are in the {@code proc} and {@code signal}
 * subpackages). One property per file; variants are nested classes; every outcome is described
 * and anything undescribed is FORBIDDEN.
 *
 * <p>Threads. jcstress actors are plain threads; {@link org.lwp4j.stress.Actors}, the one support
 * class of every stress test, attaches each as
 * an LWP of init of one supervisor per forked JVM (jcstress runs each test in its own JVM), so
 * all actors are in the same process and can name each other. An actor that must be woken
 * publishes its lid in the {@code @State} object; the waker waits for it. Mode.Termination
 * actors run on a fresh thread each time: they attach on entry and detach on the way out.
 * Deadlines that a correct run always beats ({@link org.lwp4j.stress.Actors#lostAfter}) turn a
 * lost wake-up into a FORBIDDEN TIMED_OUT instead of a hung run.
 *
 * <p>Run all: {@code java -jar stress/target/jcstress.jar -t org.lwp4j.stress -m sanity} (or
 * {@code -m quick}); one: {@code -t UnparkNeverLostTest}.
 */
package org.lwp4j.stress;
