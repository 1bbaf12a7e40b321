package dev.hako.layout;

/**
 * The size classes of blocks carved from pages, and the facts about each that the hot paths read.
 *
 * <ul>
 *   <li><b>Small</b>: classes 0..127, 16..2048 bytes in 16-byte steps (as hz3): {@code class = ceil(size/16) - 1}.</li>
 *   <li><b>Medium</b>: classes 128..147, 2.5 KiB..64 KiB, four classes per doubling, all multiples of 512 so
 *       a lookup table indexed by {@code (size - 1) >> 9} finds the class.</li>
 *   <li>Larger requests are <b>large</b> blocks, mapped one by one (see the {@code large} room).</li>
 * </ul>
 *
 * Every class is carved from {@link #PAGE}-byte pages; block {@code k} of a page starts at page offset
 * {@code k * size}. Pages are {@code PAGE}-aligned, so a block whose size is a multiple of a power of two
 * {@code a <= PAGE} is {@code a}-aligned: aligned allocation picks such a class instead of padding.
 */
public final class SizeClasses {
    private SizeClasses() {}

    public static final int PAGE_SHIFT = 16;
    /** Bytes per page: the unit of carving, of ownership and of the page-tag map. */
    public static final long PAGE = 1L << PAGE_SHIFT;

    public static final int SMALL_CLASSES = 128;
    public static final int SMALL_MAX = 2048;
    private static final int[] MEDIUM_SIZES = {
        2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336, 16384,
        20480, 24576, 28672, 32768, 40960, 49152, 57344, 65536,
    };
    public static final int COUNT = SMALL_CLASSES + MEDIUM_SIZES.length;
    /** The largest block served from pages; anything larger is a large block. */
    public static final int MAX_SIZE = MEDIUM_SIZES[MEDIUM_SIZES.length - 1];

    private static final int[] SIZE = new int[COUNT];
    private static final int[] BLOCKS_PER_PAGE = new int[COUNT];
    private static final int[] REFILL_BATCH = new int[COUNT];
    private static final int[] CACHE_CAP = new int[COUNT];
    private static final int[] MAX_CACHE_CAP = new int[COUNT];
    /** Bytes a thread cache may hold per class (at least {@link #MIN_CACHE_BLOCKS} blocks, at most 512). */
    public static final int CACHE_BYTES = 64 << 10;
    public static final int MIN_CACHE_BLOCKS = 4;
    /**
     * Bytes a class's cap may grow to when the class keeps making round trips between its bin and its pages (an
     * adaptive cap, see {@code CacheStore}): at most this much and {@link #MAX_GROWN_BLOCKS} blocks, never less than
     * the default cap.
     */
    public static final int GROWN_CACHE_BYTES = 512 << 10;
    /** Blocks a grown cap may reach: a bin's array stays at most 256 KiB of Java heap. */
    public static final int MAX_GROWN_BLOCKS = 32768;
    /**
     * Bytes by which one cache's caps together may exceed their defaults: what a thread caches is bounded by the
     * defaults' sum (about 10 MiB) plus this, and the grown arrays' Java heap by half of this (8-byte entries for
     * blocks of at least 16 bytes).
     */
    public static final long CACHE_GROWTH_BUDGET = 2L << 20;
    /**
     * Per tag code ({@code class + 1}, 0 = uncarved page; 256 entries so that an index masked to 8 bits needs no
     * range check): the offset of the last block in a page (-1 for code 0, so nothing matches) and Lemire's
     * divisibility magic. See {@link #isBlockStart}.
     */
    private static final long[] LAST_BLOCK = new long[256];
    private static final long[] DIV_MAGIC = new long[256];
    private static final byte[] MEDIUM_BY_512 = new byte[MAX_SIZE >> 9];

