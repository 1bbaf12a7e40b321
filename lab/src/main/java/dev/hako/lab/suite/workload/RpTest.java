package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * After rpmalloc's benchmark (mimalloc-bench's rptestN: {@code rptest N 0 1 2 500 1000 100 8 16000}): each thread
 * keeps 1000 slots and, loop after loop, frees a varying number of them (stepping through the slots by one prime)
 * and fills a varying number (stepping by another), sizes 8..16000 bytes with a linear drop-off (small sizes most
 * likely). Every second loop a thread also allocates a batch of blocks and hands it to the next thread, which
 * frees it (cross-thread frees); the batch's pointer list is itself a block of the allocator. Two iterations, each
 * ending with every thread freeing all it holds. Blocks are tagged at both ends (the original writes its size at
 * the start and a byte at the end) and touched once per 4 KiB page, as the original does so that the pages count
 * in the RSS; the tag is checked before every free. Reports memory operations per second.
 */
public final class RpTest implements Workload {
    public static final String NAME = "rptest";
    static final int SLOTS = 1000;
    static final int OP_COUNT = 100;
    static final int MIN_SIZE = 8;
    static final int MAX_SIZE = 16000;
    static final int CROSS_RATE = 2;
    static final int ITERATIONS = 2;
    /** Loops per iteration at full size (mimalloc-bench passes 500: a fraction of a second natively). */
    static final int LOOPS = 12_000;
    private static final int[] SIZES = linearSizes(2000, 71);
    private static final int[] ALLOC_OPS = opCounts(311, OP_COUNT, 72);
    private static final int[] FREE_OPS = opCounts(257, OP_COUNT * 8 / 10, 73);
    private static final int ALLOC_STEP = primeNotDividing(SLOTS, 0);
    private static final int FREE_STEP = primeNotDividing(SLOTS, ALLOC_STEP);
    /** A batch block: the next batch, the count, then the pointers. */
    private static final int BATCH_HEADER = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "1000 slots per thread, 8..16000 B with linear drop-off, batches of blocks freed by the next"
                + " thread (rpmalloc benchmark)";
    }

    @Override
    public Figure figure() {
        return Figure.OPS_PER_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int loops = Scale.count(LOOPS, scale);
        AtomicLongArray inbox = new AtomicLongArray(threads); // each thread's stack of batches
        Phaser iterationEnd = new Phaser(threads);
        AtomicLong ops = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        long start = System.nanoTime();
        Team.run(NAME, threads, t -> {
            try (AddressHandle h = peer.open(t)) {
                new Worker(h, t, threads, loops, inbox, iterationEnd).run(ops, checked);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        for (int t = 0; t < threads; t++) {
            if (inbox.get(t) != 0) throw new IllegalStateException("rptest: batches left for thread " + t);
        }
        return new Outcome(seconds, ops.get(), checked.get());
    }

    private static final class Worker {
        private final AddressHandle h;
        private final int t;
        private final int threads;
        private final int loops;
        private final AtomicLongArray inbox;
        private final Phaser iterationEnd;
        private final long[] slot = new long[SLOTS];
        private long ops, checked;

        Worker(AddressHandle h, int t, int threads, int loops, AtomicLongArray inbox, Phaser iterationEnd) {
            this.h = h;
            this.t = t;
            this.threads = threads;
            this.loops = loops;
            this.inbox = inbox;
            this.iterationEnd = iterationEnd;
        }

        void run(AtomicLong opsOut, AtomicLong checkedOut) {
            int allocAt = 0, freeAt = 0, target = t;
            try {
                for (int iter = 0; iter < ITERATIONS; iter++) {
                    int sizeAt = (t + 1) * (iter + 1) * 37 % SIZES.length;
                    for (int loop = 0; loop < loops; loop++) {
                        long foreign = inbox.getAndSet(t, 0);
                        int frees = FREE_OPS[(iter + loop) % FREE_OPS.length];
                        int allocs = ALLOC_OPS[(iter + loop) % ALLOC_OPS.length];
                        for (int k = 0; k < frees; k++) {
                            if (slot[freeAt] != 0) {
                                free(slot[freeAt]);
                                slot[freeAt] = 0;
                            }
                            freeAt = (freeAt + FREE_STEP) % SLOTS;
                        }
                        freeBatches(foreign);
                        for (int k = 0; k < allocs; k++) {
                            if (slot[allocAt] != 0) free(slot[allocAt]);
                            slot[allocAt] = allocate(SIZES[(sizeAt + 2) % SIZES.length]);
                            allocAt = (allocAt + ALLOC_STEP) % SLOTS;
                            sizeAt = (sizeAt + 1) % SIZES.length;
                        }
                        // Cross-thread batches stop once a thread has finished its loops, as in the original.
                        if (threads > 1 && loop % CROSS_RATE == 0 && iterationEnd.getArrivedParties() == 0) {
                            long batch = Mem.malloc(h, BATCH_HEADER + 8L * allocs);
                            Mem.putLong(batch + 8, allocs);
                            for (int k = 0; k < allocs; k++) {
                                Mem.putLong(batch + BATCH_HEADER + 8L * k, allocate(SIZES[(sizeAt + 2) % SIZES.length]));
                                sizeAt = (sizeAt + 1) % SIZES.length;
                            }
                            ops++;
                            target = (target + 1) % threads;
                            if (target == t) target = (target + 1) % threads;
                            push(target, batch);
                        }
                    }
                    // Wait for the others, freeing what they send meanwhile; nothing is sent once all have arrived.
                    int phase = iterationEnd.arrive();
                    while (iterationEnd.getPhase() == phase) {
                        freeBatches(inbox.getAndSet(t, 0));
                        LockSupport.parkNanos(50_000);
                    }
                    freeBatches(inbox.getAndSet(t, 0));
                    for (int i = 0; i < SLOTS; i++) {
                        if (slot[i] != 0) {
                            free(slot[i]);
                            slot[i] = 0;
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                iterationEnd.forceTermination(); // the others must not wait for this thread
                throw e;
            }
            opsOut.addAndGet(ops);
            checkedOut.addAndGet(checked);
        }

        private long allocate(int size) {
            long p = Mem.malloc(h, size);
            Mem.tag(p, size, tagOf(p, size));
            for (long page = 4096; page < size - 1; page += 4096) Mem.putByte(p + page, (byte) 1);
            ops++;
            return p;
        }

        private void free(long p) {
            int size = (int) Mem.getLong(p);
            if (size < MIN_SIZE || size > MAX_SIZE) throw new BlockCheckException(NAME, "size in the tag", p, 8, 0);
            Mem.checkTag(NAME, p, size, tagOf(p, size));
            h.free(p);
            ops++;
            checked++;
        }

        private void freeBatches(long batch) {
            while (batch != 0) {
                long next = Mem.getLong(batch);
                long count = Mem.getLong(batch + 8);
                for (long k = 0; k < count; k++) free(Mem.getLong(batch + BATCH_HEADER + 8 * k));
                h.free(batch);
                ops++;
                batch = next;
            }
        }

        /** Pushes a batch onto a thread's stack (the owner takes the whole stack at once, so there is no ABA). */
        private void push(int target, long batch) {
            long head;
            do {
                head = inbox.get(target);
                Mem.putLong(batch, head);
            } while (!inbox.compareAndSet(target, head, batch));
        }
    }

    /** The tag: the size in the low half, a hash of address and size in the high half. */
    static long tagOf(long p, int size) {
        long x = (p ^ ((long) size << 17)) * 0x9E3779B97F4A7C15L;
        return (x & 0xFFFFFFFF00000000L) | size;
    }

    /** Sizes with a linear drop-off: a uniform size scaled by |1 - u - v|, whose density falls linearly to 0. */
    static int[] linearSizes(int n, long seed) {
        Rng rng = new Rng(seed);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            double w = Math.abs(1 - rng.nextDouble() - rng.nextDouble());
            s[i] = MIN_SIZE + (int) ((MAX_SIZE - MIN_SIZE) * rng.nextDouble() * w);
        }
        return s;
    }

    /** Operation counts between 30 % and 99 % of {@code full}. */
    private static int[] opCounts(int n, int full, long seed) {
        Rng rng = new Rng(seed);
        int[] c = new int[n];
        for (int i = 0; i < n; i++) c[i] = full * (30 + rng.nextInt(70)) / 100;
        return c;
    }

    /** The first prime from 7 up that does not divide {@code n} and differs from {@code other}. */
    private static int primeNotDividing(int n, int other) {
        for (int p = 7; ; p++) {
            if (isPrime(p) && n % p != 0 && p != other) return p;
        }
    }

    private static boolean isPrime(int p) {
        for (int d = 2; d * d <= p; d++) if (p % d == 0) return false;
        return true;
    }
}
