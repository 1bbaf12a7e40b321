package dev.hako.remote;

/**
 * Native layout of strategy {@code inbox}'s per-producer state: hz4's remote buffer and the scratch table its
 * flush groups with.
 *
 * <pre>
 *   row(producer) = base + producer * ROW        producer = the heap's owner id (1..maxOwners; row 0 unused)
 *
 *   +0                     count:int        entries in the buffer
 *   +128                   entry[0..127]:   +0 block   +8 key:int = owner << 8 | sizeClass   (16 bytes each)
 *   +TABLE                 slot[0..255]:    +0 head  +8 tail  +16 key:int (0 = free)  +20 count:int  (32 bytes each)
 *   +USED                  used[0..95]:int  slots claimed by the current flush (to push and clear them)
 *   ROW = end rounded up to 128
 * </pre>
 *
 * Every word of a row is private to the heap holding the producer id (its thread, or the reaper after that thread
 * died); rows are 128-byte aligned. The shared words are the inbox heads, an {@link OwnerStash}.
 */
final class InboxLayout {
    private InboxLayout() {}

    /** hz4's {@code rbuf} capacity. */
    static final int CAPACITY = 128;
    /** Slots of the grouping table (hz4: 256, probed 4 times). */
    static final int SLOTS = 256;
    static final int PROBES = 4;

    static final long COUNT = 0;
    static final long ENTRIES = LinePair.BYTES;
    static final long ENTRY = 16;
    static final long E_BLOCK = 0;
    static final long E_KEY = 8;
    static final long TABLE = ENTRIES + CAPACITY * ENTRY;
    static final long SLOT = 32;
    static final long S_HEAD = 0;
    static final long S_TAIL = 8;
    static final long S_KEY = 16;
    static final long S_COUNT = 20;
    static final long USED = TABLE + SLOTS * SLOT;
    static final long ROW = LinePair.align(USED + CAPACITY * 4L);

    static int key(int owner, int sizeClass) {
        return owner << 8 | sizeClass;
    }

    static int ownerOf(int key) {
        return key >>> 8;
    }

    static int classOf(int key) {
        return key & 0xff;
    }

    /** Home slot of a key (Fibonacci hashing: the top 8 bits of key * 2^32/phi). */
    static int home(int key) {
        return (key * 0x9E3779B9) >>> 24;
    }
}
