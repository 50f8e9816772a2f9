/**
 * The process layer: DragonFly's {@code kern_fork.c} and {@code kern_exit.c} on top of the kernel's
 * LWP life cycle. Fork, the process part of exit, {@code kern_wait}, process groups and sessions,
 * credentials, the reaper tree ({@code procctl}), the process resource table, process-local
 * storage and the at-fork / at-exit hook lists.
 *
 * <p>Concurrency rules. Every piece of process-tree state here ({@link org.lwp4j.proc.PState}
 * fields, groups, sessions, reaper nodes, zombie queues, the tree fields of {@code KProc}) is
 * guarded by the kernel's tree lock ({@code Kernel.tree}, DragonFly's proc_token). Lock order:
 * tree, then a process lock. Waits (kern_wait, vfork's PPWAIT, a leader waiting for its peers)
 * are condition waits in the sleep table with the tree lock as the interlock; whoever changes
 * what they wait for does it under the tree lock and then broadcasts the channel. The resource
 * table has its own monitor because processes that share it run in parallel; resource reference
 * counts are atomic because copied tables share entries. Process-local storage is a concurrent
 * map. The hook lists are copy-on-write. A pipe ({@code Pipe}) guards its buffer and end counts
 * with its own lock, a leaf below the process locks, which is also the interlock of its readers'
 * and writers' condition waits; its ends are resources like any other.
 *
 * <p>Lock order: tree, then one process lock, then a resource table's monitor (a leaf). The
 * kernel reaches this layer through {@link org.lwp4j.proc.ProcLayer}, its {@code Upcalls}; the
 * process layer's state per process is {@link org.lwp4j.proc.PState}, in {@code KProc.ps}, made
 * with the record. Groups a tree change may have orphaned are collected in an {@code Orphans}
 * and signalled once the change is complete. No method releases a lock its caller holds; kernel
 * waits here use the tree lock as their interlock (a condition wait).
 */
package org.lwp4j.proc;
