package dev.hako.stats;

/**
 * Everything Hako counts when {@code -Dhako.stats=true}. Each heap counts into its own array (no shared
 * cache line on the hot path); a snapshot sums the live heaps and what exited heaps left behind.
 */
public enum Counter {
    MALLOC("mallocs"),
    /** Derived at snapshot time: local + remote frees of page blocks. */
    FREE("frees"),
    LOCAL_FREE("local_frees"),
    REMOTE_FREE("remote_frees"),
    REFILL("refills"),
    CARVED_BLOCKS("carved_blocks"),
    PAGES_CARVED("pages_carved"),
    /** Blocks a cache gave back to their pages (overflow, GC, drains beyond the cap, housekeeping). */
    GIVEN_BLOCKS("given_blocks"),
    /** Pages given back to the pool wholly free. */
    PAGES_RELEASED("pages_released"),
    /** Cache GC passes (a thread's cache giving back what its idle classes hold). */
    CACHE_GC("cache_gcs"),
    /** A cache doubled a class's cap: the class kept overflowing and refilling (adaptive caps). */
    CAP_GROW("cap_grows"),
    /** A cache GC halved a grown cap whose class was untouched for a period. */
    CAP_SHRINK("cap_shrinks"),
    LARGE_ALLOC("large_allocs"),
    LARGE_FREE("large_frees"),
    // remote-free strategies: what explains a result
    PUSH("pushes"),
    CAS_ATTEMPT("cas_attempts"),
    CAS_FAIL("cas_failures"),
    DRAIN("drains"),
    DRAINED_BLOCKS("drained_blocks"),
    DRAIN_EMPTY("drains_empty"),
    BATCH_PUBLISH("batch_publishes"),
    BATCH_BLOCKS("batch_blocks"),
    FALLBACK("fallbacks"),
    NOTIFY("notifies"),
    SCAN("scans"),
    PRODUCERS_VISITED("producers_visited"),
    OUTBOX_EMPTY("outboxes_empty"),
    ROUTED("routed_blocks"),
    PRODUCER_FLUSH("producer_flushes");

    /** The name printed in stats lines and reports. */
    public final String label;

    Counter(String label) {
        this.label = label;
    }

    private static final Counter[] VALUES = values();
    public static final int COUNT = VALUES.length;

    public static Counter of(int ordinal) {
        return VALUES[ordinal];
    }
}
