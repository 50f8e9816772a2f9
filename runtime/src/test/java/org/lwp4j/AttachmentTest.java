package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.lwp4j.LwpTestSupport.await;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attachments do not lie (issue 10): a thread that attached and died without closing its
 * Attachment is noticed and its LWP exits; a thread whose supervisor closed while it was
 * attached is no LWP to the next supervisor; a negative uid is refused as setuid refuses it.
 */
@Timeout(120)
class AttachmentTest {
    @Test
    void aThreadThatDiesAttachedIsNoticedAndItsProcessExits() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attach()) {
            dieAttachedInANewProcess(sup, 1, "");
        }
    }

    /**
     * A thread attaches as a new process and ends without closing its Attachment; then wait
     * until its LWP and process are gone (lwps LWPs left, only init among the processes).
     */
    private static void dieAttachedInANewProcess(Supervisor sup, int lwps, String what) throws Exception {
        CompletableFuture<Integer> pid = new CompletableFuture<>();
        Thread t = new Thread(() -> pid.complete(sup.attachNewProcess().pid())); // never closed
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(t.isAlive());
        int p = pid.get(20, TimeUnit.SECONDS);
        await(() -> sup.lwpCount() == lwps && sup.processCount() == 1,
                () -> "the dead thread's LWP and its process " + p + " are gone" + what + ":\n" + sup.ps());
    }

    /**
     * The first attachment of a supervisor whose dead-LWP reaper has already gone idle (no LWP
     * had exited, none was attached: an untimed park) wakes it, so that it watches the thread.
     * It used to wake nobody: a thread that then died attached was never noticed (seen as a
     * 20 s hang of the test below on a loaded machine).
     */
    @Test
    void anAttachmentWakesAnIdleReaperToWatchIt() throws Exception {
        try (Supervisor sup = Supervisor.start()) {
            Thread reaper = sup.liveThreads().stream().filter(t -> t.getName().startsWith("lwp4j-deadlwp-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no reaper among " + sup.liveThreads()));
            await(() -> reaper.getState() == Thread.State.WAITING, () -> "the reaper idle, parked without a bound: "
                    + reaper.getState());
            dieAttachedInANewProcess(sup, 0, " (the reaper was idle)");
        }
    }

    @Test
    void aThreadThatDiesAttachedWithSiblingsOnlyLosesItsOwnLwp() throws Exception {
        try (Supervisor sup = Supervisor.start(); var me = sup.attachNewProcess()) {
            int mine = Proc.getpid();
            CompletableFuture<Integer> lid = new CompletableFuture<>();
            Thread t = new Thread(() -> lid.complete(sup.attach(mine).lid())); // never closed
            t.start();
            t.join(TimeUnit.SECONDS.toMillis(20));
            int dead = lid.get(20, TimeUnit.SECONDS);
            try (Watchdog w = Watchdog.start("the dead attached thread's LWP exits", 20_000)) {
                assertEquals(dead, Lwp.waitFor(dead), "its LWP exited and is collected");
            }
            assertEquals(mine, Proc.getpid(), "this process lives on");
            assertEquals(1, sup.lwpCount());
        }
    }

    @Test
    void aThreadAttachedToAClosedSupervisorMayAttachToTheNextOne() {
        Supervisor first = Supervisor.start();
        first.attachNewProcess(); // left open
        first.close();
        try (Supervisor second = Supervisor.start(); var a = second.attachNewProcess()) {
            assertEquals(a.pid(), Proc.getpid(), "an LWP of the second supervisor now");
        }
    }

    @Test
    void attachNewProcessRefusesANegativeUid() {
        try (Supervisor sup = Supervisor.start()) {
            int before = sup.processCount();
            expectErrno(Errno.EINVAL, () -> sup.attachNewProcess(-1), "uid -1");
            assertEquals(before, sup.processCount(), "no process made");
        }
    }
}
