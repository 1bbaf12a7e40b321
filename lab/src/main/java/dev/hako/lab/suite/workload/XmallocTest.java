package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * After Lever and Boreham's xmalloc-test (mimalloc-bench's xmalloc-testN: {@code xmalloc-test -w N -t 5 -s 64}):
 * N producer threads allocate batches of 4096 blocks of 64 bytes and push them on a shared stack (at most 100
 * batches; producers wait when it is full), N consumer threads pop batches and free every block: every block is
 * freed by another thread than the one that allocated it, and the producers never free anything. The batch's
 * pointer list is itself a block of the allocator. Runs for a fixed time. Producers write the first 64 bytes (up to
 * 128 in the original) of each block; consumers check them before they free it. Reports frees per second.
 */
public final class XmallocTest implements Workload {
    public static final String NAME = "xmalloc-test";
    static final int OBJECT_SIZE = 64;
    static final int BATCH = 4096;
    static final int MAX_BATCHES = 100;
    /** The run time at full size (mimalloc-bench runs 5 s). */
    static final double SECONDS = 2.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "N producers allocate batches of 4096 x 64 B, N consumers free them: every block crosses threads"
                + " (Lever & Boreham xmalloc-test)";
    }

    @Override
    public Figure figure() {
        return Figure.OPS_PER_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        long duration = Scale.nanos(SECONDS, scale);
        BatchStack stack = new BatchStack();
        AtomicLong frees = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        Team team = new Team();
        for (int i = 0; i < threads; i++) {
            team.start(NAME + "-consumer", i, t -> {
                try (AddressHandle h = peer.open(t)) {
                    go.await();
                    for (long b; (b = stack.pop()) != 0; ) frees.addAndGet(freeBatch(h, b));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            team.start(NAME + "-producer", threads + i, t -> {
                try (AddressHandle h = peer.open(t)) {
                    go.await();
                    while (!stack.isDone()) {
                        long batch = Mem.malloc(h, 8L * BATCH);
                        for (int k = 0; k < BATCH; k++) {
                            long p = Mem.malloc(h, OBJECT_SIZE);
                            Mem.fill(p, OBJECT_SIZE, patternSeed(p, batch, k));
                            Mem.putLong(batch + 8L * k, p);
                        }
                        stack.push(batch);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(duration / 1_000_000, (int) (duration % 1_000_000));
        while (frees.get() == 0 && !team.failed()) Thread.sleep(1); // a tiny run still measures a batch
        stack.finish();
        team.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long measured = frees.get();
        long left = 0;
        try (AddressHandle h = peer.open(2 * threads)) { // untimed: what the consumers left
            for (long b; (b = stack.popLeft()) != 0; ) left += freeBatch(h, b);
        }
        return new Outcome(seconds, measured, measured + left);
    }

    private static long freeBatch(AddressHandle h, long batch) {
        for (int k = 0; k < BATCH; k++) {
            long p = Mem.getLong(batch + 8L * k);
            Mem.checkFill(NAME, p, OBJECT_SIZE, patternSeed(p, batch, k));
            h.free(p);
        }
        h.free(batch);
        return BATCH;
    }

    /** The block's pattern: its address, its batch and its place there (a block handed out twice shows). */
    private static long patternSeed(long p, long batch, int k) {
        return p * 0x9E3779B97F4A7C15L ^ batch * 0xC2B2AE3D27D4EB4FL ^ k;
    }

    /** The shared stack of batches: a lock and two conditions, as the original. */
    private static final class BatchStack {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        private final long[] batches = new long[MAX_BATCHES + 1024];
        private int count;
        private boolean done;

        void push(long batch) {
            lock.lock();
            try {
                while (count >= MAX_BATCHES && !done) notFull.awaitUninterruptibly();
                if (count == batches.length) throw new IllegalStateException("xmalloc-test: batch stack overflow");
                batches[count++] = batch;
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
        }

        /** The top batch, waiting while the stack is empty; 0 once the run is done. */
        long pop() {
            lock.lock();
            try {
                while (count == 0 && !done) notEmpty.awaitUninterruptibly();
                if (done) return 0;
                long b = batches[--count];
                notFull.signal();
                return b;
            } finally {
                lock.unlock();
            }
        }

        /** After the run: the batches left, without waiting. */
        long popLeft() {
            lock.lock();
            try {
                return count == 0 ? 0 : batches[--count];
            } finally {
                lock.unlock();
            }
        }

        boolean isDone() {
            lock.lock();
            try {
                return done;
            } finally {
                lock.unlock();
            }
        }

        void finish() {
            lock.lock();
            try {
                done = true;
                notEmpty.signalAll();
                notFull.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
