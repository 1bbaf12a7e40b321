package dev.hako.cache;

import dev.hako.check.BlockLedger;
import dev.hako.events.HakoEvents;
import dev.hako.layout.PageBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteFree;
import dev.hako.remote.RemoteHeap;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.Arrays;

/**
 * The page level of an owner: where a cache gets blocks when it has none, and where the blocks it lets go return.
 *
 * <ul>
 *   <li><b>Refill</b>: blocks come from the owner's listed pages of the class (free blocks first, then the uncarved
 *       tail), else from a page taken from the {@link PagePool} (any page, for any class).</li>
 *   <li><b>Give back</b>: a block goes home to its page's bitmap ({@link PageBlocks}); its page is listed again,
 *       at the front while it has blocks out, at the back once it is wholly free (every carved block home), so that
 *       refills use partly used pages up first and wholly free ones stay free.</li>
 *   <li><b>Release</b>: a wholly free page goes back to the pool, where any owner may take it for any class and the
 *       housekeeper purges it after the decay delay, once it has stayed wholly free from one cache GC pass to the
 *       next ({@link #releaseIdlePages}; mimalloc likewise retires a free page only after some heartbeats). Releasing
 *       at once would send every page of a FIFO workload (blocks freed in the order they were allocated) through
 *       the pool and back: a page's round trip costs more than the blocks' bitmap updates. The housekeeper (for a
 *       quiet owner) and trim release every wholly free page at once ({@link #releaseFreePages}).</li>
 * </ul>
 * Every method runs under the store's page-level lock ({@link CacheStore#lock()}), held by the caller.
 */
public final class OwnerPages {
    private final PageMap map;
    private final PageBlocks blocks;
    private final PagePool pool;
    private final BlockLedger ledger;

    public OwnerPages(PageMap map, PageBlocks blocks, PagePool pool, BlockLedger ledger) {
        this.map = map;
        this.blocks = blocks;
        this.pool = pool;
        this.ledger = ledger;
    }

