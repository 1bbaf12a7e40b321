package dev.hako.remote;

/**
 * Native layouts of strategy {@code parcel}: the parcel itself (three sizes), and the per-id region that holds an
 * id's shared heads (as owner and as producer) and its private producer state.
 *
 * <h2>Parcel (64 B, 256 B or 1 KiB, in the parcel space)</h2>
 * <pre>
 *   +0    link          next parcel: in an owner's inbound stack, a producer's returns stack or a free list
 *         (1 KiB, open)  fill: entries | bytes &lt;&lt; 32 (bytes: sum of the entries' class sizes), one word so
 *                        that a free updates both with one add
 *   +8    count:int     entries (1..capacity), written when the parcel ships
 *   +12   tag:int       producer id | size code &lt;&lt; 24: the free list it goes back to (fixed when carved)
 *   +16   entry[]       block | (sizeClass &lt;&lt; 56): 6 (64 B), 30 (256 B) or 122 (1 KiB)
 *   1 KiB only, while open (private to the producer):
 *   +992  older         open list: the parcel opened before this one (0: none)
 *   +1000 newer         open list: the parcel opened after this one (0: none)
 *   +1008 owner:int     destination
 *   +1016 reserved      8 bytes, 0: room for a 'taken' watermark of an owner-side skim of open parcels
 * </pre>
 * A producer appends to 1 KiB parcels; when one must go with few entries, they are copied into the smallest parcel
 * that holds them (64 B for up to 6, 256 B for up to 30), so that what travels and waits at an owner costs at most
 * 64 bytes per block. A free touches the parcel's fill word and the entry's line; the open-list words and the
 * owner are touched only when a parcel opens or ships.
 *
 * <p>While open, a parcel is private to its producer; once pushed onto an owner's inbound stack, to that owner
 * (after its exchange); once pushed onto its producer's returns stack, to that producer (after its exchange).
 *
 * <h2>Region of id {@code i} (= owner id = producer index), {@code region(i) = base + i * REGION}</h2>
 * <pre>
 *   +0     INBOUND     parcel stack for owner i      \ one line: producers push (CAS), owner i takes (exchange);
 *   +8     LOOSE       loose block list for owner i  / both always read together by owner i's collect
 *   +128   RETURNS[3]  emptied parcels of producer i, by size: owners push (CAS), producer i takes (exchange)
 *   +256   FREE[3]     producer i's private free lists of empty parcels, by size      \
 *   +280   OLDEST      first of producer i's open parcels, by opening time             |
 *   +288   NEWEST      last of them (new parcels are linked here)                      |  private to the heap
 *   +296   LEVEL:int   each open parcel may hold budget &gt;&gt; LEVEL bytes                |  holding id i
 *   +304   OPENED:int  producer i's open parcels                                       |
 *   +312   PENDING     owner i: parcels taken, not filed yet (filed as refills need)   |  (owner side: under
 *   +320   EMPTIED     owner i: emptied parcels, given back in runs                    |  owner i's page lock)
 *   +328   EMPTIED_TAIL, +336 EMPTIED_COUNT                                            |
 *   +384   OPEN[o]     producer i's open parcel for owner o (0 = none), o = 0..max     /
 *   REGION = 384 + 8 * (maxOwners + 1), rounded up to 128
 * </pre>
 * Words written by different sets of threads are at least 128 bytes apart (two cache lines, so the adjacent-line
 * prefetcher does not couple them). {@code INBOUND} and {@code LOOSE} share a line on purpose: the same
 * producers write them and the owner's refill miss peeks both, so one line costs one transfer instead of two.
 */
final class ParcelLayout {
    private ParcelLayout() {}

    // ---- parcel ----
    static final long P_LINK = 0;
    static final long P_FILL = 0;
    static final long P_COUNT = 8;
    static final long P_TAG = 12;
    static final long P_ENTRIES = 16;

