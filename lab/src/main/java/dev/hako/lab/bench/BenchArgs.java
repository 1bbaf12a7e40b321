package dev.hako.lab.bench;

/**
 * The seed's arguments: {@code threads iters ws min max remote_pct [ring_slots]}.
 *
 * @param threads   worker threads T
 * @param iters     loop iterations per thread
 * @param ws        pointer slots per thread
 * @param min       smallest size (inclusive)
 * @param max       largest size (inclusive)
 * @param remotePct percent of frees handed to thread (i + 1) mod T (ignored when T = 1)
 * @param ringSlots capacity of each cross-thread ring
 */
public record BenchArgs(int threads, int iters, int ws, int min, int max, int remotePct, int ringSlots) {
    public static final int DEFAULT_RING_SLOTS = 65536;
    public static final String USAGE = "usage: hako bench <threads> <iters> <ws> <min> <max> <remote_pct> [ring_slots]";

    /** The seed's validation: everything positive, max >= min, remote_pct <= 100. */
    public BenchArgs {
        if (threads <= 0 || iters <= 0 || ws <= 0 || min <= 0 || max < min || remotePct < 0 || remotePct > 100
                || ringSlots <= 0) {
            throw new IllegalArgumentException("invalid args (need threads, iters, ws, min, ring_slots > 0,"
                    + " max >= min, 0 <= remote_pct <= 100): threads=" + threads + " iters=" + iters + " ws=" + ws
                    + " min=" + min + " max=" + max + " remote_pct=" + remotePct + " ring_slots=" + ringSlots);
        }
    }

    /** Sizes are {@code min + draw % span}. */
    int span() {
        return max - min + 1;
    }

    /** Iterations of all threads together. */
    public long totalIters() {
        return (long) threads * iters;
    }

    /** {@code [BENCH_ARGS] threads=.. iters=.. ws=.. min=.. max=.. remote_pct=.. ring_slots=..} */
    public String line() {
        return "[BENCH_ARGS] threads=" + threads + " iters=" + iters + " ws=" + ws + " min=" + min + " max=" + max
                + " remote_pct=" + remotePct + " ring_slots=" + ringSlots;
    }
}
