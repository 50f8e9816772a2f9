package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** An attached thread carries its LWP's name while attached (jstack finds it) and gets its own back. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class AttachedThreadNameTest {
    @Test
    void anAttachedThreadIsRenamedWhileAttachedAndRestoredOnDetach(Supervisor s) throws Exception {
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                StringBuilder sb = new StringBuilder();
                try (var a = s.attachNewProcess()) {
                    sb.append(Thread.currentThread().getName()).append('|');
                    Lwp.setName(0, "boss");
                    sb.append(Thread.currentThread().getName()).append('|').append(a.pid()).append('|');
                }
                sb.append(Thread.currentThread().getName());
                out.complete(sb.toString());
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        }, "my-own-name");
        t.start();
        String[] seen = out.get(30, TimeUnit.SECONDS).split("\\|");
        t.join(TimeUnit.SECONDS.toMillis(30));
        String pid = seen[2];
        assertEquals("lwp " + pid + "/1", seen[0], "while attached");
        assertEquals("lwp " + pid + "/1 boss", seen[1], "_lwp_setname renames it too");
        assertEquals("my-own-name", seen[3], "its own name back after detach");
    }

    @Test
    void aNameGivenByTheUserWhileAttachedIsKept(Supervisor s) throws Exception {
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (var a = s.attach()) {
                Thread.currentThread().setName("renamed-by-user");
            }
            out.complete(Thread.currentThread().getName());
        }, "before");
        t.start();
        assertEquals("renamed-by-user", out.get(30, TimeUnit.SECONDS));
        t.join(TimeUnit.SECONDS.toMillis(30));
    }
}
