package org.lwp4j;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwp4j.LwpTestSupport.*;
import static org.lwp4j.ProcTestSupport.*;
import static org.lwp4j.Sig.*;
import static org.lwp4j.Signals.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.lwp4j.SupervisorExtension.Started;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Timeout;
import org.lwp4j.Disposition;

/** Pipes in the resource table: {@code pipe}, {@code read}, {@code write}, O_NONBLOCK. */
@Timeout(60)
@ExtendWith(SupervisorExtension.class)
class PipeTest {
    @Started
    private Supervisor sup;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String readString(int h, int max) {
        byte[] b = new byte[max];
        int n = Proc.read(h, b, 0, max);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static void writeAll(int h, byte[] b) {
        assertEquals(b.length, Proc.write(h, b, 0, b.length));
    }

    @Test
    void pipeAnswersAReadAndAWriteHandleAndBytesGoThroughInOrder(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        assertEquals(2, fd.length);
        assertNotEquals(fd[0], fd[1]);
        assertArrayEquals(new int[] {fd[0], fd[1]}, Proc.handles());
        writeAll(fd[1], bytes("hello, "));
        writeAll(fd[1], bytes("pipe"));
        assertEquals("hello", readString(fd[0], 5));
        assertEquals(", pipe", readString(fd[0], 100), "a read answers what is there, no more");
        assertEquals(0, Proc.read(fd[0], new byte[4], 0, 0), "a read of 0 bytes");
        Proc.close(fd[1]);
        assertEquals(0, Proc.read(fd[0], new byte[4], 0, 4), "EOF once the write end is closed");
        Proc.close(fd[0]);
        assertArrayEquals(new int[0], Proc.handles());
    }

    @Test
    void theBufferWrapsAroundWithoutLosingBytes(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        byte[] chunk = new byte[5000];
        byte[] got = new byte[5000];
        for (int round = 0; round < 20; round++) {
            Arrays.fill(chunk, (byte) round);
            writeAll(fd[1], chunk);
            int n = 0;
            while (n < chunk.length) {
                n += Proc.read(fd[0], got, n, chunk.length - n);
            }
            assertArrayEquals(chunk, got, "round " + round);
        }
    }

    @Test
    void aReadBlocksUntilAWriterWrites(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        AtomicReference<String> got = new AtomicReference<>();
        int t = Lwp.create(() -> got.set(readString(fd[0], 64)));
        awaitSleepsOn(t, "piperd");
        writeAll(fd[1], bytes("wake"));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("wake", got.get());
    }

    @Test
    void aFullPipeBlocksTheWriterUntilAReaderMakesRoom(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        byte[] big = new byte[16384 + 1000];
        AtomicInteger wrote = new AtomicInteger(-1);
        int t = Lwp.create(() -> wrote.set(Proc.write(fd[1], big, 0, big.length)));
        awaitSleepsOn(t, "pipewr");
        byte[] sink = new byte[big.length];
        int n = 0;
        while (n < big.length) {
            n += Proc.read(fd[0], sink, n, big.length - n);
        }
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(big.length, wrote.get());
    }

    @Test
    void eofComesOnceEveryWriteHandleIsClosedIncludingByExit(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(() -> { // FDG: the child has copies of both ends
            writeAll(fd[1], bytes("from the child"));
            awaitLatch(go, "exit");
        });
        Proc.close(fd[1]); // our write end: the child's copy keeps the pipe open
        assertEquals("from the child", readString(fd[0], 100));
        AtomicInteger eof = new AtomicInteger(-1);
        int t = Lwp.create(() -> eof.set(Proc.read(fd[0], new byte[8], 0, 8)));
        awaitSleepsOn(t, "piperd");
        go.countDown();
        reapExited(c, 0);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(0, eof.get(), "EOF: the child's exit closed the last write end");
    }

    @Test
    void aWriteWithNoReaderAnswersEpipeAfterSigpipeRan(Supervisor.Attachment a) throws Exception {
        List<SigInfo> got = new CopyOnWriteArrayList<>();
        sigaction(SIGPIPE, Disposition.handler(got::add));
        int[] fd = Proc.pipe();
        Proc.close(fd[0]);
        expectErrno(Errno.EPIPE, () -> Proc.write(fd[1], bytes("x"), 0, 1));
        assertEquals(1, got.size(), "SIGPIPE was delivered to the writer first");
        assertEquals(SIGPIPE, got.get(0).signo());
        sigaction(SIGPIPE, Disposition.IGNORE);
        expectErrno(Errno.EPIPE, () -> Proc.write(fd[1], bytes("x"), 0, 1), "ignored: EPIPE alone");
        assertEquals(1, got.size());
    }

    private static void closeQuietly(int h) {
        try {
            Proc.close(h);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sigpipeByDefaultTerminatesTheWriter(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        CountDownLatch closed = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            closeQuietly(fd[0]);
            awaitLatch(closed, "the parent closed its read end");
            Proc.write(fd[1], bytes("x"), 0, 1);
            Proc.exit(99); // not reached
        });
        Proc.close(fd[0]);
        closed.countDown();
        WaitResult r = Proc.waitpid(c, 0);
        assertTrue(r.signaled(), r.toString());
        assertEquals(SIGPIPE, r.termSig());
    }

    @Test
    void writesOfAtMostPipeBufBytesAreAtomicAmongWriters(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        int writers = 4, records = 200;
        int[] lids = new int[writers];
        for (int w = 0; w < writers; w++) {
            byte mark = (byte) (w + 1);
            lids[w] = Lwp.create(() -> {
                byte[] rec = new byte[PipeFlags.PIPE_BUF];
                Arrays.fill(rec, mark);
                for (int i = 0; i < records; i++) {
                    writeAll(fd[1], rec);
                }
            });
        }
        byte[] all = new byte[writers * records * PipeFlags.PIPE_BUF];
        int n = 0;
        while (n < all.length) {
            n += Proc.read(fd[0], all, n, Math.min(700, all.length - n)); // reads cut across records
        }
        for (int lid : lids) {
            Lwp.waitFor(lid);
        }
        int[] perWriter = new int[writers + 1];
        for (int off = 0; off < all.length; off += PipeFlags.PIPE_BUF) {
            byte m = all[off];
            for (int j = 1; j < PipeFlags.PIPE_BUF; j++) {
                if (all[off + j] != m) {
                    fail("record at " + off + " mixes writers " + m + " and " + all[off + j]);
                }
            }
            perWriter[m]++;
        }
        for (int w = 1; w <= writers; w++) {
            assertEquals(records, perWriter[w], "records of writer " + w);
        }
    }

    @Test
    void nonBlockingEndsAnswerEagainOrThePartialCount(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe2(PipeFlags.O_NONBLOCK);
        assertTrue(Proc.isNonblocking(fd[0]));
        assertTrue(Proc.isNonblocking(fd[1]));
        expectErrno(Errno.EAGAIN, () -> Proc.read(fd[0], new byte[1], 0, 1), "empty");
        byte[] big = new byte[20000];
        assertEquals(16384, Proc.write(fd[1], big, 0, big.length), "a long write takes what fits");
        expectErrno(Errno.EAGAIN, () -> Proc.write(fd[1], big, 0, 1), "full");
        assertEquals(100, Proc.read(fd[0], new byte[100], 0, 100));
        expectErrno(Errno.EAGAIN, () -> Proc.write(fd[1], big, 0, PipeFlags.PIPE_BUF),
                "an atomic write that does not fit whole");
        assertEquals(100, Proc.write(fd[1], big, 0, 100));
        Proc.setNonblocking(fd[0], false);
        assertFalse(Proc.isNonblocking(fd[0]));
        assertTrue(Proc.isNonblocking(fd[1]), "the flag is per end");
        expectErrno(Errno.EINVAL, () -> Proc.pipe2(1), "unknown pipe2 flag");
    }

    @Test
    void theNonBlockingFlagIsSharedWithAForkedChildsCopy(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        int c = Proc.fork(() -> Proc.setNonblocking(fd[0], true));
        reapExited(c, 0);
        assertTrue(Proc.isNonblocking(fd[0]), "one end, two table slots");
    }

    @Test
    void aCaughtSignalEndsABlockedReadWithEintrAfterTheHandlerRan(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()));
        int[] fd = Proc.pipe();
        AtomicReference<Object> out = new AtomicReference<>();
        AtomicInteger ranAtReturn = new AtomicInteger(-1);
        int t = Lwp.create(() -> {
            try {
                out.set(Proc.read(fd[0], new byte[8], 0, 8));
            } catch (LwpException e) {
                out.set(e.errno());
            }
            ranAtReturn.set(ran.get());
        });
        awaitSleepsOn(t, "piperd");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, out.get());
        assertEquals(1, ranAtReturn.get(), "the handler ran before the read answered");
    }

    @Test
    void withSaRestartTheInterruptedReadStartsAgainAfterTheHandler(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()).withFlags(SA_RESTART));
        int[] fd = Proc.pipe();
        AtomicReference<Object> out = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                out.set(readString(fd[0], 8));
            } catch (LwpException e) {
                out.set(e.errno());
            }
        });
        awaitSleepsOn(t, "piperd");
        lwpKill(t, SIGUSR1);
        await(() -> ran.get() == 1, "the handler ran");
        awaitSleepsOn(t, "piperd"); // asleep again: restarted
        writeAll(fd[1], bytes("later"));
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("later", out.get());
    }

    @Test
    void aKillEndsABlockedReadAndAStopDoesNot(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        AtomicReference<String> got = new AtomicReference<>();
        int c = Proc.fork(() -> got.set(readString(fd[0], 8)));
        await(() -> sup.ps().toString().contains("piperd"), () -> "the child reads: " + sup.ps());
        kill(c, SIGSTOP);
        assertTrue(Proc.waitpid(c, Wait.WUNTRACED).stopped());
        kill(c, SIGCONT);
        assertTrue(Proc.waitpid(c, Wait.WCONTINUED).continued());
        writeAll(fd[1], bytes("go on"));
        reapExited(c, 0);
        assertEquals("go on", got.get(), "after a stop the read went on");

        int c2 = Proc.fork(() -> readString(fd[0], 8));
        await(() -> sup.ps().toString().contains("piperd"), () -> "the second child reads: " + sup.ps());
        kill(c2, SIGKILL);
        assertEquals(SIGKILL, Proc.waitpid(c2, 0).termSig());
    }

    @Test
    void badHandlesAndBuffersAnswerTheirErrors(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        byte[] b = new byte[4];
        expectErrno(Errno.EBADF, () -> Proc.read(fd[1], b, 0, 1), "read on the write end");
        expectErrno(Errno.EBADF, () -> Proc.write(fd[0], b, 0, 1), "write on the read end");
        expectErrno(Errno.EBADF, () -> Proc.read(99, b, 0, 1), "no such handle");
        expectErrno(Errno.EBADF, () -> Proc.write(-1, b, 0, 1), "negative handle");
        expectErrno(Errno.EBADF, () -> Proc.setNonblocking(99, true), "fcntl on no handle");
        int other = Proc.open(() -> { });
        expectErrno(Errno.EINVAL, () -> Proc.read(other, b, 0, 1), "not a pipe");
        expectErrno(Errno.EINVAL, () -> Proc.write(other, b, 0, 1), "not a pipe");
        expectErrno(Errno.EINVAL, () -> Proc.setNonblocking(other, true), "not a pipe");
        expectErrno(Errno.EFAULT, () -> Proc.read(fd[0], b, 3, 2), "past the end");
        expectErrno(Errno.EFAULT, () -> Proc.write(fd[1], b, -1, 1), "negative offset");
        expectErrno(Errno.EFAULT, () -> Proc.write(fd[1], b, 0, -1), "negative length");
        assertThrows(NullPointerException.class, () -> Proc.read(fd[0], null, 0, 1));
        assertTrue(Proc.isNonblocking(fd[0]) == false);
        writeAll(fd[1], bytes("ok"));
        assertEquals("ok", readString(fd[0], 4), "the failed calls changed nothing");
        Proc.close(fd[0]);
        expectErrno(Errno.EBADF, () -> Proc.read(fd[0], b, 0, 1), "closed");
    }

    @Test
    void aChildForkedWithCfdgHasNoEndsAndDoesNotKeepThePipeOpen(Supervisor.Attachment a) throws Exception {
        int[] fd = Proc.pipe();
        AtomicReference<Errno> childErr = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        int c = Proc.fork(() -> {
            try {
                Proc.write(fd[1], bytes("x"), 0, 1);
            } catch (LwpException e) {
                childErr.set(e.errno());
            }
            awaitLatch(go, "exit");
        }, ProcFlags.CFDG);
        Proc.close(fd[1]);
        assertEquals(0, Proc.read(fd[0], new byte[1], 0, 1), "EOF: the CFDG child holds no write end");
        go.countDown();
        reapExited(c, 0);
        assertEquals(Errno.EBADF, childErr.get());
    }

    @Test
    void anInterruptedWriteAnswersEintrOrTheCountAlreadyWritten(Supervisor.Attachment a) {
        AtomicInteger ran = new AtomicInteger();
        sigaction(SIGUSR1, Disposition.handler(i -> ran.incrementAndGet()));
        int[] fd = Proc.pipe();
        byte[] full = new byte[16384];
        writeAll(fd[1], full);
        AtomicReference<Object> out = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                out.set(Proc.write(fd[1], new byte[10], 0, 10));
            } catch (LwpException e) {
                out.set(e.errno());
            }
        });
        awaitSleepsOn(t, "pipewr");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals(Errno.EINTR, out.get(), "nothing written yet: EINTR");

        byte[] sink = new byte[16384];
        int n = 0;
        while (n < sink.length) {
            n += Proc.read(fd[0], sink, n, sink.length - n);
        }
        writeAll(fd[1], new byte[16384 - 100]); // room for 100 bytes only
        byte[] big = new byte[1000];
        int u = Lwp.create(() -> {
            try {
                out.set(Proc.write(fd[1], big, 0, big.length));
            } catch (LwpException e) {
                out.set(e.errno());
            }
        });
        awaitSleepsOn(u, "pipewr");
        lwpKill(u, SIGUSR1);
        assertEquals(u, Lwp.waitFor(u));
        assertEquals(100, out.get(), "a long write interrupted after 100 bytes answers 100");
        assertEquals(2, ran.get());
    }

    @Test
    void aChildForkedWithoutFdgSharesTheTable(Supervisor.Attachment a) {
        int[] fd = Proc.pipe();
        int c = Proc.fork(() -> closeQuietly(fd[1]), 0); // one table for both processes
        reapExited(c, 0);
        expectErrno(Errno.EBADF, () -> Proc.write(fd[1], new byte[1], 0, 1), "the child closed our handle");
        assertEquals(0, Proc.read(fd[0], new byte[1], 0, 1), "and with it the only write end: EOF");
    }

    @Test
    void aHandlerThatThrowsDuringABlockedReadPropagatesAndThePipeStillWorks(Supervisor.Attachment a) {
        sigaction(SIGUSR1, Disposition.handler(i -> {
            throw new IllegalStateException("handler failed");
        }));
        int[] fd = Proc.pipe();
        AtomicReference<Object> out = new AtomicReference<>();
        int t = Lwp.create(() -> {
            try {
                Proc.read(fd[0], new byte[1], 0, 1);
            } catch (IllegalStateException e) {
                out.set(e.getMessage());
            }
        });
        awaitSleepsOn(t, "piperd");
        lwpKill(t, SIGUSR1);
        assertEquals(t, Lwp.waitFor(t));
        assertEquals("handler failed", out.get());
        writeAll(fd[1], bytes("still"));
        assertEquals("still", readString(fd[0], 8), "the pipe's lock was let go");
    }
}
