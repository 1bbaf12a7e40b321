package dev.hako.layout;

import dev.hako.memory.AddressSpace;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The arena's pages and the flat page-tag map (hz3's PTAG32 idea): one {@code int} per page gives the size
 * class and the owner of any arena address with one subtraction, one shift and one array load.
 *
 * <pre>
 *  tag (32 bits):  | owner id (24 bits) | size class + 1 (8 bits) |      0 = page not carved
 * </pre>
 *
 * Owner ids start at 1, so a tag of 0 never matches a caller's owner and never names a class.
 *
 * <p>Pages are handed out bump-pointer style from the bottom of the arena and are never given back in this
 * version: a page belongs to the owner that carved it for as long as the allocator lives (hz3 does the same
 * for small pages). A tag is written once, by the carving owner, before any block of the page is handed
 * out; every other thread learns of a block through some happens-before edge from that owner, so plain
 * reads of the tag are enough.
 */
public final class PageMap {
    public static final int CLASS_BITS = 8;
    public static final int MAX_OWNER = (1 << (32 - CLASS_BITS)) - 1;

    private final AddressSpace space;
    private final long base;
    private final long size;
    private final int[] tags;
    private final AtomicLong nextPage;
    private final AtomicLong pagesCarved = new AtomicLong();

    public PageMap(AddressSpace space) {
        this.space = space;
        this.base = space.base();
        this.size = space.size();
        long pages = size >>> SizeClasses.PAGE_SHIFT;
        if (pages > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("arena too large: " + size);
        this.tags = new int[(int) pages];
        this.nextPage = new AtomicLong(base);
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** The tag array itself, for the free fast path (read only outside this class). */
    public int[] tags() {
        return tags;
    }

    public static int tag(int owner, int sizeClass) {
        return owner << CLASS_BITS | (sizeClass + 1);
    }

    public static int ownerOf(int tag) {
        return tag >>> CLASS_BITS;
    }

    /** The size class of a tag, or -1 for an uncarved page. */
    public static int classOf(int tag) {
        return (tag & ((1 << CLASS_BITS) - 1)) - 1;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - base, size) < 0;
    }

    public int tagAt(long address) {
        return tags[(int) ((address - base) >>> SizeClasses.PAGE_SHIFT)];
    }

    public long pageStart(long address) {
        return address & -SizeClasses.PAGE;
    }

    /**
     * Takes a fresh page, commits it and tags it for {@code owner} and {@code sizeClass}.
     *
     * @throws OutOfMemoryError when the arena is exhausted or the kernel refuses to commit
     */
    public long carvePage(int owner, int sizeClass) {
        long page = nextPage.getAndAdd(SizeClasses.PAGE);
        if (page - base >= size) {
            nextPage.getAndAdd(-SizeClasses.PAGE);
            throw new OutOfMemoryError("Hako: arena of " + (size >> 20) + " MiB exhausted;"
                    + " start the JVM with a larger -Dhako.arena (e.g. -Dhako.arena=256g)");
        }
        space.commitThrough(page + SizeClasses.PAGE);
        tags[(int) ((page - base) >>> SizeClasses.PAGE_SHIFT)] = tag(owner, sizeClass);
        pagesCarved.incrementAndGet();
        return page;
    }

    /** End of the carved part of the arena (exclusive); pages below it are tagged or being tagged. */
    public long carvedEnd() {
        return Math.min(nextPage.get(), base + size);
    }

    public long pagesCarved() {
        return pagesCarved.get();
    }

    /**
     * More blocks than can exist (every block lies in the committed arena and is at least 16 bytes): a list of free
     * blocks longer than this has a cycle (a block freed twice), so walks of lists linked through blocks stop there
     * instead of looping for ever.
     */
    public long blockBound() {
        return space.committedBytes() / 16 + 1;
    }

    public long committedBytes() {
        return space.committedBytes();
    }

    public long segmentsCommitted() {
        return space.segmentsCommitted();
    }
}