    /** Size codes: what a parcel's tag says about its size (and which free list it goes back to). */
    static final int SMALL = 0;
    static final int MEDIUM = 1;
    static final int LARGE = 2;
    static final int SIZES = 3;
    static final long LARGE_BYTES = 1024;
    /** The smallest parcel: the alignment every parcel address keeps from the parcel space's base. */
    static final long SMALL_BYTES = 64;
    static final long MEDIUM_BYTES = 256;

    static final long P_OLDER = 992;
    static final long P_NEWER = 1000;
    static final long P_OWNER = 1008;
    static final long P_RESERVED = 1016;

    static final int SMALL_CAPACITY = (int) ((SMALL_BYTES - P_ENTRIES) / 8);
    static final int MEDIUM_CAPACITY = (int) ((MEDIUM_BYTES - P_ENTRIES) / 8);
    /** Entries of a 1 KiB parcel, the one a producer appends to. */
    static final int CAPACITY = (int) ((P_OLDER - P_ENTRIES) / 8);

    static long bytes(int size) {
        return size == LARGE ? LARGE_BYTES : size == MEDIUM ? MEDIUM_BYTES : SMALL_BYTES;
    }

    static int capacity(int size) {
        return size == LARGE ? CAPACITY : size == MEDIUM ? MEDIUM_CAPACITY : SMALL_CAPACITY;
    }

    /** What one entry of {@code size} bytes adds to an open parcel's fill word. */
    static long fillOf(int size) {
        return 1L + ((long) size << 32);
    }

    static int entriesOf(long fill) {
        return (int) fill;
    }

    static long bytesOf(long fill) {
        return fill >>> 32;
    }

    static final int ID_BITS = 24;
    static final int ID_MASK = (1 << ID_BITS) - 1;

    static int tag(int producer, int size) {
        return producer | size << ID_BITS;
    }

    /** An entry carries the block's class in its top byte (arena addresses stay below 2^56; checked at start). */
    static final int CLASS_SHIFT = 56;
    static final long ADDRESS_MASK = (1L << CLASS_SHIFT) - 1;

    static long entry(long block, int sizeClass) {
        return block | (long) sizeClass << CLASS_SHIFT;
    }

    static long blockOf(long entry) {
        return entry & ADDRESS_MASK;
    }

    static int classOf(long entry) {
        return (int) (entry >>> CLASS_SHIFT);
    }

    // ---- loose block (only when no parcel can be had: the block itself carries link and class) ----
    static final long L_LINK = 0;
    static final long L_CLASS = 8;

    // ---- region ----
    static final long INBOUND = 0;
    static final long LOOSE = 8;
    static final long RETURNS = LinePair.BYTES;
    static final long FREE = 256;
    static final long OLDEST = 280;
    static final long NEWEST = 288;
    static final long LEVEL = 296;
    static final long OPENED = 304;
    /** Owner i's parcels taken from INBOUND but not filed yet, and its emptied parcels not yet given back. */
    static final long PENDING = 312;
    static final long EMPTIED = 320;
    static final long EMPTIED_TAIL = 328;
    static final long EMPTIED_COUNT = 336;
    static final long OPEN = 384;

    static long regionBytes(int maxOwners) {
        return LinePair.align(OPEN + 8L * (maxOwners + 1));
    }

    static {
        if (RETURNS + 8L * SIZES > FREE) throw new AssertionError("returns heads overlap the private state");
        if (FREE + 8L * SIZES > OLDEST) throw new AssertionError("free lists overlap OLDEST");
        if (OPENED + 4 > PENDING || EMPTIED_COUNT + 8 > OPEN) throw new AssertionError("private state overlaps OPEN");
        if (P_RESERVED + 8 > LARGE_BYTES) throw new AssertionError("open-list words overlap the next parcel");
        if (CAPACITY * 8L + P_ENTRIES > P_OLDER) throw new AssertionError("entries overlap the open-list words");
    }
}
