package org.lwp4j.sync;

import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import org.lwp4j.ParkResult;
import org.lwp4j.kern.GlobalLot;
import org.lwp4j.sleep.Waiter;

/**
 * The waiting half of one contended acquisition of a {@link Mutex}, {@link RwLock} or
 * {@link Semaphore}: its spin rounds while nobody sleeps, the announcement of a sleeper in the
 * state word, and its sleeps on the JVM-wide lot. Made by the acquiring thread for one call of
 * its acquisition loop and used by that thread alone.
 */
final class Acquisition {
    /*
     * Each synchronizer's loop reads its word and, when it may enter, enters with its own CAS;
     * when it may not, it calls await, which takes one step of the rest (WebKit's
     * LockAlgorithm::lockSlow, the same for every lock): spin while no sleeper is announced,
     * announce one (CAS the parked bits in), sleep while the word still says to. What differs
     * between the locks (the bits, the sleep key and test, the tokens) comes in as arguments.
     * The acquisition's start (the waiter's lotSince after its first sleep) is passed to every
     * later sleep, so that a sleeper that lost a race after a wake keeps its FIFO place and its
     * claim to a fair hand-off.
     */
    /** Spin rounds before sleeping: 3 PAUSE bursts (2, 4, 8), then yields. */
    private static final int SPINS = 10;
    /** await: re-read the word and go round the loop again. */
    static final int AGAIN = 3;
    /** await: woken by a waker (its token in {@link #token()}); the spin rounds start over. */
    static final int WOKEN = 4;

    /** Spin rounds taken since the start or the last wake. */
    private int spins;
    /**
     * The calling thread's waiter, from the first sleep on (null before it). What the last sleep
     * left in it (lotSince, lotToken) stays there until the next one: nothing between two
     * sleeps of the loop sleeps.
     */
    private Waiter w;
    private final boolean interruptible, timed;
    private final long deadline;

    /**
     * An acquisition about to wait.
     *
     * @param interruptible whether an interrupt or {@link org.lwp4j.Lwp#wakeup} ends the acquisition
     * @param timed         whether {@code deadline} applies
     * @param deadline      the {@link System#nanoTime()} deadline, if timed
     */
    Acquisition(boolean interruptible, boolean timed, long deadline) {
        this.interruptible = interruptible;
        this.timed = timed;
        this.deadline = deadline;
    }

    /**
     * One waiting step, after the loop read {@code s} from {@code sync}'s word (handle
     * {@code word}) and may not enter. The first that applies:
     * <ol>
     * <li>{@code spinBit} is clear (no sleeper) and rounds are left: spin one round, unless the
     *     deadline has passed (a zero or past time does not spin): TIMED_OUT;</li>
     * <li>the {@code announce} bits are not all set: CAS them in; a lost race answers AGAIN;</li>
     * <li>sleep on {@code key} if {@code mustSleep} still holds under the bucket lock.</li>
     * </ol>
     *
     * @return AGAIN, WOKEN, Mutex.TIMED_OUT or (interruptible only) Mutex.INTERRUPTED
     */
    int await(VarHandle word, Object sync, int s, int spinBit, int announce, Object key,
              BooleanSupplier mustSleep) {
        if ((s & spinBit) == 0 && spins < SPINS) {
            if (timed && System.nanoTime() - deadline >= 0) {
                return Mutex.TIMED_OUT;
            }
            spin(spins++);
            return AGAIN;
        }
        if ((s & announce) != announce && !word.compareAndSet(sync, s, s | announce)) {
            return AGAIN;
        }
        return sleep(key, mustSleep);
    }

    /** The token of the wake that ended the last sleep (after WOKEN). */
    int token() {
        return w.lotToken();
    }

    private int sleep(Object key, BooleanSupplier mustSleep) {
        long since = 0; // the first sleep: from now
        if (w == null) {
            w = GlobalLot.waiter();
        } else {
            since = w.lotSince();
        }
        ParkResult r = GlobalLot.syncWait(w, key, mustSleep, timed, deadline, interruptible, since);
        if (r == ParkResult.UNPARKED) {
            spins = 0;
            return WOKEN;
        }
        if (r == ParkResult.TIMED_OUT) {
            return Mutex.TIMED_OUT;
        }
        return r == ParkResult.INTERRUPTED && interruptible ? Mutex.INTERRUPTED : AGAIN;
    }

    private static void spin(int i) {
        if (i < 3) {
            for (int n = 2 << i; n > 0; n--) {
                Thread.onSpinWait();
            }
        } else {
            Thread.yield();
        }
    }
}
