package org.lwp4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwp4j.sync.SyncTestSupport.assertInterruptedWhileBlocked;
import static org.lwp4j.sync.SyncTestSupport.awaitBlockedOn;
import static org.lwp4j.sync.SyncTestSupport.run;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.sync.SyncTestSupport.Runner;

/** Latch: counting down, releasing every waiter, timed and interrupted awaits, errors. */
@Timeout(60)
class LatchTest {
    @Test
    void anOpenLatchDoesNotWaitAndStaysOpen() throws Exception {
        Latch l = new Latch(0);
        l.await();
        assertTrue(l.await(0, TimeUnit.SECONDS));
        l.countDown();
        assertEquals(0, l.getCount());
        assertThrows(IllegalArgumentException.class, () -> new Latch(-1));
        assertThrows(IllegalArgumentException.class, () -> new Latch(1 << 30));
        assertThrows(NullPointerException.class, () -> l.await(1, null));
    }

    @Test
    void theLastCountDownReleasesEveryWaiter() throws Exception {
        Latch l = new Latch(2);
        AtomicInteger through = new AtomicInteger();
        Runner[] rs = new Runner[3];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = run("waiter " + i, () -> {
                l.await();
                through.incrementAndGet();
            });
            awaitBlockedOn(rs[i].thread, l);
        }
        l.countDown();
        assertEquals(1, l.getCount());
        for (Runner r : rs) {
            awaitBlockedOn(r.thread, l);
        }
        assertEquals(0, through.get());
        l.countDown();
        for (Runner r : rs) {
            r.join();
        }
        assertEquals(3, through.get());
        assertTrue(l.toString().contains("count = 0"), l.toString());
    }

    @Test
    void timedAndInterruptedAwaitsEndAsJucSays() throws Exception {
        Latch l = new Latch(1);
        assertFalse(l.await(10, TimeUnit.MILLISECONDS));
        assertFalse(l.await(0, TimeUnit.MILLISECONDS));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, l::await);
        assertFalse(Thread.interrupted());
        assertInterruptedWhileBlocked("interrupted", l, () -> l.await(20, TimeUnit.SECONDS));
        Runner timed = run("timed", () -> assertTrue(l.await(20, TimeUnit.SECONDS)));
        awaitBlockedOn(timed.thread, l);
        l.countDown();
        timed.join();
    }
}
