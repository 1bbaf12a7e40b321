package dev.hako.lab.suite.workload;

import java.lang.foreign.Arena;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

/**
 * What cache-scratch and cache-thrash (Emery Berger's, from the Hoard suite) share: each thread repeatedly
 * allocates a tiny object, writes every byte of it many times (each write read back), and frees it. An allocator
 * that gives objects of different threads addresses in the same cache line makes the threads fight over that line
 * (false sharing), and the run slows down with the thread count instead of staying flat. The stores are opaque, so
 * the compiler keeps every one of them, like the original's volatile reads. A read-back that does not return what
 * this thread just wrote means another thread wrote into its object: the run fails.
 */
abstract sealed class CacheLines implements Workload permits CacheScratch, CacheThrash {
    /** The object size mimalloc-bench passes (1 byte: several threads' objects fit in one cache line). */
    static final int OBJECT_SIZE = 1;
    /** Objects each thread allocates in turn, as the original. */
    static final int ITERATIONS = 1000;
    /** Writes per byte of each object, over all threads, at full size (mimalloc-bench passes 2,000,000). */
    static final int REPETITIONS = 1_000_000;
    /**
     * Calls of {@link #writeAll} before every pass, on memory of the workload's own (not the allocator's): above the
     * JIT's invocation threshold for a full tier-4 compile (5000), so that the measured pass runs that compile and
     * not whichever on-stack-replacement compile happens to be current.
     */
    static final int PRIME_CALLS = 20_000;
    /** Writes per {@link #PRIME_CALLS} call. */
    static final int PRIME_REPETITIONS = 64;

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    /** Whether the main thread first allocates one object per thread, side by side, for the workers to free. */
    abstract boolean handsOutFirstObjects();

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int repetitions = Math.max(1, Scale.count(REPETITIONS, scale) / threads);
        primeCompiler();
        long[] first = new long[threads];
        AddressHandle main = peer.open(threads);
        try {
            if (handsOutFirstObjects()) {
                for (int t = 0; t < threads; t++) {
                    first[t] = Mem.malloc(main, OBJECT_SIZE);
                    Mem.tag(first[t], OBJECT_SIZE, t + 1);
                }
            }
            long start = System.nanoTime();
            Team.run(name(), threads, t -> {
                try (AddressHandle h = peer.open(t)) {
                    if (first[t] != 0) {
                        Mem.checkTag(name(), first[t], OBJECT_SIZE, t + 1);
                        h.free(first[t]); // freed by another thread than the one that allocated it
                    }
                    worker(h, t, repetitions);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            long objects = (long) threads * ITERATIONS + (handsOutFirstObjects() ? threads : 0);
            return new Outcome(seconds, 2 * objects, objects);
        } finally {
            main.close();
        }
    }

    private void worker(AddressHandle h, int t, int repetitions) {
        byte mark = (byte) (t * 37 + 1);
        for (int i = 0; i < ITERATIONS; i++) {
            long p = Mem.malloc(h, OBJECT_SIZE);
            int bad = writeAll(p, OBJECT_SIZE, mark, repetitions);
            if (bad >= 0) throw new BlockCheckException(name(), "byte written by this thread", p, OBJECT_SIZE, bad);
            h.free(p);
        }
    }

    /**
     * Calls {@link #writeAll} {@link #PRIME_CALLS} times on a cache line of the workload's own, so that the JIT queues
     * the full compile of that method now (and the warm-up pass gives it time to be installed). Without it, whether
     * the measured pass ran the full compile or an on-stack-replacement compile of the loop depended on a race with
     * the compiler threads, and the two ran about 5x apart.
     */
    private void primeCompiler() {
        try (Arena arena = Arena.ofConfined()) {
            long line = arena.allocate(64, 64).address();
            for (int i = 0; i < PRIME_CALLS; i++) {
                int bad = writeAll(line, OBJECT_SIZE, (byte) i, PRIME_REPETITIONS);
                if (bad >= 0) throw new BlockCheckException(name(), "priming line", line, OBJECT_SIZE, bad);
            }
        }
    }

    /**
     * The timed inner loop: writes every byte of the object {@code repetitions} times, reading each write back.
     * Returns -1, or the offset of the first read-back that did not return what was just written. A method of its
     * own, small and static, so that the JIT compiles it the same way in every run (see {@link #primeCompiler}); the
     * workers' outer loop stays interpreted (1000 iterations per call, one call per thread and pass).
     */
    static int writeAll(long p, int size, byte mark, int repetitions) {
        for (int r = 0; r < repetitions; r++) {
            for (int k = 0; k < size; k++) {
                byte v = (byte) (mark + k + r);
                Mem.putByteOpaque(p + k, v);
                if (Mem.getByteOpaque(p + k) != v) return k;
            }
        }
        return -1;
    }
}
