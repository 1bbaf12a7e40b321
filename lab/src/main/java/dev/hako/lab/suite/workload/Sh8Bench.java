package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * After MicroQuill's sh8bench (mimalloc-bench runs it with twice the cores in threads): each thread cycles through
 * a size histogram (mostly 8..32-byte blocks, some up to 1 KiB, a rare few of 4 KiB to 160 KiB), allocating a burst
 * of blocks of one size per iteration into its share of a large {@link SaveWindowRing} (freed in batches, FIFO and
 * LIFO, a fifth kept a cycle longer). Meanwhile the main thread allocates a stream of 8-byte blocks into a shared
 * array, and every thread frees its own share of each stretch of that array as it fills: blocks freed by another
 * thread than the one that allocated them. Blocks are tagged (ring blocks at both ends, as mimalloc-bench's version
 * writes the first and last byte; shared ones with their index), checked before they are freed. Reports the time.
 */
public final class Sh8Bench implements Workload {
    public static final String NAME = "sh8bench";
    /** Sizes and burst counts, in the cycle order. */
    static final int[][] HISTOGRAM = {{8, 1200}, {16, 4000}, {32, 1500}, {64, 200}, {128, 100}, {256, 100},
            {512, 20}, {1024, 6}, {4096, 3}, {16384, 1}, {65536, 1}, {163840, 1}};
    /** Ring slots over all threads. */
    static final int HEAP_BLOCKS = 400_000;
    /** Histogram steps over all threads at full size. */
    static final int ITERATIONS = 60_000;
    /** Shared 8-byte blocks per histogram step. */
    static final int FOREIGN_PER_ITERATION = 15;
    private static final long COOKIE = 0x3C6EF372FE94F82BL;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "bursts of one size from a histogram (8 B..160 KiB) into a big ring freed FIFO and LIFO, plus a"
                + " stream of blocks from the main thread freed by the workers (MicroQuill sh8bench)";
    }

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int iterations = Math.max(1, Scale.count(ITERATIONS, scale) / threads);
        int ringSlots = Math.max(100, Scale.count(HEAP_BLOCKS, scale) / threads);
        long square = (long) threads * threads;
        int foreign = (int) Math.max(square, Scale.count((long) ITERATIONS * FOREIGN_PER_ITERATION, scale)
                / square * square);
        AtomicLongArray shared = new AtomicLongArray(foreign);
        AtomicLong ops = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        long start = System.nanoTime();
        Team team = new Team();
        team.startAll(NAME, threads, t -> {
            try (AddressHandle h = peer.open(t)) {
                SaveWindowRing ring = new SaveWindowRing(NAME, ringSlots);
                ForeignShare share = new ForeignShare(shared, t, threads, team);
                Rng rng = new Rng(0x5B8L + t);
                int step = t % HISTOGRAM.length;
                for (int it = 0; it < iterations; it++) {
                    share.freeReady(h, false);
                    int[] entry = HISTOGRAM[step];
                    step = step + 1 == HISTOGRAM.length ? 0 : step + 1;
                    for (int k = 0; k < entry[1]; k++) ring.allocate(h, entry[0], rng.nextLong());
                }
                share.freeReady(h, true);
                ring.freeAll(h);
                ops.addAndGet(ring.ops + share.freed);
                checked.addAndGet(ring.checked + share.freed);
            }
        });
        try (AddressHandle main = peer.open(threads)) {
            for (int i = 0; i < foreign && !team.failed(); i++) {
                long p = Mem.malloc(main, HISTOGRAM[0][0]);
                Mem.putLong(p, i ^ COOKIE);
                shared.setRelease(i, p);
            }
        } catch (RuntimeException | Error e) {
            team.fail(e); // the workers stop waiting for blocks that will not come
        }
        team.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, ops.get() + foreign, checked.get());
    }

    /**
     * A thread's share of the shared array: the array is split into one stretch per thread, and thread t frees the
     * t-th part of every stretch, in the order the main thread fills them.
     */
    private static final class ForeignShare {
        private final AtomicLongArray shared;
        private final int part;
        private final int stretch;
        private final int t;
        private final int threads;
        private final Team team;
        private int stretchIndex;
        private int offset;
        long freed;

        ForeignShare(AtomicLongArray shared, int t, int threads, Team team) {
            this.shared = shared;
            this.team = team;
            this.stretch = shared.length() / threads;
            this.part = stretch / threads;
            this.t = t;
            this.threads = threads;
        }

        /** Frees the blocks of this share that are there; with {@code all}, waits for the rest. */
        void freeReady(AddressHandle h, boolean all) {
            while (stretchIndex < threads) {
                int i = stretchIndex * stretch + t * part + offset;
                long p = shared.getAcquire(i);
                if (p == 0) {
                    if (!all || team.failed()) return;
                    LockSupport.parkNanos(20_000);
                    continue;
                }
                if (Mem.getLong(p) != (i ^ COOKIE)) {
                    throw new BlockCheckException(NAME, "index written by the main thread", p, 8, 0);
                }
                h.free(p);
                freed++;
                if (++offset == part) {
                    offset = 0;
                    stretchIndex++;
                }
            }
        }
    }
}
