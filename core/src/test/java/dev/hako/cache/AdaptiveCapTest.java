package dev.hako.cache;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.Heap;
import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adaptive caps (CacheStore, "Adaptive caps"): a class that keeps overflowing and refilling grows its cap, so that
 * a burst of frees stays in its bin and the next burst of mallocs takes the same blocks from it without a round
 * trip through the pages; never past the class's maximum nor the store's budget; an untouched class shrinks back
 * (cap and array) at cache GCs; trim sets every cap back. Every block carries a pattern checked before it is freed,
 * and the audit balances.
 */
class AdaptiveCapTest {
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static HakoAllocator create() {
        return HakoAllocator.create(HakoConfig.builder().arenaBytes(1L << 30).maxOwners(32).sharedHeaps(2)
                .reaperIntervalMillis(600_000).decayMillis(600_000).build());
    }

    static CacheStore store(Heap heap) {
        return ((ThreadCache) heap).store();
    }

    static long pattern(long block) {
        return block * 0x9E3779B97F4A7C15L ^ 0x5DEECE66DL;
    }

    /** Mallocs {@code count} blocks of {@code size}, each with a pattern in its first and last word. */
    static List<Long> mallocs(Heap heap, long size, int count) {
        List<Long> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long b = heap.malloc(size);
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, b, pattern(b));
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, b + size - 8, ~pattern(b));
            blocks.add(b);
        }
        return blocks;
    }

    /** Checks each block's pattern and frees it: the first half in order, the second half in reverse. */
    static void frees(Heap heap, long size, List<Long> blocks) {
        int half = blocks.size() / 2;
        for (int i = 0; i < half; i++) checkAndFree(heap, size, blocks.get(i));
        for (int i = blocks.size() - 1; i >= half; i--) checkAndFree(heap, size, blocks.get(i));
    }

    static void checkAndFree(Heap heap, long size, long b) {
        assertEquals(pattern(b), ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, b), () -> "block " + b + " head");
        assertEquals(~pattern(b), ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, b + size - 8), () -> "block " + b + " tail");
        heap.free(b);
    }

    static void assertBalanced(HakoAllocator hako, long live) {
        AuditReport r = hako.audit();
        assertTrue(r.balanced(live), () -> "audit does not balance with " + live + " live blocks: " + r);
    }

    static void assertCapsConsistent(CacheStore s) {
        long grown = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int cap = s.cap(c);
            assertTrue(cap >= SizeClasses.cacheCap(c) && cap <= SizeClasses.maxCacheCap(c), "cap of class " + c);
            assertTrue(s.bins[c].length <= cap, "the fast-path bound (the array) is within the cap");
            assertTrue(s.counts[c] <= cap, "the bin holds at most its cap");
            grown += (long) (cap - SizeClasses.cacheCap(c)) * SizeClasses.size(c);
        }
        assertEquals(grown, s.grownBytes(), "grownBytes adds up");
        assertTrue(grown <= SizeClasses.CACHE_GROWTH_BUDGET, "within the budget: " + grown);
    }

    @Test
    void maximumsShouldBeBoundedByBytesAndBlocks() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int max = SizeClasses.maxCacheCap(c);
            assertTrue(max >= SizeClasses.cacheCap(c));
            assertTrue(max <= SizeClasses.MAX_GROWN_BLOCKS);
            assertTrue((long) max * SizeClasses.size(c) <= Math.max(SizeClasses.GROWN_CACHE_BYTES,
                    (long) SizeClasses.cacheCap(c) * SizeClasses.size(c)), "class " + c);
        }
        assertEquals(32768, SizeClasses.maxCacheCap(SizeClasses.classOf(16)));
        assertEquals(16384, SizeClasses.maxCacheCap(SizeClasses.classOf(32)));
        assertEquals(8192, SizeClasses.maxCacheCap(SizeClasses.classOf(64)));
        assertEquals(4096, SizeClasses.maxCacheCap(SizeClasses.classOf(128)));
        assertEquals(256, SizeClasses.maxCacheCap(SizeClasses.classOf(2048)));
        assertEquals(8, SizeClasses.maxCacheCap(SizeClasses.classOf(65536)));
    }

    /** Bursts of 3,000 blocks of 16 B (the default cap is 512): the cap grows until the burst stays in the bin. */
    @Test
    void aBurstyClassShouldGrowItsCapUntilTheBurstStaysInTheBin() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            int c = SizeClasses.classOf(16);
            int burst = 3_000;
            assertEquals(512, s.cap(c));
            Set<Long> freed = Set.of();
            int sameSetCycles = 0;
            for (int cycle = 0; cycle < 12; cycle++) {
                List<Long> blocks = mallocs(heap, 16, burst);
                if (new HashSet<>(blocks).equals(freed)) sameSetCycles++;
                frees(heap, 16, blocks);
                freed = new HashSet<>(blocks);
                assertCapsConsistent(s);
            }
            assertTrue(s.cap(c) >= burst, "grown to hold the burst: " + s.cap(c));
            assertTrue(s.cap(c) <= 4 * 1024, "doubled no further than needed: " + s.cap(c));
            assertTrue(s.counts[c] >= burst, "the whole burst is in the bin: " + s.counts[c]);
            assertTrue(sameSetCycles >= 6, "later bursts take exactly the blocks the last one freed: " + sameSetCycles);
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /** Bursts of 20,000 blocks of 64 B: the cap reaches the class's maximum (8,192, 512 KiB) and never goes past it. */
    @Test
    void aBurstyClassShouldGrowUpToItsMaximumAndNoFurther() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            int c = SizeClasses.classOf(64);
            for (int cycle = 0; cycle < 10; cycle++) {
                List<Long> blocks = mallocs(heap, 64, 20_000);
                frees(heap, 64, blocks);
                assertCapsConsistent(s);
                assertTrue(s.cap(c) <= SizeClasses.maxCacheCap(c));
                assertTrue(hako.stats().memory().cachedBytes() <= (long) SizeClasses.maxCacheCap(c) * 64,
                        "the cache holds at most the grown cap");
            }
            assertEquals(SizeClasses.maxCacheCap(c), s.cap(c));
            assertEquals(SizeClasses.maxCacheCap(c), s.bins[c].length);
            // A grown class refills in bigger batches: the default's times the growth, at most half the cap.
            List<Long> all = mallocs(heap, 64, s.counts[c] + 1);
            int cap = s.cap(c);
            int batch = Math.min(cap / 2, SizeClasses.refillBatch(c) * (cap / SizeClasses.cacheCap(c)));
            assertEquals(batch - 1, s.counts[c], "one refill of " + batch);
            frees(heap, 64, all);
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /**
     * A producer whose blocks all come back through remote frees: its refills drain them beyond the cap, but drains
     * do not turn a class, so its caps stay at their defaults.
     */
    @Test
    void remoteFreesShouldNotGrowTheProducersCaps() throws InterruptedException {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            for (int cycle = 0; cycle < 12; cycle++) {
                // Two classes in one stream: a drain for one files the other's blocks too, beyond its cap.
                List<Long> small = new ArrayList<>(), large = new ArrayList<>();
                for (int i = 0; i < 3_000; i++) {
                    small.addAll(mallocs(heap, 16, 1));
                    large.addAll(mallocs(heap, 32, 1));
                }
                Throwable[] thrown = new Throwable[1];
                Thread consumer = Thread.ofPlatform().start(() -> {
                    try (Heap h = hako.heap()) {
                        for (int i = 0; i < small.size(); i++) {
                            checkAndFree(h, 16, small.get(i));
                            checkAndFree(h, 32, large.get(i));
                        }
                    } catch (Throwable e) {
                        thrown[0] = e;
                    }
                });
                consumer.join();
                assertEquals(null, thrown[0]);
            }
            assertEquals(0, s.grownBytes(), "no cap grew");
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /** A one-off burst (all mallocs, then all frees) turns once: no cap grows. */
    @Test
    void aSingleBurstShouldNotGrowAnything() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            frees(heap, 64, mallocs(heap, 64, 50_000));
            for (int c = 0; c < SizeClasses.COUNT; c++) assertEquals(SizeClasses.cacheCap(c), s.cap(c));
            assertEquals(0, s.grownBytes());
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /** Many bursty classes of 256 B..2 KiB together: their growth stops at the store's budget. */
    @Test
    void growthShouldStopAtTheStoresBudget() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            long[] sizes = {256, 512, 768, 1024, 1536, 2048};
            for (int cycle = 0; cycle < 8; cycle++) {
                for (long size : sizes) {
                    int c = SizeClasses.classOf(size);
                    frees(heap, size, mallocs(heap, size, 2 * SizeClasses.maxCacheCap(c)));
                    assertCapsConsistent(s);
                }
            }
            long defaults = 0;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                defaults += (long) SizeClasses.cacheCap(c) * SizeClasses.size(c);
            }
            assertTrue(s.grownBytes() > SizeClasses.CACHE_GROWTH_BUDGET - 2048, "the budget was reached: "
                    + s.grownBytes());
            assertTrue(hako.stats().memory().cachedBytes() <= defaults + SizeClasses.CACHE_GROWTH_BUDGET);
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /**
     * A grown class left untouched while another class keeps the cache busy: each cache GC (every 64 slow events,
     * at least 20 ms apart) halves its cap and its array, back to the default; its blocks go back to their pages.
     */
    @Test
    void anIdleClassShouldShrinkBackAfterCacheGcs() throws InterruptedException {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            int c = SizeClasses.classOf(64);
            for (int cycle = 0; cycle < 10; cycle++) frees(heap, 64, mallocs(heap, 64, 20_000));
            assertEquals(SizeClasses.maxCacheCap(c), s.cap(c));
            List<Long> kept = mallocs(heap, 64, 100); // live across the shrink: their contents must survive
            long big = SizeClasses.MAX_SIZE; // cap 4, refills of one: a slow event every few calls
            int other = SizeClasses.classOf(big);
            for (int pass = 0; pass < 40 && s.cap(c) > SizeClasses.cacheCap(c); pass++) {
                Thread.sleep(GC_WAIT_MILLIS);
                for (int k = 0; k < 40; k++) frees(heap, big, mallocs(heap, big, 12));
                assertCapsConsistent(s);
            }
            assertEquals(SizeClasses.cacheCap(c), s.cap(c), "back to the default cap");
            assertTrue(s.bins[c].length <= SizeClasses.cacheCap(c), "and the array with it: " + s.bins[c].length);
            assertTrue(s.counts[c] <= SizeClasses.cacheCap(c));
            assertTrue(s.cap(other) > SizeClasses.cacheCap(other), "the busy class grew meanwhile");
            frees(heap, 64, kept);
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /**
     * An overflow gives the oldest half back in runs of one page; a block freed twice (unchecked mode: both copies in
     * the bin) is found inside its run, named, and dropped, and every other block of the run is filed.
     */
    @Test
    void aDoubleFreeInsideAPageRunShouldBeNamedAndTheRestFiled() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            int c = SizeClasses.classOf(16);
            List<Long> blocks = mallocs(heap, 16, SizeClasses.cacheCap(c) + 100); // one page: 4,096 blocks of 16 B
            long twice = blocks.get(10);
            for (int i = 0; i < 20; i++) heap.free(blocks.get(i));
            heap.free(twice); // unchecked: the bin takes it again
            IllegalStateException e = null;
            for (int i = 20; i < blocks.size(); i++) {
                try {
                    heap.free(blocks.get(i));
                } catch (IllegalStateException thrown) {
                    assertTrue(e == null, "reported once");
                    e = thrown;
                }
            }
            assertTrue(e != null && e.getMessage().contains(String.format("0x%x", twice)), "named: " + e);
            assertBalanced(hako, 0);
            heap.close();
        }
    }

    /** With counters on (the default test run), cap changes are counted. */
    @Test
    void capChangesShouldBeCounted() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            for (int cycle = 0; cycle < 6; cycle++) frees(heap, 16, mallocs(heap, 16, 3_000));
            if (hako.stats().enabled()) assertTrue(hako.stats().get("cap_grows") >= 2, hako.stats().line());
            heap.close();
        }
    }

    static final long GC_WAIT_MILLIS = ThreadCache.GC_INTERVAL_NANOS / 1_000_000 + 2;

    /** trim() gives the caller's cache back and sets its caps back to their defaults, dropping grown arrays. */
    @Test
    void trimShouldResetTheCaps() {
        try (HakoAllocator hako = create()) {
            Heap heap = hako.heap();
            CacheStore s = store(heap);
            int c = SizeClasses.classOf(32);
            for (int cycle = 0; cycle < 10; cycle++) frees(heap, 32, mallocs(heap, 32, 5_000));
            assertTrue(s.cap(c) > SizeClasses.cacheCap(c));
            hako.trim();
            assertEquals(0, s.grownBytes());
            assertEquals(SizeClasses.cacheCap(c), s.cap(c));
            assertTrue(s.bins[c].length <= SizeClasses.cacheCap(c));
            assertEquals(0, s.counts[c]);
            frees(heap, 32, mallocs(heap, 32, 5_000)); // works on, growing again from the default
            assertCapsConsistent(s);
            assertBalanced(hako, 0);
            heap.close();
        }
    }
}
