package dev.hako;

import dev.hako.cache.CacheStore;
import dev.hako.layout.PageBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteFree;

import java.util.List;

/**
 * Counts every block and every page once. Carved blocks come from each page's record; free blocks from every page's
 * bitmap, every cache store's bins and the remote-free strategy; pages from the tag map and the pool's runs. The
 * allocator must be quiescent (no thread allocating or freeing, no housekeeping).
 */
final class Auditor {
    private final PageMap pages;
    private final long base;
    private final long[][] seen;
    private final int[] carved;
    private long free;
    private long duplicates;
    private long stray;

    private final long frontier;
    private long smallPages;
    private long largePages;
    private long pageErrors;

    private Auditor(PageMap pages, PagePool pool) {
        this.pages = pages;
        this.base = pages.base();
        this.frontier = pool.frontierAddress();
        int n = (int) ((frontier - base) >>> SizeClasses.PAGE_SHIFT);
        this.seen = new long[n][];
        this.carved = new int[n];
    }

    static AuditReport audit(PageMap pages, PagePool pool, PageBlocks blocks, List<CacheStore> stores,
                                    RemoteFree remote) {
        Auditor a = new Auditor(pages, pool);
        a.countPages(blocks);
        long[] pooled = new long[2];
        pool.forEachFreeRun((address, run, clean) -> {
            for (int i = 0; i < run; i++) {
                if (pages.tagAt(address + ((long) i << SizeClasses.PAGE_SHIFT)) != 0) a.pageErrors++;
            }
            pooled[clean ? 1 : 0] += run;
        });
        long carvedTotal = 0;
        for (int c : a.carved) carvedTotal += c;
        // Books that balance see every carved block at most once. A double free outside checked mode can link a
        // block into a strategy's list twice, which may make the list a cycle; stop once the sightings exceed
        // what any finite duplication could explain, instead of walking the cycle for ever.
        a.sightingLimit = 2 * carvedTotal + 1024;
        try {
            for (int p = 0; p < a.carved.length; p++) {
                int c = PageMap.classOf(pages.tagOfPage(p));
                if (c >= 0) {
                    int cls = c;
                    blocks.forEachFree(p, c, block -> a.sawFree(cls, block));
                }
            }
            for (CacheStore s : stores) s.forEachFree(a::sawFree);
            remote.forEachHeld(block -> a.sawFree(-1, block));
        } catch (TooManySightings e) {
            // duplicates already counts the repeats seen; the report cannot balance
        }
        return new AuditReport(carvedTotal, a.free, a.duplicates, a.stray, carvedTotal - a.free, a.smallPages,
                a.largePages, pooled[0], pooled[1], a.pageErrors);
    }

    private long sightings;
    private long sightingLimit;

    /** Thrown from a visitor to end a walk that can only be a cycle. */
    private static final class TooManySightings extends RuntimeException {
        TooManySightings() {
            super(null, null, false, false);
        }
    }

    private void countPages(PageBlocks blocks) {
        for (int p = 0; p < carved.length; p++) {
            int tag = pages.tagOfPage(p);
            int c = PageMap.classOf(tag);
            if (c >= 0) {
                smallPages++;
                carved[p] = blocks.carved(p);
                if (carved[p] < 0 || carved[p] > SizeClasses.blocksPerPage(c)) pageErrors++;
            } else if (tag != 0) {
                largePages++;
            }
        }
    }

    /** {@code sizeClass} is the bin the block was filed under, or -1 when the holder does not say. */
    private void sawFree(int sizeClass, long block) {
        if (++sightings > sightingLimit) throw new TooManySightings();
        if (!pages.contains(block) || block >= frontier) {
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
