package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

/**
 * After glibc's bench-malloc-simple (mimalloc-bench's version, which writes the blocks and frees half FIFO, half
 * LIFO): for block sizes 16, 32 and 64 and batches of 25, 100, 400 and 1600 blocks, allocate a batch, fill every
 * block, free the first half in allocation order and the second half in reverse. Each (size, batch) runs a warm-up
 * and three measured passes: on the main thread, on a new thread, and on the main thread again (glibc: main arena,
 * thread arena, main arena once threads exist). Single-threaded by design. Blocks are checked whole before they are
 * freed. Reports the time.
 */
public final class GlibcSimple implements Workload {
    public static final String NAME = "glibc-simple";
    static final int[] SIZES = {16, 32, 64};
    static final int[] BATCHES = {25, 100, 400, 1600};
    /** Blocks per (size, batch, pass) at full size (the original's 2,000,000, scaled to the suite's budget). */
    static final int BLOCKS = 1_200_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "batches of 25..1600 blocks of 16/32/64 B, filled, freed half FIFO half LIFO; main thread,"
                + " new thread, main again (glibc bench-malloc-simple)";
    }

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int blocks = Scale.count(BLOCKS, scale);
        long[] counts = new long[2];
        long start = System.nanoTime();
        try (AddressHandle main = peer.open(0)) {
            Batches b = new Batches(main);
            for (int size : SIZES) {
                for (int n : BATCHES) b.run(n, size, Math.max(1, blocks / n)); // warm-up
                for (int n : BATCHES) b.run(n, size, Math.max(1, blocks / n));
                Team.run(NAME, 1, t -> {
                    try (AddressHandle h = peer.open(1)) {
                        Batches other = new Batches(h);
                        for (int n : BATCHES) other.run(n, size, Math.max(1, blocks / n));
                        synchronized (counts) {
                            counts[0] += other.blocks;
                        }
                    }
                });
                for (int n : BATCHES) b.run(n, size, Math.max(1, blocks / n));
            }
            counts[0] += b.blocks;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, 2 * counts[0], counts[0]);
    }

    /** One thread's batches; the pointer table is reused, as the original's. */
    private static final class Batches {
        private final AddressHandle h;
        private final long[] addr = new long[BATCHES[BATCHES.length - 1]];
        private long seed;
        long blocks;

        Batches(AddressHandle h) {
            this.h = h;
        }

        void run(int n, int size, int iterations) {
            for (int j = 0; j < iterations; j++) {
                long first = seed;
                for (int i = 0; i < n; i++) {
                    long p = Mem.malloc(h, size);
                    Mem.fill(p, size, seed++);
                    addr[i] = p;
                }
                for (int i = 0; i < n / 2; i++) free(i, size, first + i);
                for (int i = n - 1; i >= n / 2; i--) free(i, size, first + i);
                blocks += n;
            }
        }

        private void free(int i, int size, long blockSeed) {
            Mem.checkFill(NAME, addr[i], size, blockSeed);
            h.free(addr[i]);
        }
    }
}
