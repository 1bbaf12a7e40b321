package dev.hako.remote;

/**
 * Native layouts of strategy {@code parcel}: the parcel itself, and the per-id region that holds an id's shared
 * heads (as owner and as producer) and its private producer state.
 *
 * <h2>Parcel (1 KiB, in the parcel space)</h2>
 * <pre>
 *   +0    link          next parcel: in an owner's inbound stack, a producer's returns stack or its free list
 *   +8    count:int     entries used (1..CAPACITY while open or inbound)
 *   +12   producer:int  the id whose free list the parcel goes back to (fixed when the parcel is carved)
 *   +16   owner:int     destination while open                                  \
 *   +20   bytes:int     sum of the entries' class sizes (the producer's budget)  |  private to the producer
 *   +24   older         open list: the parcel opened before this one (0: none)   |  while open
 *   +32   newer         open list: the parcel opened after this one (0: none)    /
 *   +40   reserved:long (0; room for a 'taken' watermark of an owner-side skim)
 *   +48   entry[0..121] block | (sizeClass &lt;&lt; 56)
 * </pre>
 * While open, a parcel is private to its producer; once pushed onto an owner's inbound stack, to that owner
 * (after its exchange); once pushed onto its producer's returns stack, to that producer (after its exchange).
 *
 * <h2>Region of id {@code i} (= owner id = producer index), {@code region(i) = base + i * REGION}</h2>
 * <pre>
 *   +0     INBOUND   parcel stack for owner i        \ one line: producers push (CAS), owner i takes (exchange);
 *   +8     LOOSE     loose block list for owner i    / both always read together by owner i's collect
 *   +128   RETURNS   empty parcels returned to producer i: owners push (CAS), producer i takes (exchange)
 *   +256   FREE      producer i's private free list of empty parcels           \
 *   +264   OLDEST    first of producer i's open parcels, by opening time         |
 *   +272   NEWEST    last of them (new parcels are linked here)                  |  private to the heap
 *   +280   HELD      bytes of the blocks in producer i's open parcels            |  holding id i
 *   +288   OPENED:int  producer i's open parcels                                 |
 *   +384   OPEN[o]   producer i's open parcel for owner o (0 = none), o = 0..max /
 *   REGION = 384 + 8 * (maxOwners + 1), rounded up to 128
 * </pre>
 * Words written by different sets of threads are at least 128 bytes apart (two cache lines, so the adjacent-line
 * prefetcher does not couple them). {@code INBOUND} and {@code LOOSE} share a line on purpose: the same
 * producers write them and the owner's refill miss peeks both, so one line costs one transfer instead of two.
 */
final class ParcelLayout {
    private ParcelLayout() {}

    // ---- parcel ----
    static final long PARCEL = 1024;
    static final long P_LINK = 0;
    static final long P_COUNT = 8;
    static final long P_PRODUCER = 12;
    static final long P_OWNER = 16;
    static final long P_BYTES = 20;
    static final long P_OLDER = 24;
    static final long P_NEWER = 32;
    static final long P_RESERVED = 40;
    static final long P_ENTRIES = 48;
    static final int CAPACITY = (int) ((PARCEL - P_ENTRIES) / 8);

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
    static final long RETURNS = 128;
    static final long FREE = 256;
    static final long OLDEST = 264;
    static final long NEWEST = 272;
    static final long HELD = 280;
    static final long OPENED = 288;
    static final long OPEN = 384;

    static long regionBytes(int maxOwners) {
        return BatchLayout.align128(OPEN + 8L * (maxOwners + 1));
    }

    static {
        if (OPENED + 4 > OPEN) throw new AssertionError("producer state overlaps OPEN");
        if (P_RESERVED + 8 > P_ENTRIES) throw new AssertionError("parcel header overlaps the entries");
    }
}
