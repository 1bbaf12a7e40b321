package dev.hako.lab.memory;

import dev.hako.lab.bench.BenchArgs;

import java.util.Locale;

/**
 * How big each scenario is. {@link #FULL} is the issue's; {@link #QUICK} scales everything down for a look that
 * takes seconds (the idle times stay: the figures are named after them).
 *
 * @param name          {@code full} or {@code quick} (tests make their own)
 * @param burstBytes    burst: bytes requested by the one thread
 * @param burstMaxSize  burst: the largest request (the smallest is 16 B)
 * @param phaseBytes    phase: bytes of each phase (64 B blocks, then 1 KiB blocks)
 * @param handoffBytes  handoff: bytes the producer sends the consumer in all
 * @param churnThreads  churn: threads started in all
 * @param churnAlive    churn: threads alive at a time
 * @param churnBytes    churn: bytes each thread allocates, writes and frees
 * @param seed          seed: the benchmark's arguments
 */
public record Sizes(String name, long burstBytes, long burstMaxSize, long phaseBytes, long handoffBytes,
                    int churnThreads, int churnAlive, long churnBytes, BenchArgs seed) {
    private static final long MIB = 1L << 20;

    public static final Sizes FULL = new Sizes("full", 1024 * MIB, 64 * 1024, 512 * MIB, 512 * MIB, 3000, 8,
            8 * MIB, new BenchArgs(4, 2_500_000, 400, 16, 2048, 90, 2_097_152));
    public static final Sizes QUICK = new Sizes("quick", 64 * MIB, 64 * 1024, 32 * MIB, 32 * MIB, 100, 8,
            2 * MIB, new BenchArgs(4, 50_000, 400, 16, 2048, 90, 65_536));

    public Sizes {
        if (burstBytes <= 0 || burstMaxSize < 16 || phaseBytes <= 0 || handoffBytes <= 0 || churnThreads <= 0
                || churnAlive <= 0 || churnBytes <= 0) {
            throw new IllegalArgumentException("every size must be positive (burst max >= 16 B)");
        }
    }

    /** One line for reports. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: burst %d MiB (16 B..%d KiB), phase 2 x %d MiB (64 B, then 1 KiB),"
                        + " handoff %d MiB (16 B..1 KiB), churn %d threads (%d alive) x %d MiB (16 B..4 KiB),"
                        + " seed T=%d R=%d iters=%d ring=%d", name, burstBytes / MIB, burstMaxSize / 1024,
                phaseBytes / MIB, handoffBytes / MIB, churnThreads, churnAlive, churnBytes / MIB, seed.threads(),
                seed.remotePct(), seed.iters(), seed.ringSlots());
    }
}
