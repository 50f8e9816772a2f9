package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lwp4j.SupervisorExtension.Started;

/** Process-local storage: per process, copied by fork or shared with MEM. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class ProcStorageTest {
    @Started
    private Supervisor sup;

    @Test
    void setGetRemoveAndEveryLwpOfTheProcessSeesIt(Supervisor.Attachment a) {
        assertNull(Proc.getLocal("k"));
        assertNull(Proc.setLocal("k", 1));
        assertEquals(1, Proc.setLocal("k", 2));
        assertEquals(2, Proc.getLocal("k"));
        AtomicReference<Object> other = new AtomicReference<>();
        int t = Lwp.create(() -> other.set(Proc.getLocal("k")));
        Lwp.waitFor(t);
        assertEquals(2, other.get());
        assertEquals(2, Proc.setLocal("k", null));
        assertNull(Proc.getLocal("k"));
        assertThrows(NullPointerException.class, () -> Proc.getLocal(null));
        assertThrows(NullPointerException.class, () -> Proc.setLocal(null, 1));
    }

    @Test
    void forkCopiesTheStorage(Supervisor.Attachment a) {
        Proc.setLocal("k", "parent");
        AtomicReference<Object> seen = new AtomicReference<>();
        int pid = Proc.fork(() -> {
            seen.set(Proc.getLocal("k"));
            Proc.setLocal("k", "child");
            Proc.setLocal("new", 1);
        });
        reapExited(pid, 0);
        assertEquals("parent", seen.get(), "the copy starts with the parent's values");
        assertEquals("parent", Proc.getLocal("k"), "the child's change stays in the child");
        assertNull(Proc.getLocal("new"));
    }

    @Test
    void memSharesTheStorage(Supervisor.Attachment a) {
        Proc.setLocal("k", "parent");
        int pid = Proc.fork(() -> {
            assertEquals("parent", Proc.getLocal("k"));
            Proc.setLocal("k", "child");
            Proc.setLocal("new", 1);
        }, ProcFlags.MEM);
        reapExited(pid, 0);
        assertEquals("child", Proc.getLocal("k"));
        assertEquals(1, Proc.getLocal("new"));
    }

    @Test
    void separateProcessesHaveSeparateStorage() {
        try (var a = sup.attachNewProcess()) {
            Proc.setLocal("k", "a");
        }
        try (var b = sup.attachNewProcess()) {
            assertNull(Proc.getLocal("k"));
        }
    }
}
