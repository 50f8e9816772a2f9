package org.lwp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.lwp4j.LwpTestSupport.awaitLatch;
import static org.lwp4j.LwpTestSupport.expectErrno;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code _lwp_setname} / {@code _lwp_getname} (15 characters kept, copied, shown as the thread
 * name, ESRCH) and {@code _lwp_setprivate} / {@code _lwp_getprivate} (one reference per LWP).
 */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class LwpNameTest {

    @Test
    void anLwpStartsWithAnEmptyName(Supervisor.Attachment me) {
        assertEquals("", Lwp.getName(0));
        CountDownLatch hold = new CountDownLatch(1);
        int t = Lwp.create(() -> awaitLatch(hold, "t"));
        assertEquals("", Lwp.getName(t));
        hold.countDown();
        assertEquals(t, Lwp.waitFor(t));
    }

    @Test
    void namesAreKeptToFifteenCharactersAndCopied(Supervisor.Attachment me) {
        Lwp.setName(0, "abcdefghijklmnopqrstuvwxyz");
        assertEquals("abcdefghijklmno", Lwp.getName(0), "a longer name is cut, not refused");
        Lwp.setName(Lwp.self(), "exactly15chars!");
        assertEquals("exactly15chars!", Lwp.getName(0));
        Lwp.setName(0, "sixteen-chars-xy");
        assertEquals("sixteen-chars-x", Lwp.getName(Lwp.self()));
        // A character outside the BMP is two chars; the cut never splits it.
        String emoji = new String(Character.toChars(0x1F600));
        Lwp.setName(0, "fourteen-chars" + emoji);
        assertEquals("fourteen-chars", Lwp.getName(0));
        Lwp.setName(0, "thirteen-char" + emoji);
        assertEquals("thirteen-char" + emoji, Lwp.getName(0));
        Lwp.setName(0, "");
        assertEquals("", Lwp.getName(0));

        String mine = new StringBuilder("worker").toString();
        Lwp.setName(0, mine);
        assertEquals(mine, Lwp.getName(0));
        assertNotSame(mine, Lwp.getName(0), "the kernel keeps its own copy of the name");
    }

    @Test
    void theNameShowsAsTheThreadName(Supervisor.Attachment me) {
        CountDownLatch named = new CountDownLatch(1);
        AtomicReference<String> seenFromInside = new AtomicReference<>();
        AtomicReference<String> ownName = new AtomicReference<>();
        AtomicReference<String> cutName = new AtomicReference<>();
        int t = Lwp.create(() -> {
            awaitLatch(named, "named");
            seenFromInside.set(Thread.currentThread().getName());
            Lwp.setName(0, "self-named");
            ownName.set(Thread.currentThread().getName());
            Lwp.setName(0, "a-very-long-name-for-a-thread");
            cutName.set(Thread.currentThread().getName());
        });
        Lwp.setName(t, "worker");
        assertEquals("worker", Lwp.getName(t));
        named.countDown();
        assertEquals(t, Lwp.waitFor(t));
        String prefix = "lwp " + me.pid() + "/" + t;
        assertEquals(prefix + " worker", seenFromInside.get());
        assertEquals(prefix + " self-named", ownName.get());
        assertEquals(prefix + " a-very-long-nam", cutName.get());
    }

    @Test
    void namingAnUnknownOrExitedLwpAnswersEsrch(Supervisor.Attachment me) {
        expectErrno(Errno.ESRCH, () -> Lwp.setName(999, "x"));
        expectErrno(Errno.ESRCH, () -> Lwp.getName(999));
        int z = LwpTestSupport.createZombie().lid();
        LwpException e = expectErrno(Errno.ESRCH, () -> Lwp.setName(z, "zombie"));
        assertEquals("_lwp_setname(" + z + "): ESRCH (no such process)", e.getMessage());
        expectErrno(Errno.ESRCH, () -> Lwp.getName(z));
        assertEquals(z, Lwp.waitFor(z));
        expectErrno(Errno.ESRCH, () -> Lwp.getName(z));
        assertEquals("", Lwp.getName(0), "a failed setName changed nothing");
    }

    @Test
    void aNullNameIsNullPointerExceptionNamingIt(Supervisor.Attachment me) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Lwp.setName(0, null));
        assertEquals("name", e.getMessage());
        assertEquals("", Lwp.getName(0));
    }

    @Test
    void eachLwpHasItsOwnPrivateReference(Supervisor.Attachment me) {
        assertNull(Lwp.getPrivate());
        Object mine = new Object();
        Lwp.setPrivate(mine);
        assertSame(mine, Lwp.getPrivate());

        Object theirs = new Object();
        AtomicReference<Object> initial = new AtomicReference<>(theirs);
        AtomicReference<Object> after = new AtomicReference<>();
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        int t = Lwp.create(() -> {
            initial.set(Lwp.getPrivate());
            Lwp.setPrivate(theirs);
            set.countDown();
            awaitLatch(checked, "checked");
            after.set(Lwp.getPrivate());
        });
        awaitLatch(set, "the LWP set its private reference");
        assertSame(mine, Lwp.getPrivate(), "another LWP's setPrivate did not touch mine");
        Lwp.setPrivate(null);
        Lwp.setPrivate(mine);
        checked.countDown();
        assertEquals(t, Lwp.waitFor(t));
        assertNull(initial.get(), "a new LWP starts with no private reference (not inherited)");
        assertSame(theirs, after.get(), "my setPrivate did not touch the other LWP's");
        assertSame(mine, Lwp.getPrivate());
    }
}
