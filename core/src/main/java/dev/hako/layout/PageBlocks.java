package dev.hako.layout;

import dev.hako.memory.NativeMemory;
import dev.hako.memory.NativeTable;

/**
 * What each page of small blocks knows about its blocks: how many have been carved (handed to a cache for the first
 * time), which carved blocks are back in the page (a bitmap, outside the blocks, like jemalloc's slab bitmaps), and
 * its links in its owner's list of pages that have blocks to give (per class).
 *
 * <pre>
 *  record (32 bytes, native):  carved:int  free:int  next:int  prev:int  listed:int  mark:int
 *  bitmap (512 bytes, native): bit k set = block k is free in the page (k < carved)
 *  blocks out of the page     = carved - free   (handed out, in a cache, or in a remote-free structure)
 *  the page is wholly free    when free == carved (the uncarved tail is free too)
 * </pre>
 * Links are page index + 1 (0 = none). The mark says a cache GC pass saw the page wholly free; a page still wholly
 * free at the next pass goes back to the pool. A page's record and bitmap belong to the page's owner: only the heap holding
 * the owner id, or a collector holding the owner's lock, reads or writes them, under that owner's lock. Both tables
 * are mapped without commit charge; only the records of pages in use become resident.
 */
public final class PageBlocks implements AutoCloseable {
    private static final long RECORD = 32;
    private static final long R_CARVED = 0;
    private static final long R_FREE = 4;
    private static final long R_NEXT = 8;
    private static final long R_PREV = 12;
    private static final long R_LISTED = 16;
    private static final long R_MARK = 20;
    private static final long BITMAP = SizeClasses.PAGE / 16 / 8; // 512 bytes: one bit per 16-byte block

    private final PageMap map;
    private final NativeTable records;
    private final NativeTable bitmaps;

    public PageBlocks(PageMap map) {
        this.map = map;
        this.records = new NativeTable(map.pageCount(), RECORD, "the page records");
        try {
            this.bitmaps = new NativeTable(map.pageCount(), BITMAP, "the page bitmaps");
        } catch (OutOfMemoryError e) {
            records.close();
            throw e;
        }
    }

    /** Prepares a page just taken from the pool for class {@code c}: nothing carved, nothing free, not listed. */
    public void startPage(int page, int c) {
        long r = records.entry(page);
        NativeMemory.setIntPlain(r + R_CARVED, 0);
        NativeMemory.setIntPlain(r + R_FREE, 0);
        NativeMemory.setIntPlain(r + R_NEXT, 0);
        NativeMemory.setIntPlain(r + R_PREV, 0);
        NativeMemory.setIntPlain(r + R_LISTED, 0);
        NativeMemory.setIntPlain(r + R_MARK, 0);
        NativeMemory.fill(bitmaps.entry(page), (long) SizeClasses.bitmapWords(c) << 3, (byte) 0);
    }

