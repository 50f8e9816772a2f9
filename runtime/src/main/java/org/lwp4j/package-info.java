/**
 * lwp4j's API: BSD lightweight processes and processes for the JVM.
 *
 * <p>{@link org.lwp4j.Supervisor} is the kernel: start one, enter it with
 * {@link org.lwp4j.Supervisor#attachNewProcess()}, and make calls from LWPs. {@link org.lwp4j.Lwp}
 * has NetBSD's {@code _lwp_*} calls, {@link org.lwp4j.ParkingLot} a keyed parking lot on the same
 * sleep table. Errors are {@link org.lwp4j.LwpException}s carrying a BSD {@link org.lwp4j.Errno};
 * normal outcomes are return values ({@link org.lwp4j.ParkResult}).
 *
 * <p>Concurrency rules: every call acts for the calling LWP on its own process and is a safe
 * point, where suspension, stop, signals and exit take effect. Java cannot stop a thread from
 * outside: an LWP that neither calls in nor blocks cannot be stopped; long computations call
 * {@link org.lwp4j.Lwp#checkpoint()}. The classes here hold no state of their own; all state is
 * in the supervisor's tables, guarded as the internal packages describe.
 *
 * <p>Constants and value types live in files of their own, which the implementation may use:
 * {@link org.lwp4j.Sig} (signal numbers and codes), {@link org.lwp4j.Wait} (wait options and
 * the status word), {@link org.lwp4j.ProcFlags} (rfork, extexit, reaper-kill flags),
 * {@link org.lwp4j.Disposition}, {@link org.lwp4j.SigInfo}, {@link org.lwp4j.WaitResult} and the
 * rest. The facades ({@code Lwp}, {@code Proc}, {@code Signals}, {@code ParkingLot},
 * {@code Supervisor}) call into the implementation and nothing there calls back into them. Lock
 * order across the packages: the kernel's tree lock, then one process lock, then the signal
 * layer's disposition tables or the process resource tables (leaf locks), then the sleep table's
 * resize lock, then its bucket locks.
 */
package org.lwp4j;
