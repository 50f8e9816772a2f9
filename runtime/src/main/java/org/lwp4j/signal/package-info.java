/**
 * The signal layer: dispositions, masks, pending sets, posting, delivery at safe points, job
 * control (stop and continue reported to the parent, {@link org.lwp4j.signal.JobControl}), signal
 * state at fork. It sits on the kernel and below the process layer, which calls it directly
 * (SIGCHLD, orphaned groups, fork); the kernel reaches it through the process layer's
 * {@code Upcalls} (delivery, LWP creation, stops).
 *
 * <p>Concurrency rules. A process's signal state ({@code ProcSig}, in {@code KProc.sig}, made
 * with the process) and every LWP's mask, pending set and {@code LwpSig} ({@code KLwp.sig}, made
 * on first need) are guarded by the process's lock. The dispositions ({@code SigActs}, possibly
 * shared by several processes) are a copy-on-write table read without locks and replaced under
 * the table's own monitor. Posting holds the kernel's tree lock and then the target's lock;
 * job-control reports read by wait are written holding both and read with the tree lock. A
 * parent is told about its child after the child's lock is released.
 *
 * <p>Lock order: tree, then one process lock (no two process locks are ever held at once), then
 * a SigActs monitor (a leaf: taken with a process lock held, at SA_RESETHAND, never the other way
 * round). No method releases a lock its caller holds: the stop report, which needs the tree lock
 * first, is made from {@code SignalLayer.stopped} with no lock held. Delivery runs on the
 * receiving LWP with no lock held while a handler runs or the process exits.
 *
 * <p>Newer parts, each in a class of its own: {@code SigQueue} (the siginfo of pending instances:
 * standard signals keep the first, real-time signals and children's reports queue), guarded by
 * the process lock like the pending sets; {@code SigWait} (sigwait family, sigsuspend), which
 * sleeps on the process's key with the process lock as interlock; {@code QueuedSignals}
 * (sigqueue), which posts like kill; {@code Timers} (ITIMER_REAL), whose expiries run on one
 * scheduler thread per kernel with no lock held and take the tree lock, then the process lock,
 * to post SIGALRM; the per-process timer state is guarded by the process lock.
 */
package org.lwp4j.signal;