    public int carved(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_CARVED);
    }

    public int free(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_FREE);
    }

    /** Blocks of the page out of it: handed out, cached, or in a remote-free structure. */
    public int out(int page) {
        long r = records.entry(page);
        return NativeMemory.getIntPlain(r + R_CARVED) - NativeMemory.getIntPlain(r + R_FREE);
    }

    /** Whether every carved block is back in the page (its uncarved tail is free too). */
    public boolean whollyFree(int page) {
        long r = records.entry(page);
        return NativeMemory.getIntPlain(r + R_FREE) == NativeMemory.getIntPlain(r + R_CARVED);
    }

    public boolean marked(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_MARK) != 0;
    }

    public void mark(int page, boolean mark) {
        NativeMemory.setIntPlain(records.entry(page) + R_MARK, mark ? 1 : 0);
    }

    /** Whether the page has a block to give: a free one in the bitmap, or an uncarved one. */
    public boolean canGive(int page, int c) {
        long r = records.entry(page);
        return NativeMemory.getIntPlain(r + R_FREE) > 0
                || NativeMemory.getIntPlain(r + R_CARVED) < SizeClasses.blocksPerPage(c);
    }

    /**
     * Moves up to {@code max} blocks of the page into {@code out[at ..]}: free blocks first (lowest address
     * first), then uncarved ones. Returns how many.
     */
    public int take(int page, int c, long[] out, int at, int max) {
        long r = records.entry(page);
        NativeMemory.setIntPlain(r + R_MARK, 0);
        long pageAddress = map.pageAddress(page);
        long size = SizeClasses.size(c);
        int n = 0;
        int free = NativeMemory.getIntPlain(r + R_FREE);
        if (free > 0) {
            long bits = bitmaps.entry(page);
            int words = SizeClasses.bitmapWords(c);
            for (int w = 0; w < words && n < max && n < free; w++) {
                long a = bits + ((long) w << 3);
                long word = NativeMemory.getLongPlain(a);
                while (word != 0 && n < max) {
                    int k = (w << 6) | Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    out[at + n++] = pageAddress + k * size;
                }
                NativeMemory.setLongPlain(a, word);
            }
            NativeMemory.setIntPlain(r + R_FREE, free - n);
        }
        int carved = NativeMemory.getIntPlain(r + R_CARVED);
        int tail = Math.min(max - n, SizeClasses.blocksPerPage(c) - carved);
        if (tail > 0) {
            // Highest first, so that pops from the bin's top hand out ascending addresses.
            long block = pageAddress + (long) (carved + tail - 1) * size;
            for (int i = 0; i < tail; i++, block -= size) out[at + n++] = block;
            NativeMemory.setIntPlain(r + R_CARVED, carved + tail);
        }
        return n;
    }

    /** Result of {@link #give} for a block that is already free in its page, or was never carved. */
    public static final int NOT_OUT = -1;

    /**
     * Puts a block back into its page. Returns the page's free count afterwards, or {@link #NOT_OUT} (and changes
     * nothing) if the block is already free in the page or lies past the carved part: a block freed twice.
     */
    public int give(int page, int c, long block) {
        long r = records.entry(page);
        int k = SizeClasses.blockIndex(c, block & (SizeClasses.PAGE - 1));
        if (k >= NativeMemory.getIntPlain(r + R_CARVED)) return NOT_OUT;
        long a = bitmaps.entry(page) + ((long) (k >>> 6) << 3);
        long word = NativeMemory.getLongPlain(a);
        long mask = 1L << k;
        if ((word & mask) != 0) return NOT_OUT;
        NativeMemory.setLongPlain(a, word | mask);
        int free = NativeMemory.getIntPlain(r + R_FREE) + 1;
        NativeMemory.setIntPlain(r + R_FREE, free);
        return free;
    }

    /**
     * Puts {@code blocks[from .. to)}, all of this page, back into it: one bitmap update per block, one free-count
     * update for the run. A block already free in the page or past its carved part (freed twice) is skipped. Returns
     * {@code (index of the first skipped block + 1) << 32 | blocks put back}.
     */
    public long giveRun(int page, int c, long[] blocks, int from, int to) {
        long r = records.entry(page);
        int carved = NativeMemory.getIntPlain(r + R_CARVED);
        long bits = bitmaps.entry(page);
        int given = 0;
        int firstBad = 0;
        for (int i = from; i < to; i++) {
            int k = SizeClasses.blockIndex(c, blocks[i] & (SizeClasses.PAGE - 1));
            long a = bits + ((long) (k >>> 6) << 3);
            long word = NativeMemory.getLongPlain(a);
            long mask = 1L << k;
            if (k >= carved || (word & mask) != 0) {
                if (firstBad == 0) firstBad = i + 1;
                continue;
            }
            NativeMemory.setLongPlain(a, word | mask);
            given++;
        }
        NativeMemory.setIntPlain(r + R_FREE, NativeMemory.getIntPlain(r + R_FREE) + given);
        return (long) firstBad << 32 | given;
    }

    /** Visits every block free in the page (audits; caller guarantees quiescence). */
    public void forEachFree(int page, int c, BlockVisitor visitor) {
        long bits = bitmaps.entry(page);
        long pageAddress = map.pageAddress(page);
        long size = SizeClasses.size(c);
        int words = SizeClasses.bitmapWords(c);
        for (int w = 0; w < words; w++) {
            for (long word = NativeMemory.getLongPlain(bits + ((long) w << 3)); word != 0; word &= word - 1) {
                visitor.visit(pageAddress + (((long) w << 6) | Long.numberOfTrailingZeros(word)) * size);
            }
        }
    }

    @FunctionalInterface
    public interface BlockVisitor {
        void visit(long block);
    }

    // ---- the owner's per-class lists of pages with blocks to give (heads and tails: page + 1, 0 = empty) ----

    public boolean isListed(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_LISTED) != 0;
    }

    /** The first page of list {@code c}, or -1. */
    public static int first(int[] heads, int c) {
        return heads[c] - 1;
    }

    /** The page after {@code page} in its list, or -1. */
    public int next(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_NEXT) - 1;
    }

    /** The page before {@code page} in its list, or -1. */
    public int prev(int page) {
        return NativeMemory.getIntPlain(records.entry(page) + R_PREV) - 1;
    }

    /** Links {@code page} at the front of list {@code c} (the next refill takes from it first). */
    public void pushFront(int[] heads, int[] tails, int c, int page) {
        long r = records.entry(page);
        int head = heads[c];
        NativeMemory.setIntPlain(r + R_NEXT, head);
        NativeMemory.setIntPlain(r + R_PREV, 0);
        NativeMemory.setIntPlain(r + R_LISTED, 1);
        if (head != 0) NativeMemory.setIntPlain(records.entry(head - 1) + R_PREV, page + 1);
        else tails[c] = page + 1;
        heads[c] = page + 1;
    }

    /** Links {@code page} at the back of list {@code c} (taken from last: a wholly free page may stay so). */
    public void pushBack(int[] heads, int[] tails, int c, int page) {
        long r = records.entry(page);
        int tail = tails[c];
        NativeMemory.setIntPlain(r + R_NEXT, 0);
        NativeMemory.setIntPlain(r + R_PREV, tail);
        NativeMemory.setIntPlain(r + R_LISTED, 1);
        if (tail != 0) NativeMemory.setIntPlain(records.entry(tail - 1) + R_NEXT, page + 1);
        else heads[c] = page + 1;
        tails[c] = page + 1;
    }

    /** Unlinks {@code page} from list {@code c}. */
    public void unlink(int[] heads, int[] tails, int c, int page) {
        long r = records.entry(page);
        int next = NativeMemory.getIntPlain(r + R_NEXT);
        int prev = NativeMemory.getIntPlain(r + R_PREV);
        if (next != 0) NativeMemory.setIntPlain(records.entry(next - 1) + R_PREV, prev);
        else tails[c] = prev;
        if (prev != 0) NativeMemory.setIntPlain(records.entry(prev - 1) + R_NEXT, next);
        else heads[c] = next;
        NativeMemory.setIntPlain(r + R_NEXT, 0);
        NativeMemory.setIntPlain(r + R_PREV, 0);
        NativeMemory.setIntPlain(r + R_LISTED, 0);
    }

    @Override
    public void close() {
        records.close();
        bitmaps.close();
    }
}
