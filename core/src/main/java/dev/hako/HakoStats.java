package dev.hako;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an allocator's counters and gauges. Counters are zero unless the JVM runs with
 * {@code -Dhako.stats=true}; gauges (memory, owners) are always filled in, from state Hako keeps anyway (no
 * per-operation counting), and are read without stopping other threads, so they may be a few blocks off.
 *
 * <p>Counter names: {@code mallocs, frees, local_frees, remote_frees, refills, carved_blocks, pages_carved,
 * given_blocks, pages_released, cache_gcs, cap_grows, cap_shrinks, large_allocs, large_frees}, and the remote-free
 * strategy's {@code pushes, cas_attempts, cas_failures, drains, drained_blocks, drains_empty, batch_publishes,
 * batch_blocks, fallbacks, notifies, scans, producers_visited, outboxes_empty, routed_blocks, producer_flushes}.
 * {@code frees} counts frees of blocks from pages; {@code carved_blocks} counts blocks moved from pages into caches,
 * {@code given_blocks} the way back; {@code cap_grows} and {@code cap_shrinks} count adaptive cap changes.
 *
 * @param enabled         whether counters were on
 * @param remote          the remote-free strategy
 * @param counters        every counter by name, in a fixed order
 * @param memory          the memory gauges
 * @param ownersInUse     owner ids held now (shared heaps included)
 * @param ownersHighWater the highest owner id handed out
 */
public record HakoStats(boolean enabled, String remote, Map<String, Long> counters, Memory memory, int ownersInUse,
                        int ownersHighWater) {

    /**
     * Where the allocator's memory is, in bytes. Small blocks live in 64 KiB pages; a page is an owner's (its blocks
     * are live, cached or free in the page) or in the pool (resident, or returned to the kernel).
     *
     * @param liveBytes         blocks handed out and not freed (small blocks in remote-free transit count here too)
     * @param cachedBytes       blocks in thread caches
     * @param freeInPagesBytes  the rest of the owners' pages: free blocks in them and their not yet carved parts
     * @param pooledBytes       free pages in the pool, still resident (they decay to the kernel)
     * @param decommittedBytes  free pages in the pool whose memory was returned to the kernel
     * @param committedBytes    arena address space made read-write (the sum of the above, within a segment)
     * @param returnedBytes     bytes returned to the kernel by purges since the start (cumulative)
     * @param largeArenaBytes   live large blocks cut from the arena (part of {@code liveBytes})
     * @param largeMappedBytes  live large blocks with a mapping of their own (part of {@code liveBytes})
     * @param segmentsCommitted arena segments committed
     */
    public record Memory(long liveBytes, long cachedBytes, long freeInPagesBytes, long pooledBytes,
                         long decommittedBytes, long committedBytes, long returnedBytes, long largeArenaBytes,
                         long largeMappedBytes, long segmentsCommitted) {}

    /** Copies the counters into an unmodifiable map that keeps their order. */
    public HakoStats {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /**
     * Arena address space made read-write.
     *
     * @return {@code memory().committedBytes()}
     */
    public long committedBytes() {
        return memory.committedBytes();
    }

    /**
     * Arena segments committed.
     *
     * @return {@code memory().segmentsCommitted()}
     */
    public long segmentsCommitted() {
        return memory.segmentsCommitted();
    }

    /**
     * Live large blocks, in the arena or mapped on their own.
     *
     * @return their bytes
     */
    public long largeBytes() {
        return memory.largeArenaBytes() + memory.largeMappedBytes();
    }

    /**
     * A counter by name.
     *
     * @param name a counter name (see the class comment)
     * @return its value, 0 if unknown or off
     */
    public long get(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /**
     * Average blocks per successful drain of a remote-free structure.
     *
     * @return {@code drained_blocks / drains}, or 0 when nothing was drained
     */
    public double blocksPerDrain() {
        long d = get("drains");
        return d == 0 ? 0 : (double) get("drained_blocks") / d;
    }

    /**
     * The remote-free strategy's counters and the ratios that explain a result, as one line:
     * {@code [REMOTE_STATS] remote=push remote_frees=.. atomics_per_remote_free=.. fallback_rate=..% ...}.
     * {@code atomics_per_remote_free} is producer-side atomic read-modify-writes ({@code cas_attempts}: every
     * CAS, exchange or fetch-and-op a producer issues) per remote free.
     *
     * @return the line
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

    /**
     * Everything as one line, counters only when on.
     *
     * @return {@code [HAKO_STATS] remote=push mallocs=... live_kb=... committed_kb=...}
     */
    public String line() {
        StringBuilder sb = new StringBuilder("[HAKO_STATS] remote=").append(remote);
        if (enabled) {
            counters.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        } else {
            sb.append(" counters=off(-Dhako.stats=true)");
        }
        Memory m = memory;
        sb.append(" live_kb=").append(m.liveBytes() >> 10)
                .append(" cached_kb=").append(m.cachedBytes() >> 10)
                .append(" free_in_pages_kb=").append(m.freeInPagesBytes() >> 10)
                .append(" pooled_kb=").append(m.pooledBytes() >> 10)
                .append(" decommitted_kb=").append(m.decommittedBytes() >> 10)
                .append(" committed_kb=").append(m.committedBytes() >> 10)
                .append(" returned_kb=").append(m.returnedBytes() >> 10)
                .append(" large_arena_kb=").append(m.largeArenaBytes() >> 10)
                .append(" large_mapped_kb=").append(m.largeMappedBytes() >> 10)
                .append(" segments=").append(m.segmentsCommitted())
                .append(" owners_in_use=").append(ownersInUse)
                .append(" owners_high_water=").append(ownersHighWater);
        return sb.toString();
    }

    @Override
    public String toString() {
        return line();
    }
}
