package dev.hako;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an allocator's counters and gauges. Counters are zero unless the JVM runs with
 * {@code -Dhako.stats=true}; gauges (memory, owners) are always filled in.
 *
 * <p>Counter names: {@code mallocs, frees, local_frees, remote_frees, refills, carved_blocks, pages_carved,
 * large_allocs, large_frees}, and the remote-free strategy's {@code pushes, cas_attempts, cas_failures, drains,
 * drained_blocks, drains_empty, batch_publishes, batch_blocks, fallbacks, notifies, scans, producers_visited,
 * outboxes_empty, routed_blocks, producer_flushes}. {@code frees} counts frees of blocks from pages.
 *
 * @param enabled             whether counters were on
 * @param remote              the remote-free strategy
 * @param counters            every counter by name, in a fixed order
 * @param committedBytes      arena bytes committed (made read-write)
 * @param segmentsCommitted   arena segments committed
 * @param largeMappedBytes    bytes mapped for large blocks now
 * @param ownersInUse         owner ids held now (shared heaps included)
 * @param ownersHighWater     the highest owner id handed out
 */
public record HakoStats(boolean enabled, String remote, Map<String, Long> counters, long committedBytes,
                        long segmentsCommitted, long largeMappedBytes, int ownersInUse, int ownersHighWater) {

    public HakoStats {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** A counter by name (0 if unknown or off). */
    public long get(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /** Average blocks per successful drain of a remote-free structure, or 0. */
    public double blocksPerDrain() {
        long d = get("drains");
        return d == 0 ? 0 : (double) get("drained_blocks") / d;
    }

    /**
     * The remote-free strategy's counters and the ratios that explain a result, as one line:
     * {@code [REMOTE_STATS] remote=push remote_frees=.. atomics_per_remote_free=.. fallback_rate=..% ...}.
     * {@code atomics_per_remote_free} is producer-side atomic read-modify-writes ({@code cas_attempts}: every
     * CAS, exchange or fetch-and-op a producer issues) per remote free.
     */
    public String remoteLine() {
        long remoteFrees = get("remote_frees");
        StringBuilder sb = new StringBuilder("[REMOTE_STATS] remote=").append(remote);
        if (!enabled) return sb.append(" counters=off(-Dhako.stats=true)").toString();
        sb.append(" remote_frees=").append(remoteFrees);
        for (String k : new String[] {"pushes", "cas_attempts", "cas_failures", "fallbacks", "notifies", "scans",
                "producers_visited", "outboxes_empty", "drains", "drained_blocks", "drains_empty", "routed_blocks",
                "batch_publishes", "batch_blocks", "producer_flushes"}) {
            sb.append(' ').append(k).append('=').append(get(k));
        }
        sb.append(String.format(java.util.Locale.ROOT, " atomics_per_remote_free=%.4f fallback_rate=%.2f%%"
                        + " blocks_per_drain=%.2f blocks_per_batch=%.2f",
                ratio(get("cas_attempts"), remoteFrees), 100 * ratio(get("fallbacks"), remoteFrees), blocksPerDrain(),
                ratio(get("batch_blocks"), get("batch_publishes"))));
        return sb.toString();
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** One line: {@code [HAKO_STATS] remote=push mallocs=... committed_kb=...}, counters only when enabled. */
    public String line() {
        StringBuilder sb = new StringBuilder("[HAKO_STATS] remote=").append(remote);
        if (enabled) {
            counters.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        } else {
            sb.append(" counters=off(-Dhako.stats=true)");
        }
        sb.append(" committed_kb=").append(committedBytes >> 10)
                .append(" segments=").append(segmentsCommitted)
                .append(" large_mapped_kb=").append(largeMappedBytes >> 10)
                .append(" owners_in_use=").append(ownersInUse)
                .append(" owners_high_water=").append(ownersHighWater);
        return sb.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
