package dev.hako.lab.jfr;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a recording says about Hako: counts per event type, and the sums that matter (pages taken and released,
 * bytes purged and trimmed, drains and their blocks, owner claims and reaps, the last gauges of every allocator).
 * Reads the events by name and field (docs/ARCHITECTURE.md, "Events and metrics"), so it needs nothing of Hako's
 * internals.
 */
public final class HakoEventSummary {
    public static final String PREFIX = "dev.hako.";
    public static final String PAGE_TAKE = PREFIX + "PageTake";
    public static final String PAGE_RELEASE = PREFIX + "PageRelease";
    public static final String PURGE = PREFIX + "Purge";
    public static final String TRIM = PREFIX + "Trim";
    public static final String LARGE_ALLOCATION = PREFIX + "LargeAllocation";
    public static final String LARGE_FREE = PREFIX + "LargeFree";
    public static final String REMOTE_DRAIN = PREFIX + "RemoteDrain";
    public static final String OWNER_CLAIM = PREFIX + "OwnerClaim";
    public static final String OWNER_RELEASE = PREFIX + "OwnerRelease";
    public static final String MEMORY_STATISTICS = PREFIX + "MemoryStatistics";
    /** Every Hako event, in the order the summary lists them. */
    public static final List<String> EVENTS = List.of(PAGE_TAKE, PAGE_RELEASE, PURGE, TRIM, LARGE_ALLOCATION,
            LARGE_FREE, REMOTE_DRAIN, OWNER_CLAIM, OWNER_RELEASE, MEMORY_STATISTICS);

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long pageTakeBytes, pageReleaseBytes;
    private long purgedBytes, purgeRuns, purgeFailedRuns, trimPurges;
    private long trimmedBytes;
    private long largeAllocatedBytes, largeFreedBytes, largeMapped;
    private long refillDrains, refillBlocks, pageDrains, pageBlocks;
    private long adopted, reaped;
    private final Map<String, RecordedEvent> lastGauges = new TreeMap<>();

    public HakoEventSummary() {
        for (String e : EVENTS) counts.put(e, 0L);
    }

    /** Reads every Hako event of a recording file. */
    public static HakoEventSummary read(Path recording) throws IOException {
        HakoEventSummary s = new HakoEventSummary();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) s.accept(file.readEvent());
        }
        return s;
    }

    /** Adds one event (others than Hako's are ignored). */
    public void accept(RecordedEvent e) {
        String name = e.getEventType().getName();
        if (!name.startsWith(PREFIX)) return;
        counts.merge(name, 1L, Long::sum);
        switch (name) {
            case PAGE_TAKE -> pageTakeBytes += 64 << 10;
            case PAGE_RELEASE -> pageReleaseBytes += 64 << 10;
            case PURGE -> {
                purgedBytes += e.getLong("bytes");
                purgeRuns += e.getInt("runs");
                purgeFailedRuns += e.getInt("failedRuns");
                if (e.getBoolean("all")) trimPurges++;
            }
            case TRIM -> trimmedBytes += e.getLong("returnedBytes");
            case LARGE_ALLOCATION -> {
                largeAllocatedBytes += e.getLong("bytes");
                if (e.getBoolean("mapped")) largeMapped++;
            }
            case LARGE_FREE -> largeFreedBytes += e.getLong("bytes");
            case REMOTE_DRAIN -> {
                if (e.getBoolean("intoPages")) {
                    pageDrains++;
                    pageBlocks += e.getLong("blocks");
                } else {
                    refillDrains++;
                    refillBlocks += e.getLong("blocks");
                }
            }
            case OWNER_CLAIM -> {
                if (e.getBoolean("adopted")) adopted++;
            }
            case OWNER_RELEASE -> {
                if (e.getBoolean("reaped")) reaped++;
            }
            case MEMORY_STATISTICS -> {
                String allocator = e.getString("allocator");
                RecordedEvent last = lastGauges.get(allocator);
                if (last == null || !e.getStartTime().isBefore(last.getStartTime())) lastGauges.put(allocator, e);
            }
            default -> { } // a newer Hako's event: counted only
        }
    }

    public long count(String event) {
        return counts.getOrDefault(event, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The summary, as {@code [JFR_*] key=value ...} lines (sizes in KiB). */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder("[JFR_EVENTS] total=").append(total());
        counts.forEach((k, v) -> sb.append(' ').append(k.substring(PREFIX.length())).append('=').append(v));
        lines.add(sb.toString());
        lines.add("[JFR_PAGES] taken=" + count(PAGE_TAKE) + " taken_kb=" + kb(pageTakeBytes) + " released="
                + count(PAGE_RELEASE) + " released_kb=" + kb(pageReleaseBytes));
        lines.add("[JFR_PURGE] purges=" + count(PURGE) + " runs=" + purgeRuns + " failed_runs=" + purgeFailedRuns
                + " purged_kb=" + kb(purgedBytes) + " by_trim=" + trimPurges);
        lines.add("[JFR_TRIM] trims=" + count(TRIM) + " returned_kb=" + kb(trimmedBytes));
        lines.add("[JFR_LARGE] allocations=" + count(LARGE_ALLOCATION) + " allocated_kb=" + kb(largeAllocatedBytes)
                + " mapped=" + largeMapped + " frees=" + count(LARGE_FREE) + " freed_kb=" + kb(largeFreedBytes));
        lines.add(String.format(java.util.Locale.ROOT, "[JFR_DRAIN] refill_drains=%d refill_blocks=%d"
                        + " blocks_per_refill_drain=%.1f into_pages_drains=%d into_pages_blocks=%d", refillDrains,
                refillBlocks, refillDrains == 0 ? 0.0 : (double) refillBlocks / refillDrains, pageDrains, pageBlocks));
        lines.add("[JFR_OWNERS] claims=" + count(OWNER_CLAIM) + " adopted=" + adopted + " releases="
                + count(OWNER_RELEASE) + " reaped=" + reaped);
        if (lastGauges.isEmpty()) {
            lines.add("[JFR_GAUGES] none (no " + MEMORY_STATISTICS + " event: the run was shorter than its period)");
        }
        lastGauges.forEach((allocator, g) -> lines.add("[JFR_GAUGES] allocator=" + allocator + " at=" + g.getStartTime()
                + " live_kb=" + kb(g.getLong("liveBytes")) + " cached_kb=" + kb(g.getLong("cachedBytes"))
                + " free_in_pages_kb=" + kb(g.getLong("freeInPagesBytes")) + " pooled_kb=" + kb(g.getLong("pooledBytes"))
                + " decommitted_kb=" + kb(g.getLong("decommittedBytes")) + " committed_kb="
                + kb(g.getLong("committedBytes")) + " returned_kb=" + kb(g.getLong("returnedBytes")) + " large_kb="
                + kb(g.getLong("largeBytes")) + " owners_in_use=" + g.getInt("ownersInUse")));
        return lines;
    }

    private static long kb(long bytes) {
        return bytes >> 10;
    }
}
