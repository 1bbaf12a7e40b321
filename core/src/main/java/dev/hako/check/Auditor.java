package dev.hako.check;

import dev.hako.AuditReport;
import dev.hako.cache.CacheStore;
import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteFree;

import java.util.List;

/**
 * Counts every block once: carved blocks from the page map and the carving cursors, free blocks from every
 * cache store and the remote-free strategy. The allocator must be quiescent (no thread allocating or freeing).
 */
public final class Auditor {
    private final PageMap pages;
    private final long base;
    private final long[][] seen;
    private final int[] carved;
    private long free;
    private long duplicates;
    private long stray;

    private Auditor(PageMap pages) {
        this.pages = pages;
        this.base = pages.base();
        int n = (int) ((pages.carvedEnd() - base) >>> SizeClasses.PAGE_SHIFT);
        this.seen = new long[n][];
        this.carved = new int[n];
    }

    public static AuditReport audit(PageMap pages, List<CacheStore> stores, RemoteFree remote) {
        Auditor a = new Auditor(pages);
        a.countCarved(stores);
        long carvedTotal = 0;
        for (int c : a.carved) carvedTotal += c;
        // Books that balance see every carved block at most once. A double free outside checked mode can link a
        // block into a strategy's list twice, which may make the list a cycle; stop once the sightings exceed
        // what any finite duplication could explain, instead of walking the cycle for ever.
        a.sightingLimit = 2 * carvedTotal + 1024;
        try {
            for (CacheStore s : stores) s.forEachFree(a::sawFree);
            remote.forEachHeld(block -> a.sawFree(-1, block));
        } catch (TooManySightings e) {
            // duplicates already counts the repeats seen; the report cannot balance
        }
        return new AuditReport(carvedTotal, a.free, a.duplicates, a.stray, carvedTotal - a.free);
    }

    private long sightings;
    private long sightingLimit;

    /** Thrown from a visitor to end a walk that can only be a cycle. */
    private static final class TooManySightings extends RuntimeException {
        TooManySightings() {
            super(null, null, false, false);
        }
    }

    private void countCarved(List<CacheStore> stores) {
        for (int p = 0; p < carved.length; p++) {
            int c = PageMap.classOf(pages.tagAt(base + ((long) p << SizeClasses.PAGE_SHIFT)));
            if (c >= 0) carved[p] = SizeClasses.blocksPerPage(c);
        }
        // A class's current page is carved only up to its cursor.
        for (CacheStore s : stores) {
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                long next = s.carveNext(c), end = s.carveEnd(c);
                if (next == end) continue;
                long size = SizeClasses.size(c);
                long pageStart = end - SizeClasses.blocksPerPage(c) * size;
                carved[page(pageStart)] = (int) ((next - pageStart) / size);
            }
        }
    }

    /** {@code sizeClass} is the bin the block was filed under, or -1 when the holder does not say. */
    private void sawFree(int sizeClass, long block) {
        if (++sightings > sightingLimit) throw new TooManySightings();
        if (!pages.contains(block) || block >= pages.carvedEnd()) {
            stray++;
            return;
        }
        int p = page(block);
        int c = PageMap.classOf(pages.tagAt(block));
        long offset = block - pages.pageStart(block);
        if (c < 0 || (sizeClass >= 0 && c != sizeClass) || !SizeClasses.isBlockStart(c, offset)) {
            stray++;
            return;
        }
        int index = (int) (offset / SizeClasses.size(c));
        if (index >= carved[p]) {
            stray++;
            return;
        }
        long[] bits = seen[p];
        if (bits == null) bits = seen[p] = new long[(SizeClasses.blocksPerPage(c) + 63) >>> 6];
        long mask = 1L << index;
        if ((bits[index >>> 6] & mask) != 0) {
            duplicates++;
        } else {
            bits[index >>> 6] |= mask;
            free++;
        }
    }

    private int page(long address) {
        return (int) ((address - base) >>> SizeClasses.PAGE_SHIFT);
    }
}