    static {
        for (int c = 0; c < COUNT; c++) {
            int size = c < SMALL_CLASSES ? 16 * (c + 1) : MEDIUM_SIZES[c - SMALL_CLASSES];
            SIZE[c] = size;
            BLOCKS_PER_PAGE[c] = (int) (PAGE / size);
            // Carving is cheap (no block is touched), so batches are large for small blocks; a batch never
            // exceeds 32 KiB of blocks, so a rarely used class does not strand much of a page in one cache.
            CACHE_CAP[c] = Math.max(MIN_CACHE_BLOCKS, Math.min(512, CACHE_BYTES / size));
            MAX_CACHE_CAP[c] = Math.max(CACHE_CAP[c], Math.min(MAX_GROWN_BLOCKS, GROWN_CACHE_BYTES / size));
            // A refill fills at most half the cache, so that the frees that follow do not overflow it at once.
            REFILL_BATCH[c] = Math.max(1, Math.min(Math.min(64, 32768 / size), CACHE_CAP[c] / 2));
            LAST_BLOCK[c + 1] = (long) (BLOCKS_PER_PAGE[c] - 1) * size;
            DIV_MAGIC[c + 1] = Long.divideUnsigned(-1L, size) + 1;
        }
        LAST_BLOCK[0] = -1;
        DIV_MAGIC[0] = 1;
        for (int code = COUNT + 1; code < 256; code++) LAST_BLOCK[code] = -1;
        int c = SMALL_CLASSES;
        for (int i = 0; i < MEDIUM_BY_512.length; i++) {
            int upper = (i + 1) << 9;
            while (SIZE[c] < upper) c++;
            MEDIUM_BY_512[i] = (byte) (c - SMALL_CLASSES);
        }
    }

    /** The class serving {@code size} bytes, for {@code 1 <= size <= MAX_SIZE}. */
    public static int classOf(long size) {
        if (size <= SMALL_MAX) return (int) ((size + 15) >>> 4) - 1;
        return SMALL_CLASSES + MEDIUM_BY_512[(int) ((size - 1) >>> 9)];
    }

    public static int size(int sizeClass) {
        return SIZE[sizeClass];
    }

    public static int blocksPerPage(int sizeClass) {
        return BLOCKS_PER_PAGE[sizeClass];
    }

    public static int refillBatch(int sizeClass) {
        return REFILL_BATCH[sizeClass];
    }

    /**
     * Blocks a thread cache holds for this class by default (by bytes: bigger classes hold fewer blocks); a cache
     * whose class keeps overflowing and refilling grows its own cap up to {@link #maxCacheCap}.
     */
    public static int cacheCap(int sizeClass) {
        return CACHE_CAP[sizeClass];
    }

    /** The most blocks a grown cap of this class may reach: {@link #GROWN_CACHE_BYTES}, {@link #MAX_GROWN_BLOCKS}. */
    public static int maxCacheCap(int sizeClass) {
        return MAX_CACHE_CAP[sizeClass];
    }

    /** Index of the block at {@code pageOffset} (a block start of the class), by Lemire's multiply-high. */
    public static int blockIndex(int sizeClass, long pageOffset) {
        return (int) Math.unsignedMultiplyHigh(pageOffset, DIV_MAGIC[sizeClass + 1]);
    }

    /** 64-bit words of a page's free-block bitmap for this class. */
    public static int bitmapWords(int sizeClass) {
        return (BLOCKS_PER_PAGE[sizeClass] + 63) >>> 6;
    }

    /**
     * Whether {@code pageOffset} is the start of a block of {@code sizeClass}: at most the last block's offset
     * and divisible by the size. Divisibility uses Lemire's test ({@code n * M <= M - 1}, unsigned, with
     * {@code M = floor((2^64 - 1) / d) + 1}, exact for {@code n < 2^32}): one multiply instead of a division.
     */
    public static boolean isBlockStart(int sizeClass, long pageOffset) {
        return isBlockStartForCode((sizeClass + 1) & 0xff, pageOffset);
    }

    /**
     * {@link #isBlockStart} indexed by tag code ({@code class + 1}, 0..255; code 0 and unused codes never match),
     * so the free path can test "carved page" and "block start" in one go.
     */
    public static boolean isBlockStartForCode(int code, long pageOffset) {
        long magic = DIV_MAGIC[code & 0xff];
        return pageOffset <= LAST_BLOCK[code & 0xff] && Long.compareUnsigned(pageOffset * magic, magic - 1) <= 0;
    }

    /** The smallest class whose blocks hold {@code size} bytes at an {@code alignment}-aligned address, or -1. */
    public static int alignedClassOf(long size, long alignment) {
        if (alignment > PAGE || size > MAX_SIZE) return -1;
        long rounded = (size + alignment - 1) & -alignment;
        if (rounded > MAX_SIZE) return -1;
        for (int c = classOf(rounded); c < COUNT; c++) {
            if (SIZE[c] % alignment == 0) return c;
        }
        return -1;
    }
}
