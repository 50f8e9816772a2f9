package org.lwp4j.proc;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.kern.KProc;
import org.lwp4j.kern.Kernel;
import org.lwp4j.kern.KernelConfig;

/** Reaper nodes: reference counts, reaper_get's walk to the nearest live reaper, pruning. */
@Timeout(30)
class ReaperNodeTest {
    private ProcLayer L;
    private Kernel k;
    private KProc init, p2;

    @BeforeEach
    void start() {
        L = new ProcLayer(KernelConfig.defaults());
        k = L.kernel();
        init = k.init;
        p2 = L.newProcess(0); // a child of init in init's reaper node, as attachNewProcess makes
    }

    @AfterEach
    void close() {
        k.close();
    }

    @Test
    void getWalksToTheFirstLiveNodeAndSplicesOutDeadNodesNothingElseHolds() {
        Reaper root = new Reaper(init, null, 3, Reaper.OWNED | Reaper.REALINIT); // 2 + d1's parent link
        Reaper d1 = new Reaper(null, root, 1, Reaper.OWNED); // only d2.parent refers to it
        Reaper d2 = new Reaper(null, d1, 1, Reaper.OWNED); // one process refers to it
        assertSame(init, Reapers.get(d2));
        assertSame(root, d2.parent, "d1 spliced out");
        assertEquals(0, d1.refs);
        assertNull(d1.parent);
        assertEquals(3, root.refs, "d2 inherited d1's reference on root");
    }

    @Test
    void aDeadNodeThatProcessesStillUseIsKept() {
        Reaper root = new Reaper(init, null, 3, Reaper.OWNED | Reaper.REALINIT);
        Reaper d1 = new Reaper(null, root, 2, Reaper.OWNED); // d2.parent and a process
        Reaper d2 = new Reaper(null, d1, 1, Reaper.OWNED);
        assertSame(init, Reapers.get(d2));
        assertSame(d1, d2.parent);
        assertEquals(2, d1.refs);
    }

    @Test
    void aLiveNodeAnswersItsOwnerAndNothingIsAnswersNull() {
        Reaper live = new Reaper(p2, null, 1, Reaper.OWNED);
        Reaper dead = new Reaper(null, live, 1, Reaper.OWNED);
        assertSame(p2, Reapers.get(dead));
        assertSame(p2, Reapers.get(live));
        assertNull(Reapers.get(new Reaper(null, null, 1, Reaper.OWNED)));
        assertNull(Reapers.get(null));
    }

    @Test
    void dropFreesNodesThatReachZeroAndReleasesTheirParent() {
        Reaper root = new Reaper(init, null, 3, Reaper.OWNED | Reaper.REALINIT);
        Reaper a = new Reaper(null, root, 2, Reaper.OWNED);
        Reapers.drop(a);
        assertEquals(1, a.refs);
        assertSame(root, a.parent);
        Reapers.drop(a);
        assertEquals(0, a.refs);
        assertNull(a.parent);
        assertEquals(2, root.refs, "the root is never freed by its own holders");
    }

    @Test
    void exitGivesUpAnOwnedNodeAndDetachesTheProcess() {
        PState s;
        k.tree.lock();
        try {
            s = p2.ps;
            Reaper mine = new Reaper(p2, s.reaper, 1, Reaper.OWNED); // REAP_ACQUIRE
            s.reaper = mine;
            Reaper held = Reapers.exit(s);
            assertNull(s.reaper, "detached from its node");
            assertNull(mine.p, "the node is dead");
            assertEquals(0, mine.refs, "nothing else held it: freed");
            assertSame(init.ps.reaper, held, "answered the node above, still held for the caller");
            Reapers.drop(held);
        } finally {
            k.tree.unlock();
        }
    }
}
