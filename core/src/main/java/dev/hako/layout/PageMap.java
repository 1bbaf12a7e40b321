package dev.hako.layout;

import dev.hako.memory.AddressSpace;

/**
 * The arena's geometry and the flat page-tag map (hz3's PTAG32 idea): one {@code int} per page gives the size
 * class and the owner of any arena address with one subtraction, one shift and one array load.
 *
 * <pre>
 *  tag (32 bits):  | owner id (24 bits) | code (8 bits) |
 *  code: class + 1 for a page of small blocks; {@link #LARGE_HEAD_CODE} / {@link #LARGE_BODY_CODE} for the first /
 *        other pages of a large block (owner bits 0); tag 0 = the page is free (in the pool) or never handed out
 * </pre>
 *
 * Owner ids start at 1, so a tag of 0 never matches a caller's owner and never names a class; the large codes name
 * no class either, so the free fast path's block-start test fails for them and sends them to the slow path.
 *
 * <p>Tags are written by the {@link PagePool} under its lock when a page is handed out or given back. A page of
 * small blocks keeps its tag while any of its blocks is out of the page (handed out, cached, or in a remote-free
 * structure), so a thread freeing a block reads the tag its owner wrote: it learned of the block through a
 * happens-before edge from that owner, which orders the tag write too. Plain reads are enough.
 */
public final class PageMap {
    public static final int CLASS_BITS = 8;
    public static final int MAX_OWNER = (1 << (32 - CLASS_BITS)) - 1;
    /** Slot of the first page of a large block. */
    public static final int LARGE_HEAD_CODE = 0xFF;
    /** Slot of the other pages of a large block. */
    public static final int LARGE_BODY_CODE = 0xFE;

    private final AddressSpace space;
    private final long base;
    private final long size;
    private final int[] tags;

    public PageMap(AddressSpace space) {
        this.space = space;
        this.base = space.base();
        this.size = space.size();
        long pages = size >>> SizeClasses.PAGE_SHIFT;
        if (pages > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("arena too large: " + size);
        this.tags = new int[(int) pages];
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public int pageCount() {
        return tags.length;
    }

    /** The tag array itself, for the free fast path (read only outside this class and the pool). */
    public int[] tags() {
        return tags;
    }

    public static int tag(int owner, int sizeClass) {
        return owner << CLASS_BITS | (sizeClass + 1);
    }

    public static int ownerOf(int tag) {
        return tag >>> CLASS_BITS;
    }

    /** The size class of a tag, or -1 for a free page or a large block. */
    public static int classOf(int tag) {
        int code = tag & ((1 << CLASS_BITS) - 1);
        return code > SizeClasses.COUNT ? -1 : code - 1;
    }

    public static int codeOf(int tag) {
        return tag & ((1 << CLASS_BITS) - 1);
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - base, size) < 0;
    }

    public int tagAt(long address) {
        return tags[pageIndex(address)];
    }

    public int tagOfPage(int page) {
        return tags[page];
    }

    /** Written by the pool only, under its lock. */
    void setTag(int page, int tag) {
        tags[page] = tag;
    }

    public int pageIndex(long address) {
        return (int) ((address - base) >>> SizeClasses.PAGE_SHIFT);
    }

    public long pageAddress(int page) {
        return base + ((long) page << SizeClasses.PAGE_SHIFT);
    }

    public long pageStart(long address) {
        return address & -SizeClasses.PAGE;
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
