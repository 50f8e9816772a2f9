/**
 * The signal layer: dispositions, masks, pending sets, posting, delivery at safe points, job
 * control (stop and continue reported to the parent), signal state at fork.
 *
 * <p>Concurrency rules. A process's signal state ({@code ProcSig}, in {@code KProc.sigExt}) and
 * every LWP's mask, pending set and {@code LwpSig} are guarded by the process's lock. The
 * dispositions ({@code SigActs}, possibly shared by several processes) are a copy-on-write table
 * read without locks and replaced under the table's own lock, a leaf lock. Posting holds the
 * kernel's tree lock and then the target's lock; job-control state read by wait
 * ({@code KProc.stopSig}, {@code stopUnreported}, {@code contUnreported}) is written holding
 * both. No two process locks are ever held at once: a parent is told about its child after the
 * child's lock is released. Delivery runs on the receiving LWP with no lock held while a handler
 * runs or the process exits.
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
