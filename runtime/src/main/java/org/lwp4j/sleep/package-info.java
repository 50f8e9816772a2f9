/**
 * The hashed sleep table: NetBSD's {@code lwp_park} sleep queues, with O(1) targeted wakes.
 *
 * <p>Concurrency rules. {@link org.lwp4j.sleep.Waiter#pw} (the park word) is the only state a
 * waker touches for a targeted unpark, wakeup or kick: owners set SLEEPING and clear bits, others
 * OR bits in by CAS, and the CAS that sets a WOKEN bit or clears SLEEPING decides the one outcome.
 * A targeted unpark does not end a kernel wait (KWAIT in the park word): it stays pending for the
 * next park. Queue links, key and hint of a linked waiter are guarded by the lock of the bucket
 * it is linked in ({@code Waiter.bucket}); the table array is replaced only while every old and
 * new bucket is locked, and whoever locks a bucket found through the array re-checks that the
 * array is current. The one lock-free read of {@code Waiter.bucket} is its owner's, on the way
 * out of a sleep (acquire); moves never pass it through null and the final unlink stores null
 * with release, so null means "unlinked for good". Nothing here blocks while holding a bucket
 * lock, except a parking-lot {@code validate} and a {@code wakeOne} callback, which run under
 * it by design. A synchronizer wait ({@code syncWait}) carries KWAIT like a kernel wait, so a
 * targeted unpark stays pending for the next park; {@code Waiter.lotSince} is written by the
 * owner before it links itself, {@code Waiter.lotToken} by the waker under the bucket lock
 * before the unlink, and both are read by the owner after its sleep. User code never runs under
 * every lock at once: a hint's hashCode runs before any lock and its result is kept in
 * {@code Waiter.hash}, which resizes use and which a park on its last park's key and hint
 * reuses; validate and a hint's equals run under one bucket lock, released by a finally
 * whatever they throw.
 *
 * <p>Lock order: the resize lock, then bucket locks (a resize holds it and locks every old and
 * new bucket, in array order; requeue locks two buckets in index order). The resize lock is
 * taken by {@code setPopulation}, which the kernel calls with a process lock held: so the
 * kernel's locks come before both, and no code here calls back into the kernel while it holds
 * either. A kernel condition wait ({@code cvWait} and kin) releases the caller's interlock only
 * after the waiter is linked and its bucket lock released, and takes it back after the sleep.
 */
package org.lwp4j.sleep;
