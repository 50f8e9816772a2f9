/**
 * The kernel: the supervisor's tables, process and LWP records, the LWP life cycle, safe points,
 * the exit election, and the {@code _lwp_*} calls.
 *
 * <p>Who does what. {@link org.lwp4j.kern.Kernel} keeps the process table, pid allocation,
 * attach and close; {@link org.lwp4j.kern.SafePoints} is userret (acting on safe-point requests)
 * and the stop mechanism; {@link org.lwp4j.kern.LwpLifecycle} creates, ends and disposes of LWPs
 * (with the dead-LWP reaper and the CPU time they leave); {@link org.lwp4j.kern.ProcExit} elects
 * the one LWP that performs a process exit and kills the others; {@link org.lwp4j.kern.LwpCalls}
 * are NetBSD's {@code sys_lwp.c}. The layers above (signals, processes) are reached through one
 * interface, {@link org.lwp4j.kern.Upcalls}, given to the kernel at construction; their state per
 * process and per LWP sits in typed fields of the records, made with them.
 *
 * <p>Concurrency rules. {@code Kernel.tree} (DragonFly's proc_token) guards the process tree,
 * groups, sessions and pid allocation; {@code KProc.lock} (NetBSD p_lock) guards a process's LWP
 * membership and counts, every LWP's life-cycle fields and the exit election. The LWP table of a
 * process ({@code LidTable}) is read without locks, so that park/unpark find targets by lid
 * (acquire loads of release-stored slots); it changes only under the process lock.
 * {@code KLwp.stat} and {@code KLwp.ast} are volatile: stat is written under the process lock
 * and read anywhere; ast bits are posted by anyone with an atomic OR followed by a kick of the
 * target's park word, and acted on by the owner at its next safe point.
 * Kernel waits are condition waits in the sleep table ({@code KProc.cvWait} and its named kin)
 * keyed by the process and a channel object, so a wakeup, a kick and Thread.interrupt reach them
 * as they reach park. Exited LWPs reach the dead-LWP reaper through {@code ExitQueue} (lock-free
 * offer, wait-free poll): no exit waits for another thread's progress. Every id allocator tries
 * each id once and answers EAGAIN.
 *
 * <p>Lock order: tree, then one process lock (never two process locks at once), then the sleep
 * table's resize lock (taken by {@code LwpLifecycle} when the LWP count grows the table, with a
 * process lock held), then bucket locks. The LWP cache's monitor ({@code LwpCache}) is a leaf
 * taken inside a process lock; an LWP thread's name lock ({@code LwpThread.rename}) is taken
 * with no kernel lock held, since {@code Thread.setName} takes the thread's monitor, which user
 * code may hold. No method releases a lock its caller holds, with two documented
 * exceptions of one kind: a condition wait releases its interlock while asleep and takes it back
 * before it returns, as {@code Condition.await} does, and
 * {@code SafePoints.userretHoldingOwnLock} does the same around the safe point of a call that
 * took its own process lock (once) and waits or stops there. Upcalls are made with the locks each names
 * (most with none); a safe point runs with no lock held.
 *
 * <p>{@code GlobalLot} is the one JVM-wide sleep table, outside every supervisor: process-shared
 * ParkingLot keys and the {@code org.lwp4j.sync} synchronizers sleep there, LWPs with their own
 * record (so kicks reach them), plain threads with a waiter of their own. Its waits take no kernel
 * lock; its safe points run with none held.
 */
package org.lwp4j.kern;
