package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Attach;
import org.lwp4j.SupervisorExtension.LeavesLwpsRunning;
import org.lwp4j.SupervisorExtension.Started;

/** Reapers: procctl REAP_ACQUIRE / RELEASE / STATUS / GETPIDS / KILL and orphan reparenting. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ReaperTest {
    @Started
    private Supervisor sup;

    @Test
    void acquireReleaseAndTheirErrors(Supervisor.Attachment a) {
        int me = Proc.getpid();
        expectErrno(Errno.ENOTCONN, () -> Proc.reapRelease(me));
        Proc.reapAcquire(me);
        expectErrno(Errno.EALREADY, () -> Proc.reapAcquire(me));
        assertTrue(Proc.reapStatus(me).owned());
        Proc.reapRelease(me);
        assertFalse(Proc.reapStatus(me).owned());
        expectErrno(Errno.ENOTCONN, () -> Proc.reapRelease(me));
        Proc.reapAcquire(me); // again after a release
        assertTrue(Proc.reapStatus(me).owned());
    }

    @Test
    void acquireAndReleaseActOnTheCallerOnly(Supervisor.Attachment a) {
        int me = Proc.getpid();
        for (int other : new int[] {0, 1, -1, me + 1}) {
            expectErrno(Errno.EINVAL, () -> Proc.reapAcquire(other), "acquire " + other);
            expectErrno(Errno.EINVAL, () -> Proc.reapRelease(other), "release " + other);
        }
    }

    /** FreeBSD: STATUS, GETPIDS and KILL may name another process the caller may signal. */
    @Test
    void statusGetPidsAndKillNameAnotherProcessTheCallerMaySignal(@Attach(uid = 1000) Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        AtomicReference<ReaperStatus> parentStatus = new AtomicReference<>();
        AtomicReference<List<ReaperPid>> parentPids = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        int b = Proc.fork(ProcTestSupport::parkForever);
        int c = Proc.fork(() -> {
            parentStatus.set(Proc.reapStatus(Proc.getppid()));
            parentPids.set(Proc.reapGetPids(Proc.getppid()));
            awaitLatch(go, "go");
        });
        await(() -> parentPids.get() != null, "the child asked for its parent's reaper");
        assertEquals(new ReaperStatus(ReaperStatus.OWNED, 2, 2, me, b), parentStatus.get(),
                "the parent's own reaper status, asked by its child");
        assertEquals(2, parentPids.get().size(), parentPids.get().toString());
        assertEquals(me, Proc.reapStatus(b).reaper(), "a child's reaper is its reaper parent");
        assertEquals(1, Proc.reapKill(c, Sig.SIGTERM, ProcFlags.REAPER_KILL_SUBTREE, b),
                "named through child c, the kill acts on c's reaper (us)");
        assertEquals(Sig.SIGTERM, Proc.waitpid(b, 0).termSig());
        for (int none : new int[] {0, -1, me + 1000}) {
            expectErrno(Errno.ESRCH, () -> Proc.reapStatus(none), "status " + none);
            expectErrno(Errno.ESRCH, () -> Proc.reapGetPids(none), "getpids " + none);
            expectErrno(Errno.ESRCH, () -> Proc.reapKill(none, Sig.SIGTERM, 0, 0), "kill " + none);
        }
        expectErrno(Errno.EPERM, () -> Proc.reapStatus(1), "init is root's");
        try (SigTestSupport.Victim other = new SigTestSupport.Victim(sup, 2000)) {
            int o = other.pid();
            expectErrno(Errno.EPERM, () -> Proc.reapStatus(o), "status of another uid");
            expectErrno(Errno.EPERM, () -> Proc.reapGetPids(o), "getpids of another uid");
            expectErrno(Errno.EPERM, () -> Proc.reapKill(o, Sig.SIGTERM, 0, 0), "kill of another uid");
            expectErrno(Errno.EINVAL, () -> Proc.reapKill(o, 0, 0, 0), "a bad signal first");
        }
        int z = Proc.fork(() -> Proc.exit(5));
        SigTestSupport.awaitExited(sup, z);
        expectErrno(Errno.ESRCH, () -> Proc.reapStatus(z), "a zombie has no reaper");
        reapExited(z, 5);
        go.countDown();
        reapExited(c, 0);
    }

    /** FreeBSD p_reapsubtree: recorded at fork, kept when an orphan is reparented to the reaper. */
    @Test
    void anOrphanKeepsTheSubtreeItWasForkedInto(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        AtomicInteger g = new AtomicInteger();
        CountDownLatch forked = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            g.set(Proc.fork(ProcTestSupport::parkForever));
            forked.countDown();
            Proc.exit(0);
        });
        awaitLatch(forked, "grandchild forked");
        reapExited(c, 0);
        await(() -> SigTestSupport.underTree(sup, () -> sup.kernel().findProc(g.get()).parent.pid) == me,
                "the orphan came to us");
        List<ReaperPid> pids = Proc.reapGetPids(me);
        assertEquals(List.of(new ReaperPid(g.get(), c, ReaperPid.VALID | ReaperPid.CHILD)), pids,
                "the orphan is still in c's subtree");
        assertEquals(1, Proc.reapKill(me, Sig.SIGKILL, ProcFlags.REAPER_KILL_SUBTREE, c),
                "and a kill of c's subtree reaches it");
        assertEquals(Sig.SIGKILL, Proc.waitpid(g.get(), 0).termSig());
    }

    @Test
    void initIsTheRootReaperAndCannotRelease(@Attach(init = true) Supervisor.Attachment a) {
        ReaperStatus st = Proc.reapStatus(1);
        assertTrue(st.owned() && st.realInit(), st.toString());
        assertEquals(1, st.reaper());
        expectErrno(Errno.EALREADY, () -> Proc.reapAcquire(1));
        expectErrno(Errno.EINVAL, () -> Proc.reapRelease(1));
    }

    @Test
    void statusCountsChildrenAndDescendantsAndANonReaperSeesItsReapers(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        CountDownLatch go = new CountDownLatch(1), up = new CountDownLatch(1), cForked = new CountDownLatch(1);
        AtomicReference<ReaperStatus> fromD = new AtomicReference<>();
        AtomicInteger d = new AtomicInteger();
        int b = Proc.fork(() -> {
            d.set(Proc.fork(() -> {
                awaitLatch(cForked, "c forked"); // else D may count before C exists
                fromD.set(Proc.reapStatus(Proc.getpid()));
                up.countDown();
                awaitLatch(go, "go");
            }));
            awaitLatch(go, "go");
        });
        int c = Proc.fork(waitFor(go));
        cForked.countDown();
        awaitLatch(up, "grandchild up");
        ReaperStatus st = Proc.reapStatus(me);
        assertEquals(new ReaperStatus(ReaperStatus.OWNED, 2, 3, me, b), st);
        ReaperStatus ds = fromD.get();
        assertFalse(ds.owned(), "the reaper flag is not inherited");
        assertFalse(ds.realInit());
        assertEquals(me, ds.reaper());
        assertEquals(3, ds.descendants(), "a non-reaper sees its reaper's counts");
        go.countDown();
        reapExited(c, 0);
        reapExited(b, 0);
        await(() -> Proc.reapStatus(me).descendants() == 1, "only the orphan D is left");
        reapExited(d.get(), 0); // B died first: its child D came to us
        ReaperStatus empty = Proc.reapStatus(me);
        assertEquals(new ReaperStatus(ReaperStatus.OWNED, 0, 0, me, -1), empty);
    }

    @Test
    void getPidsListsDescendantsWithFlagsAndSubtrees(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        CountDownLatch go = new CountDownLatch(1), up = new CountDownLatch(2);
        AtomicInteger d = new AtomicInteger(), e = new AtomicInteger();
        int b = Proc.fork(() -> {
            d.set(Proc.fork(waitFor(go)));
            up.countDown();
            awaitLatch(go, "go");
        });
        int c = Proc.fork(() -> {
            Proc.reapAcquire(Proc.getpid()); // a sub-reaper: its subtree is its own
            e.set(Proc.fork(waitFor(go)));
            up.countDown();
            awaitLatch(go, "go");
        });
        int z = Proc.fork(() -> Proc.exit(2));
        Proc.wait(IdType.P_PID, z, Wait.WEXITED | Wait.WNOWAIT);
        awaitLatch(up, "tree up");
        List<ReaperPid> pids = Proc.reapGetPids(me);
        Map<Integer, ReaperPid> byPid = new HashMap<>();
        for (ReaperPid p : pids) {
            byPid.put(p.pid(), p);
            assertTrue((p.flags() & ReaperPid.VALID) != 0);
        }
        assertEquals(Set.of(b, d.get(), c, z), byPid.keySet(), "E is below sub-reaper C: " + pids);
        assertEquals(new ReaperPid(b, b, ReaperPid.VALID | ReaperPid.CHILD), byPid.get(b));
        assertEquals(new ReaperPid(d.get(), b, ReaperPid.VALID), byPid.get(d.get()));
        assertEquals(new ReaperPid(c, c, ReaperPid.VALID | ReaperPid.CHILD | ReaperPid.REAPER), byPid.get(c));
        assertEquals(new ReaperPid(z, z, ReaperPid.VALID | ReaperPid.CHILD | ReaperPid.ZOMBIE), byPid.get(z));
        assertEquals(b, pids.get(0).pid(), "depth first, oldest child first");
        assertEquals(d.get(), pids.get(1).pid());
        assertEquals(4, Proc.reapStatus(me).descendants());
        go.countDown();
        reapExited(b, 0);
        reapExited(c, 0);
        reapExited(z, 2);
        reapExited(d.get(), 0);
        reapExited(e.get(), 0); // C released its node when it exited: E came up to us
    }

    /** Orphans go to the reaper and keep their own status: the child exits first. */
    @Test
    void orphanIsReapedByTheReaperWithItsOwnStatusChildFirst(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        CountDownLatch grandGo = new CountDownLatch(1), forked = new CountDownLatch(1);
        AtomicInteger g = new AtomicInteger(), gppid = new AtomicInteger();
        int child = Proc.fork(() -> {
            g.set(Proc.fork(() -> {
                awaitLatch(grandGo, "grandchild go");
                gppid.set(Proc.getppid());
                Proc.exit(22);
            }));
            forked.countDown();
            Proc.exit(11);
        });
        awaitLatch(forked, "grandchild forked");
        reapExited(child, 11);
        grandGo.countDown();
        reapExited(g.get(), 22);
        assertEquals(me, gppid.get(), "the orphan's parent is the reaper");
    }

    /** ... and the grandchild exits first: its zombie moves with it to the reaper. */
    @Test
    void orphanIsReapedByTheReaperWithItsOwnStatusGrandchildFirst(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        AtomicInteger g = new AtomicInteger();
        int child = ProcTestSupport.forkParentOfAZombie(g);
        reapExited(child, 44);
        reapExited(g.get(), 33);
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
    }

    @Test
    void orphansGoToTheNearestLiveReaper(Supervisor.Attachment a) {
        int top = Proc.getpid();
        Proc.reapAcquire(top);
        AtomicInteger g = new AtomicInteger();
        AtomicReference<WaitResult> midSaw = new AtomicReference<>();
        int mid = Proc.fork(() -> {
            Proc.reapAcquire(Proc.getpid());
            int c = Proc.fork(() -> {
                g.set(Proc.fork(() -> Proc.exit(7)));
                Proc.wait(IdType.P_PID, g.get(), Wait.WEXITED | Wait.WNOWAIT);
            });
            Proc.waitpid(c, 0);
            // c's child went to us (mid), the nearest reaper
            midSaw.set(Proc.waitpid(g.get(), 0));
            g.set(Proc.fork(() -> { })); // and a child of mid itself ...
            Proc.wait(IdType.P_PID, g.get(), Wait.WEXITED | Wait.WNOWAIT);
            Proc.exit(1); // ... goes to top when mid exits
        });
        reapExited(mid, 1);
        assertEquals(7, midSaw.get().exitStatus());
        reapExited(g.get(), 0);
    }

    @Test
    void afterReleaseOrphansGoToTheReaperAboveAndDeadNodesAreSkipped(Supervisor.Attachment a) {
        int top = Proc.getpid();
        Proc.reapAcquire(top);
        AtomicInteger g = new AtomicInteger();
        int mid = Proc.fork(() -> {
            int mp = Proc.getpid();
            Proc.reapAcquire(mp);
            int c = Proc.fork(() -> {
                // released twice above us: our node and its replacement are both dead
                g.set(Proc.fork(() -> Proc.exit(9)));
                Proc.wait(IdType.P_PID, g.get(), Wait.WEXITED | Wait.WNOWAIT);
            });
            Proc.reapRelease(mp);
            Proc.reapAcquire(mp);
            Proc.reapRelease(mp);
            Proc.waitpid(c, 0);
            assertEquals(top, Proc.reapStatus(mp).reaper());
        });
        reapExited(mid, 0);
        reapExited(g.get(), 9);
    }

    @Test
    void reapKillErrors(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        expectErrno(Errno.ESRCH, () -> Proc.reapKill(me, Sig.SIGTERM, 0, 0), "no descendants");
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(waitFor(go));
        for (int sig : new int[] {0, -1, Sig.NSIG, 1000}) {
            expectErrno(Errno.EINVAL, () -> Proc.reapKill(me, sig, 0, 0), "signal " + sig);
        }
        expectErrno(Errno.EINVAL, () -> Proc.reapKill(me, Sig.SIGTERM,
                ProcFlags.REAPER_KILL_CHILDREN | ProcFlags.REAPER_KILL_SUBTREE, c), "both flags");
        expectErrno(Errno.EINVAL, () -> Proc.reapKill(me, Sig.SIGTERM, 4, 0), "unknown flag");
        expectErrno(Errno.ESRCH, () -> Proc.reapKill(me, Sig.SIGTERM, ProcFlags.REAPER_KILL_SUBTREE, c + 100),
                "no such subtree");
        go.countDown();
        reapExited(c, 0);
        int z = Proc.fork(() -> Proc.exit(6));
        Proc.wait(IdType.P_PID, z, Wait.WEXITED | Wait.WNOWAIT);
        expectErrno(Errno.ESRCH, () -> Proc.reapKill(me, Sig.SIGKILL, 0, 0), "zombies are not killed");
        reapExited(z, 6);
    }

    @Test
    void reapKillSignalsAllDescendantsOrChildrenOrOneSubtree(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        int[] tree = buildTree(); // b, c, d (d below b), e below sub-reaper c
        int b = tree[0], c = tree[1], d = tree[2], e = tree[3];
        assertEquals(2, Proc.reapKill(me, Sig.SIGUSR1, ProcFlags.REAPER_KILL_SUBTREE, c),
                "the subtree of c: c and e (kill goes below sub-reapers)");
        assertEquals(Sig.SIGUSR1, Proc.waitpid(c, 0).termSig());
        assertEquals(Sig.SIGUSR1, Proc.waitpid(e, 0).termSig(), "e's reaper c died: e came to us");
        assertEquals(1, Proc.reapKill(me, Sig.SIGUSR2, ProcFlags.REAPER_KILL_CHILDREN, 0), "b, not its child d");
        assertEquals(Sig.SIGUSR2, Proc.waitpid(b, 0).termSig());
        assertEquals(1, Proc.reapKill(me, Sig.SIGTERM, 0, 0), "d, orphaned to us");
        WaitResult rd = Proc.waitpid(d, 0);
        assertEquals(Sig.SIGTERM, rd.termSig());
        assertEquals(Sig.CLD_KILLED, rd.code());
    }

    @Test
    void reapKillAllReachesBelowSubReapers(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        int[] tree = buildTree();
        assertEquals(4, Proc.reapKill(me, Sig.SIGTERM, 0, 0), "b, c, d and e below the sub-reaper c");
        // b and c are ours; d and e, orphans of b and c, came to us (e once its reaper c died)
        for (int pid : tree) {
            WaitResult r = Proc.waitpid(pid, 0);
            assertEquals(Sig.SIGTERM, r.termSig(), r.toString());
        }
        expectErrno(Errno.ECHILD, () -> Proc.waitpid(-1, Wait.WNOHANG));
    }

    @Test
    @LeavesLwpsRunning("the uid-7 child the reaper kill skipped lives on until close")
    void reapKillFromANonRootCallerSkipsOtherUids(Supervisor.Attachment a) {
        int me = Proc.getpid();
        Proc.reapAcquire(me);
        CountDownLatch up = new CountDownLatch(1);
        int other = Proc.fork(() -> {
            Proc.setuid(7);
            up.countDown();
            parkForever();
        });
        awaitLatch(up, "uid set");
        Proc.setuid(5);
        expectErrno(Errno.EPERM, () -> Proc.reapKill(me, Sig.SIGTERM, 0, 0));
        int same = Proc.fork(ProcTestSupport::parkForever);
        assertEquals(1, Proc.reapKill(me, Sig.SIGTERM, 0, 0), "only the uid-5 child");
        assertEquals(Sig.SIGTERM, Proc.waitpid(same, 0).termSig());
        assertTrue(Proc.waitpid(other, Wait.WNOHANG).isNone(), "the uid-7 child lives");
    }

    /** Forks b (with child d) and c (a sub-reaper, with child e); all park until killed. */
    private static int[] buildTree() {
        CountDownLatch up = new CountDownLatch(2);
        AtomicInteger d = new AtomicInteger(), e = new AtomicInteger();
        int b = Proc.fork(() -> {
            d.set(Proc.fork(ProcTestSupport::parkForever));
            up.countDown();
            parkForever();
        });
        int c = Proc.fork(() -> {
            Proc.reapAcquire(Proc.getpid());
            e.set(Proc.fork(ProcTestSupport::parkForever));
            up.countDown();
            parkForever();
        });
        awaitLatch(up, "tree up");
        return new int[] {b, c, d.get(), e.get()};
    }
}
