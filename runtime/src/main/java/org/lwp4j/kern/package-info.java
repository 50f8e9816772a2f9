/**
 * The kernel: the supervisor's tables, process and LWP records, the LWP life cycle, safe points,
 * process exit, and the {@code _lwp_*} calls.
 *
 * <p>Concurrency rules. {@code Kernel.tree} (DragonFly's proc_token) guards the process tree,
 * groups, sessions and pid allocation; {@code KProc.lock} (NetBSD p_lock) guards a process's LWP
 * membership and counts, every LWP's life-cycle fields and the exit election. Lock order: tree,
 * then a process lock, then (inside the sleep table) bucket locks. The LWP table of a process is a
 * non-blocking map so that park/unpark find targets without locks; it changes only under the
 * process lock. {@code KLwp.stat} and {@code KLwp.ast} are volatile: stat is written under the
 * process lock and read anywhere; ast bits are posted by anyone with an atomic OR followed by a
 * kick of the target's park word, and acted on by the owner at its next safe point. Kernel waits
 * are condition waits in the sleep table (cvWait/cvBroadcast) keyed by the process and a channel
 * object, so a wakeup, a kick and Thread.interrupt reach them as they reach park. Exited LWPs
 * reach the dead-LWP reaper through {@code ExitQueue} (lock-free offer, wait-free poll): no exit
 * waits for another thread's progress. Every id allocator tries each id once and answers EAGAIN.
 */
package org.lwp4j.kern;
