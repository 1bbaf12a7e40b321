package dev.hako.stats;

/**
 * The process-wide counting switch, read once into a {@code static final} so that the JIT removes every
 * counting statement when it is off.
 */
public final class Stats {
    private Stats() {}

    public static final String PROPERTY = "hako.stats";
    /** {@code -Dhako.stats=true}: count (see {@link Counter}). Off by default, and then free. */
    public static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

    /**
     * A fresh per-heap counter array, padded at both ends so that two heaps' counters never share a cache
     * line. Index {@code PAD + counter.ordinal()}.
     */
    public static long[] newCounters() {
        return new long[PAD + Counter.COUNT + PAD];
    }

    public static final int PAD = 16;
}
