package dev.hako.lab.suite.workload;

/**
 * A small seeded generator (SplitMix64), one per thread: the workloads' draws are reproducible for a given seed and
 * thread, whatever the allocator.
 */
final class Rng {
    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)}, bound > 0 (the bias of a 64-bit modulo is negligible here). */
    int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** Uniform in {@code [0, 1)}. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** True with probability {@code percent}/100. */
    boolean chance(int percent) {
        return nextInt(100) < percent;
    }
}
