/**
 * jcstress tests of the synchronizers of {@code org.lwp4j.sync}: mutual exclusion, no lost
 * wake-up in lock/unlock and in await/signal, reader/writer exclusion, permits conserved, the
 * latch, once. One property per file; every outcome is described and anything undescribed is
 * FORBIDDEN.
 *
 * <p>Threads. The actors are jcstress's plain threads, not LWPs: the synchronizers work from any
 * thread, and the LWP side of them (safe points) is JUnit's. Waits that a correct run always
 * beats are timed ({@link org.lwp4j.stress.sync.Lost#after}), so a lost wake-up shows as a
 * FORBIDDEN outcome instead of a hung run.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t org.lwp4j.stress.sync -m sanity}.
 */
package org.lwp4j.stress.sync;
