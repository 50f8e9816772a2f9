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
 */
package org.lwp4j.signal;
