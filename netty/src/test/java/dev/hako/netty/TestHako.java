package dev.hako.netty;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hako allocators for tests: small arenas, and an audit that every block came back exactly once. */
final class TestHako {
    private TestHako() {}

    /** A fresh allocator with a 1 GiB arena and the default (or {@code -Dhako.remote}) remote-free strategy. */
    static HakoAllocator create() {
        return HakoAllocator.create(HakoConfig.fromSystemProperties().toBuilder().arenaBytes(1L << 30).build());
    }

    /** A fresh allocator with the given remote-free strategy. */
    static HakoAllocator create(String remote) {
        return HakoAllocator.create(HakoConfig.fromSystemProperties().toBuilder().arenaBytes(1L << 30)
                .remote(remote).build());
    }

    /** Blocks above this size are large blocks: one mapping each, outside the audit's page blocks. */
    static final int LARGE_ABOVE = 64 << 10;

    /** Asserts that every block is back: none held, none freed twice or astray, no large block mapped. */
    static void assertAllFree(HakoAllocator hako) {
        assertBalanced(hako, 0);
        assertEquals(0, hako.stats().largeBytes(), "bytes still mapped for large blocks");
    }

    /**
     * Asserts that the program holds exactly one block, the one at {@code address}, of at least {@code capacity}
     * bytes (a large block is its own mapping; {@code realloc} may keep a larger one when a block shrinks).
     */
    static void assertHoldsOnly(HakoAllocator hako, long address, int capacity) {
        long usable = hako.usableSize(address);
        assertTrue(usable >= Math.max(1, capacity), "usable " + usable + " < capacity " + capacity);
        boolean large = usable > LARGE_ABOVE;
        assertBalanced(hako, large ? 0 : 1);
        assertEquals(large ? usable : 0, hako.stats().largeBytes(), "large-block bytes");
    }

    /** Asserts that no block was freed twice or strayed, and that {@code live} blocks are still held. */
    static AuditReport assertBalanced(HakoAllocator hako, long live) {
        AuditReport report = hako.audit();
        assertTrue(report.balanced(live), "expected " + live + " live blocks, no duplicates, no strays: " + report);
        return report;
    }
}
