package dev.hako.remote;

import dev.hako.memory.NativeMemory;

/**
 * One {@code mailbox2} outbox pair: what one producer holds for one owner in two buffers, and the hand-off
 * protocol, as step methods (the strategy composes them; the interleaving test drives them one by one).
 *
 * <pre>
 *   +0    ctl[0]   shared   0: buffer 0 is the producer's;  n > 0: handed to the owner, with n entries
 *   +128  ctl[1]   shared   the same for buffer 1
 *   +256  cur      producer-private: the buffer being filled (0 or 1)
 *   +264  fill     producer-private: entries written into buffer cur and not handed over (0..capacity-1)
 *   +384  entries  2 x 8 x {block, class}  ({@link OutboxEntries}); slot s = buffer * 8 + index
 *   640 bytes; each ctl alone on its 128-byte line
 * </pre>
 *
 * <h2>Protocol (states of each {@code ctl[k]})</h2>
 * <ul>
 *   <li>{@code ctl[k] == 0}: buffer k is the producer's; only the producer writes its entries. Before the first
 *       write into a buffer ({@code fill == 0}) the producer reads its {@code ctl} with acquire and writes only
 *       if it reads 0 (the owner's reads of the previous contents happened before).</li>
 *   <li>When buffer {@code cur} is full (or at a flush) the producer switches {@code cur}, zeroes {@code fill}
 *       and stores {@code ctl[k] = n} with release (publishing the entries), then sets its bit in the owner's
 *       {@link PendingBits} (a release CAS).</li>
 *   <li>{@code ctl[k] == n > 0}: the owner's. The producer fills the other buffer meanwhile; when both are
 *       handed over, its frees fall back to the push path. The owner, having read {@code n} with acquire, reads
 *       the entries and only then gives the buffer back with a release store of {@code ctl[k] = 0}.</li>
 * </ul>
 */
final class Mailbox2Outbox {
    private Mailbox2Outbox() {}

    static final long CTL_STRIDE = LinePair.BYTES;
    static final long CUR = 256;
    static final long FILL = 264;
    static final long ENTRIES = 384;
    /** Entries per buffer (the seed's 16 entries, in two halves); also the default hand-over point. */
    static final int CAPACITY = 8;
    static final long BYTES = 640;

    private static long ctl(long box, int buffer) {
        return box + buffer * CTL_STRIDE;
    }

    // ---- producer steps (the producer id's holder only) ----

    /** Step 1: the slot the producer may write next ({@code buffer * 8 + index}), or -1 while both buffers wait. */
    static int claim(long box) {
        long fill = NativeMemory.getLongPlain(box + FILL);
        int k = (int) NativeMemory.getLongPlain(box + CUR);
        if (fill == 0 && NativeMemory.getLongAcquire(ctl(box, k)) != 0) {
            k ^= 1; // the owner may have given the other one back first
            if (NativeMemory.getLongAcquire(ctl(box, k)) != 0) return -1;
            NativeMemory.setLongPlain(box + CUR, k);
        }
        return k * CAPACITY + (int) fill;
    }

    /** Step 2: writes the claimed slot. */
    static void write(long box, int slot, long block, int sizeClass) {
        OutboxEntries.write(box + ENTRIES, slot, block, sizeClass);
    }

    /**
     * Step 3: records the slot as written; at {@code capacity} entries hands the buffer over (the caller then
     * sets the pending bit: step 4).
     *
     * @return whether it handed the buffer over
     */
    static boolean publish(long box, int slot, int capacity) {
        int n = (slot & (CAPACITY - 1)) + 1;
        if (n < capacity) {
            NativeMemory.setLongPlain(box + FILL, n);
            return false;
        }
        handOver(box, slot / CAPACITY, n);
        return true;
    }

    /** Thread exit: hands a partly filled buffer over (the caller sets the pending bit). Returns its entries. */
    static int flush(long box) {
        int fill = (int) NativeMemory.getLongPlain(box + FILL);
        if (fill == 0) return 0;
        handOver(box, (int) NativeMemory.getLongPlain(box + CUR), fill);
        return fill;
    }

    private static void handOver(long box, int buffer, int n) {
        NativeMemory.setLongPlain(box + FILL, 0);
        NativeMemory.setLongPlain(box + CUR, buffer ^ 1);
        NativeMemory.setLongRelease(ctl(box, buffer), n); // publishes the entries
    }

    // ---- owner steps (the owner id's holder only, after taking the producer's pending bit) ----

    /** How many entries of {@code buffer} the owner may read now (0: the producer's). */
    static int observe(long box, int buffer) {
        return (int) NativeMemory.getLongAcquire(ctl(box, buffer));
    }

    static long entries(long box, int buffer) {
        return box + ENTRIES + buffer * CAPACITY * OutboxEntries.BYTES;
    }

    /** Gives {@code buffer} back, count reset; every read of its entries comes before. */
    static void giveBack(long box, int buffer) {
        NativeMemory.setLongRelease(ctl(box, buffer), 0);
    }

    // ---- audits (quiescent) ----

    /** Entries written into the buffer being filled and not handed over: what a flush would hand over. */
    static int producerHeld(long box) {
        return (int) NativeMemory.getLongPlain(box + FILL);
    }

    /** Whether either buffer is handed over (then the producer's pending bit must be set, or a drain is due). */
    static boolean handedOver(long box) {
        return observe(box, 0) != 0 || observe(box, 1) != 0;
    }

    /** Visits the blocks held: both buffers if handed over, and the one being filled. */
    static void forEachHeld(long box, RemoteFree.BlockVisitor visitor) {
        for (int k = 0; k < 2; k++) OutboxEntries.forEach(entries(box, k), observe(box, k), visitor);
        int fill = (int) NativeMemory.getLongPlain(box + FILL);
        int cur = (int) NativeMemory.getLongPlain(box + CUR);
        if (fill > 0) OutboxEntries.forEach(entries(box, cur), fill, visitor);
    }
}
