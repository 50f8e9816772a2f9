package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Started;

/** The process resource table: handles, sharing and copying by fork, closing by the last holder. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ResourceTableTest {
    @Started
    private Supervisor sup;

    /** A resource that counts its closes. */
    static final class Res implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void handlesAreLowestFreeAndCloseClosesTheResource(Supervisor.Attachment a) throws Exception {
        Res r0 = new Res(), r1 = new Res(), r2 = new Res();
        assertEquals(0, Proc.open(r0));
        assertEquals(1, Proc.open(r1));
        assertEquals(2, Proc.open(r2));
        assertSame(r1, Proc.get(1));
        Proc.close(1);
        assertEquals(1, r1.closes.get());
        assertArrayEquals(new int[] {0, 2}, Proc.handles());
        Res r3 = new Res();
        assertEquals(1, Proc.open(r3), "the lowest free handle");
        expectErrno(Errno.EBADF, () -> Proc.get(7));
        expectErrno(Errno.EBADF, () -> Proc.get(-1));
        expectErrno(Errno.EBADF, () -> Proc.close(9));
        for (int i = 0; i < 20; i++) {
            Proc.open(new Res()); // the table grows
        }
        assertEquals(23, Proc.handles().length);
        assertThrows(NullPointerException.class, () -> Proc.open(null));
        Proc.close(0);
        expectErrno(Errno.EBADF, () -> Proc.close(0), "closed twice");
        assertEquals(1, r0.closes.get());
    }

    @Test
    void aResourceOpenedTwiceIsClosedOnceWhenItsLastHandleGoes(Supervisor.Attachment a) throws Exception {
        Res r = new Res();
        int h1 = Proc.open(r);
        int h2 = Proc.open(r);
        assertNotEquals(h1, h2, "two handles");
        Proc.close(h1);
        assertEquals(0, r.closes.get(), "still held by the other handle");
        assertSame(r, Proc.get(h2));
        Proc.close(h2);
        assertEquals(1, r.closes.get(), "closed once, with its last handle");
        Res q = new Res();
        Proc.open(q);
        Proc.open(q);
        int child = Proc.fork(() -> { }, ProcFlags.FDG);
        assertTrue(Proc.waitpid(child, 0).exited());
        assertEquals(0, q.closes.get(), "the parent still holds it");
    }

    @Test
    void aResourceOpenedTwiceAndLeftOpenIsClosedOnceAtExit() {
        Res r = new Res();
        try (var a = sup.attachNewProcess()) {
            int child = Proc.fork(() -> {
                Proc.open(r);
                Proc.open(r);
            });
            assertTrue(Proc.waitpid(child, 0).exited());
        }
        assertEquals(1, r.closes.get(), "closed once by the exit");
    }

    @Test
    void closeRethrowsWhatTheResourceThrowsAndTheHandleIsGone(Supervisor.Attachment a) {
        int h = Proc.open(() -> {
            throw new java.io.IOException("disk gone");
        });
        Exception e = assertThrows(java.io.IOException.class, () -> Proc.close(h));
        assertEquals("disk gone", e.getMessage());
        expectErrno(Errno.EBADF, () -> Proc.get(h));
    }

    @Test
    void fdgCopiesTheTableTheResourceClosesWithItsLastSlot(Supervisor.Attachment a) throws Exception {
        Res r = new Res();
        int h = Proc.open(r);
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicInteger childHandle = new AtomicInteger(-1);
        int pid = Proc.fork(() -> {
            seen.set(Proc.get(h));
            childHandle.set(Proc.open(new Res())); // in its own table only
            try {
                Proc.close(h);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }); // fork(body) is FDG
        reapExited(pid, 0);
        assertSame(r, seen.get(), "the copy has the same resources under the same handles");
        assertEquals(h + 1, childHandle.get());
        assertEquals(0, r.closes.get(), "still held by the parent's slot");
        expectErrno(Errno.EBADF, () -> Proc.get(childHandle.get()), "the child's own handle is not ours");
        Proc.close(h);
        assertEquals(1, r.closes.get());
    }

    @Test
    void withoutFdgTheTableIsSharedAndClosedWhenTheLastHolderExits() {
        Res mine = new Res();
        Res childs = new Res();
        try (var a = sup.attachNewProcess()) {
            Proc.open(mine);
            AtomicInteger ch = new AtomicInteger();
            CountDownLatch opened = new CountDownLatch(1), go = new CountDownLatch(1);
            int pid = Proc.fork(() -> {
                ch.set(Proc.open(childs));
                opened.countDown();
                awaitLatch(go, "go");
            }, 0);
            awaitLatch(opened, "child opened");
            assertSame(childs, Proc.get(ch.get()), "shared: the child's open is in our table");
            go.countDown();
            reapExited(pid, 0);
            assertEquals(0, childs.closes.get(), "the child's exit does not close a table we hold");
            assertSame(childs, Proc.get(ch.get()));
        }
        assertEquals(1, mine.closes.get(), "our exit (the last holder) closed the table");
        assertEquals(1, childs.closes.get());
    }

    @Test
    void cfdgStartsWithAnEmptyTable(Supervisor.Attachment a) {
        Res r = new Res();
        Proc.open(r);
        AtomicReference<int[]> handles = new AtomicReference<>();
        AtomicReference<Errno> got = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            handles.set(Proc.handles());
            try {
                Proc.get(0);
            } catch (LwpException e) {
                got.set(e.errno());
            }
        }, ProcFlags.CFDG);
        reapExited(pid, 0);
        assertArrayEquals(new int[0], handles.get());
        assertEquals(Errno.EBADF, got.get());
        assertEquals(0, r.closes.get());
    }

    @Test
    void exitClosesTheProcesssOwnResourcesOnceEvenAfterCopies(Supervisor.Attachment a) {
        Res r = new Res();
        AtomicReference<Res> grand = new AtomicReference<>(new Res());
        int pid = Proc.fork(() -> {
            Proc.open(r);
            Proc.open(grand.get());
            int g = Proc.fork(() -> { }); // a copy of the table, gone with the grandchild
            Proc.waitpid(g, 0);
            Proc.exit(0);
        });
        reapExited(pid, 0);
        assertEquals(1, r.closes.get(), "closed by the exit, once");
        assertEquals(1, grand.get().closes.get());
    }

    @Test
    void closeErrorsAtExitAreKeptAndTheExitGoesOn(Supervisor.Attachment a) {
        Res after = new Res();
        int pid = Proc.fork(() -> {
            Proc.open(() -> {
                throw new IllegalStateException("bad close");
            });
            Proc.open(after);
            Proc.exit(4);
        });
        reapExited(pid, 4);
        assertEquals(1, after.closes.get(), "the next resource was still closed");
    }
}
