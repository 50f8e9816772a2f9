/**
 * Running ordinary Java code on LWPs (API): {@link org.lwp4j.exec.LwpThreadFactory}, whose
 * threads are LWPs of a chosen process (for any {@code ThreadPoolExecutor} or
 * {@code ForkJoinPool}), and {@link org.lwp4j.exec.LwpExecutorService}, a fixed pool of LWPs in
 * one process. Both are built on the facades only ({@code Supervisor.attach}, {@code Lwp},
 * {@code Proc}); nothing here holds a kernel lock or runs under one. The pools' own locks are
 * j.u.c. locks, taken from LWPs and plain threads alike.
 */
package org.lwp4j.exec;
