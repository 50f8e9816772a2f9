package org.lwp4j.stress.sync;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.locks.Lock;
import org.lwp4j.sync.RwLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Property: RwLock's writer excludes readers and writers. A writer writes two plain fields under
 * the write lock; a reader reads both under the read lock and must see neither or both. Two
 * writers incrementing must not lose an update.
 *
 * <p>Run: {@code java -jar stress/target/jcstress.jar -t RwLockExclusionTest -m sanity}
 */
public class RwLockExclusionTest {
    private RwLockExclusionTest() {
    }

    /** Reader against writer. Reported: the two fields as the reader saw them. */
    @JCStressTest
    @Description("read x, y under the read lock racing x = 1; y = 1 under the write lock")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the reader went first")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the writer went first")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the reader saw half a write")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "the reader saw half a write")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class ReaderWriter {
        final RwLock l = new RwLock();
        final Lock r = l.readLock(), w = l.writeLock();
        int x, y;

        @Actor
        public void writer() {
            Locked.run(w, () -> {
                x = 1;
                y = 1;
            });
        }

        @Actor
        public void reader(II_Result res) {
            r.lock();
            res.r1 = x;
            res.r2 = y;
            r.unlock();
        }
    }

    /** Two writers. Reported: the sum after both increments. */
    @JCStressTest
    @Description("two x++ under the write lock")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "each increment under the write lock alone")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "two writers overlapped")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class TwoWriters {
        final RwLock l = new RwLock();
        final Lock r = l.readLock(), w = l.writeLock();
        int x;

        @Actor
        public void w1() {
            Locked.run(w, () -> x++);
        }

        @Actor
        public void w2() {
            Locked.run(w, () -> x++);
        }

        @Arbiter
        public void sum(I_Result res) {
            res.r1 = x;
        }
    }
}
