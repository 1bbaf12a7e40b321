package dev.hako.lab.bench;

/**
 * The seed's per-thread generator: {@code s = s * 1664525 + 1013904223 (mod 2^32)}, seeded
 * {@code 0x12345678 + 977 * thread}. Java's {@code int} arithmetic wraps exactly like C's {@code uint32_t}; draws
 * are reduced with {@link Integer#remainderUnsigned} (one unsigned 32-bit division, as in C).
 */
public final class Lcg {
    private Lcg() {}

    /** The state thread {@code thread} starts from. */
    public static int seed(int thread) {
        return 0x12345678 + 977 * thread;
    }

    /** The next state, which is also the draw. */
    public static int next(int s) {
        return s * 1664525 + 1013904223;
    }
}