    /**
     * Adds up to {@code want} blocks of class {@code c} to the store's bin (which has room for them), from the
     * owner's pages. Returns how many (at least one).
     *
     * @throws OutOfMemoryError when a new page is needed and the arena has none left
     */
    int refill(CacheStore s, int owner, int c, int want, long[] counters) {
        long[] bin = s.bins[c];
        int n = s.counts[c];
        int got = 0;
        while (got < want) {
            int page = PageBlocks.first(s.pageList, c);
            if (page < 0) {
                if (got > 0) break; // a new page only when nothing else is left
                page = newPage(s, owner, c, counters);
            }
            got += blocks.take(page, c, bin, n + got, want - got);
            if (!blocks.canGive(page, c)) blocks.unlink(s.pageList, s.pageTail, c, page);
        }
        s.counts[c] = n + got;
        s.takenBytes += (long) got * SizeClasses.size(c);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.CARVED_BLOCKS.ordinal()] += got;
        return got;
    }

    private int newPage(CacheStore s, int owner, int c, long[] counters) {
        long address = pool.take(1, PageMap.tag(owner, c), 0) & -SizeClasses.PAGE;
        int page = map.pageIndex(address);
        blocks.startPage(page, c);
        if (ledger != null) ledger.pageCarved(address);
        blocks.pushFront(s.pageList, s.pageTail, c, page);
        HakoEvents.pageTaken(address, owner, SizeClasses.size(c));
        s.pages++;
        if (Stats.ENABLED) counters[Stats.PAD + Counter.PAGES_CARVED.ordinal()]++;
        return page;
    }

    /**
     * Returns the {@code count} oldest blocks of the bin of class {@code c} (its bottom) to their pages and moves the
     * rest down. Returns a block that was already home (freed twice), or 0; that block is dropped, everything else
     * is filed, so nothing is lost.
     */
    long giveBackOldest(CacheStore s, int c, int count, long[] counters) {
        long[] bin = s.bins[c];
        int n = s.counts[c];
        count = Math.min(count, n);
        long twice = 0;
        // In runs of blocks of one page (a bin filled by frees in allocation order holds long ones): the page's
        // record and list are updated once per run.
        for (int i = 0; i < count; ) {
            int page = map.pageIndex(bin[i]);
            int end = i + 1;
            while (end < count && map.pageIndex(bin[end]) == page) end++;
            long bad = end - i == 1 ? giveBack(s, c, bin[i], counters) : giveRun(s, c, page, bin, i, end, counters);
            if (twice == 0) twice = bad;
            i = end;
        }
        System.arraycopy(bin, count, bin, 0, n - count);
        s.counts[c] = n - count;
        return twice;
    }

    /**
     * Returns one block of class {@code c} to its page (the block is the owner's: the caller has checked its tag).
     * Returns the block if it was already home (freed twice; it is then ignored), else 0.
     */
    long giveBack(CacheStore s, int c, long block, long[] counters) {
        int page = map.pageIndex(block);
        int free = blocks.give(page, c, block);
        if (free == PageBlocks.NOT_OUT) return block;
        s.givenBytes += SizeClasses.size(c);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.GIVEN_BLOCKS.ordinal()]++;
        boolean listed = blocks.isListed(page);
        if (free == blocks.carved(page)) { // now wholly free: to the back, where refills come last
            if (listed) blocks.unlink(s.pageList, s.pageTail, c, page);
            blocks.pushBack(s.pageList, s.pageTail, c, page);
        } else if (!listed) {
            blocks.pushFront(s.pageList, s.pageTail, c, page);
        }
        return 0;
    }

    /** {@link #giveBack} for {@code bin[from .. to)}, all of {@code page}. Returns a block freed twice, or 0. */
    private long giveRun(CacheStore s, int c, int page, long[] bin, int from, int to, long[] counters) {
        long result = blocks.giveRun(page, c, bin, from, to);
        int given = (int) result;
        int firstBad = (int) (result >>> 32);
        if (given > 0) {
            s.givenBytes += (long) given * SizeClasses.size(c);
            if (Stats.ENABLED) counters[Stats.PAD + Counter.GIVEN_BLOCKS.ordinal()] += given;
            boolean listed = blocks.isListed(page);
            if (blocks.whollyFree(page)) { // now wholly free: to the back, where refills come last
                if (listed) blocks.unlink(s.pageList, s.pageTail, c, page);
                blocks.pushBack(s.pageList, s.pageTail, c, page);
            } else if (!listed) {
                blocks.pushFront(s.pageList, s.pageTail, c, page);
            }
        }
        return firstBad == 0 ? 0 : bin[firstBad - 1];
    }

    /**
     * The cache GC's page pass: every wholly free page that was wholly free at the previous pass goes back to the
     * pool; the others are marked. Returns how many went.
     */
    int releaseIdlePages(CacheStore s, long[] counters) {
        int released = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            for (int page = s.pageTail[c] - 1; page >= 0; ) {
                int prev = blocks.prev(page);
                if (!blocks.whollyFree(page)) {
                    blocks.mark(page, false);
                } else if (blocks.marked(page)) {
                    blocks.unlink(s.pageList, s.pageTail, c, page);
                    release(s, page, counters);
                    released++;
                } else {
                    blocks.mark(page, true);
                }
                page = prev;
            }
        }
        return released;
    }

    private void release(CacheStore s, int page, long[] counters) {
        release(s, page, Long.MAX_VALUE, counters);
    }

    private void release(CacheStore s, int page, long unusedSinceMillis, long[] counters) {
        int tag = map.tagOfPage(page); // read before the pool clears it
        HakoEvents.pageReleased(map.pageAddress(page), PageMap.ownerOf(tag), SizeClasses.size(PageMap.classOf(tag)));
        pool.release(map.pageAddress(page), 1, unusedSinceMillis);
        s.pages--;
        if (Stats.ENABLED) counters[Stats.PAD + Counter.PAGES_RELEASED.ordinal()]++;
    }

    /** Gives back every cached block of the store (a parked store, or a trim by the heap's own thread). */
    long giveBackAll(CacheStore s, long[] counters) {
        long twice = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long bad = giveBackOldest(s, c, s.counts[c], counters);
            if (twice == 0) twice = bad;
        }
        return twice;
    }

    /** Releases every wholly free page the owner keeps. Returns how many. */
    public int releaseFreePages(CacheStore s, long[] counters) {
        return releaseFreePages(s, Long.MAX_VALUE, counters);
    }

    /**
     * Releases every wholly free page the owner keeps, known to be unused since {@code unusedSinceMillis} (the
     * owner has been quiet since then), so that they decay that much sooner. Returns how many.
     */
    public int releaseFreePages(CacheStore s, long unusedSinceMillis, long[] counters) {
        int released = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            for (int page = PageBlocks.first(s.pageList, c); page >= 0; ) {
                int next = blocks.next(page);
                if (blocks.whollyFree(page)) {
                    blocks.unlink(s.pageList, s.pageTail, c, page);
                    release(s, page, unusedSinceMillis, counters);
                    released++;
                }
                page = next;
            }
        }
        return released;
    }

    // ---- what the housekeeper and trim do with an owner's store (under its lock) ----

    /**
     * Collects every remote free waiting for {@code owner} straight into its pages (the owner's bins are not
     * touched: the owner may be a live thread that is merely idle). Returns how many blocks moved.
     *
     * @throws IllegalStateException naming a block that was freed twice (dropped; everything else is filed)
     */
    public long collectIntoPages(CacheStore s, int owner, RemoteFree remote, long[] counters) {
        PageSink sink = new PageSink(s, owner, counters);
        long moved = remote.collectAll(sink);
        HakoEvents.remoteDrained(owner, moved, true);
        if (sink.twice != 0) throw freedTwice(sink.twice);
        return moved;
    }

    /**
     * Gives every cached block of a store back to its pages (a parked store, or the caller's own cache), and sets
     * its caps back to their defaults.
     *
     * @throws IllegalStateException naming a block that was freed twice (dropped; everything else is filed)
     */
    public void returnCache(CacheStore s, long[] counters) {
        long twice = giveBackAll(s, counters);
        s.resetCaps(); // the bins are empty: grown caps start over, grown arrays go to the Java GC
        if (twice != 0) throw freedTwice(twice);
    }

    /** The remote-free strategy's view of an owner whose blocks go to its pages instead of its bins. */
    private final class PageSink implements RemoteHeap {
        private final CacheStore store;
        private final int owner;
        private final long[] counters;
        long twice;

        PageSink(CacheStore store, int owner, long[] counters) {
            this.store = store;
            this.owner = owner;
            this.counters = counters;
        }

        @Override
        public int ownerId() {
            return owner;
        }

        @Override
        public int room(int sizeClass) {
            return Integer.MAX_VALUE; // pages take everything
        }

        /**
         * Nothing to take back: a block filed into its page twice is dropped by the bitmap, and every block of a
         * corrupt list filed before the walk found the fault was freed at least once, so it is free.
         */
        @Override
        public void retract(int sizeClass, int count) {}

        @Override
        public boolean owns(int sizeClass, long block) {
            return map.contains(block) && map.tagAt(block) == PageMap.tag(owner, sizeClass)
                    && SizeClasses.isBlockStart(sizeClass, block & (SizeClasses.PAGE - 1));
        }

        @Override
        public void acceptFree(int sizeClass, long block) {
            if (!owns(sizeClass, block)) throw notMine(owner, sizeClass, block);
            long bad = giveBack(store, sizeClass, block, counters);
            if (twice == 0) twice = bad;
        }

        @Override
        public void count(Counter counter, long n) {
            counters[Stats.PAD + counter.ordinal()] += n;
        }
    }

    /** A bin of class {@code c} with room for {@code atLeast} blocks (never more than the class's cap in the store). */
    static long[] grow(CacheStore s, int c, int atLeast) {
        long[] old = s.bins[c];
        int cap = s.caps[c];
        long[] bin = Arrays.copyOf(old, Math.min(cap, Math.max(atLeast, Math.max(16, old.length * 2))));
        s.bins[c] = bin;
        return bin;
    }

    static IllegalStateException notMine(int owner, int sizeClass, long block) {
        return new IllegalStateException(String.format("a remote free delivered 0x%x to owner %d as a block of %d"
                + " bytes, which it is not: the remote-free structure was corrupted (a write into a freed block?);"
                + " nothing after it was taken", block, owner, SizeClasses.size(sizeClass)));
    }

    static IllegalStateException freedTwice(long block) {
        return new IllegalStateException(String.format("block 0x%x was freed twice (it was already free when its"
                + " cache returned it to its page; the second copy was dropped; find the culprit with"
                + " -Dhako.checked=true)", block));
    }
}
