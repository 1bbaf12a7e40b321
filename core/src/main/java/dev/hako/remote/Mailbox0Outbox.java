package dev.hako.remote;

import dev.hako.memory.NativeMemory;

/**
 * One {@code mailbox0} outbox: what one producer holds for one owner, and the hand-off protocol, as step methods
 * (the strategy composes them; the interleaving test drives them one by one).
 *
 * <pre>
 *   +0    ctl      shared   0: the producer's;  n > 0: handed to the owner, with n entries
 *   +128  fill     producer-private: entries written and not handed over (0..threshold-1), or HANDED
 *   +256  entries  16 x {block, class}  ({@link OutboxEntries})
 *   512 bytes; ctl alone on its 128-byte line
 * </pre>
 *
 * <h2>Protocol (states of {@code ctl})</h2>
 * <ul>
 *   <li>{@code ctl == 0}: the producer's. Only the producer writes entries and {@code fill}; the owner does not
 *       read them. The producer appends; when {@code fill} reaches the threshold (or at a flush) it writes
 *       {@code fill = HANDED} and then {@code ctl = n} with a release store: the hand-over, which publishes the
 *       entries.</li>
 *   <li>{@code ctl == n > 0}: the owner's. The producer writes nothing here (its frees fall back to the push
 *       path); the owner, having read {@code n} with acquire, reads the {@code n} entries, and only then gives
 *       the outbox back with a release store of {@code ctl = 0} (which also zeroes the count: the count lives in
 *       {@code ctl}).</li>
 *   <li>The producer, seeing {@code fill == HANDED}, reads {@code ctl} with acquire; only a 0 lets it write
 *       again (from entry 0), and that acquire orders the owner's reads before its new writes.</li>
 * </ul>
 * The archived S147-0 race (owner clears the flag, producer appends, owner zeroes the count) cannot happen:
 * the owner's only write is the give-back, after its reads, and it carries the count reset with it.
 *
 * <p>With the seed's threshold 8 and fallback-when-notified, the count never exceeds the threshold, so entries
 * 8..15 are never used: the seed's "full" branch was reachable only through its race. The 16-entry footprint
 * is kept so that memory cost matches the seed's.
 */
final class Mailbox0Outbox {
    private Mailbox0Outbox() {}

    static final long CTL = 0;
    static final long FILL = LinePair.BYTES;
    static final long ENTRIES = 256;
    static final int CAPACITY = 16;
    static final long BYTES = 512;
    /** {@code fill} after a hand-over, until the producer sees the outbox given back. */
    static final long HANDED = -1;

    // ---- producer steps (the producer id's holder only) ----

    /** Step 1: the entry the producer may write next, or -1 while the owner holds the outbox. */
    static int claim(long box) {
        long fill = NativeMemory.getLongPlain(box + FILL);
        if (fill != HANDED) return (int) fill;
        return NativeMemory.getLongAcquire(box + CTL) == 0 ? 0 : -1;
    }

    /** Step 2: writes entry {@code index} (claimed by step 1). */
    static void write(long box, int index, long block, int sizeClass) {
        OutboxEntries.write(box + ENTRIES, index, block, sizeClass);
    }

    /**
     * Step 3: records entry {@code index} as written; at {@code threshold} entries hands the outbox over.
     *
     * @return whether it handed the outbox over (a notify)
     */
    static boolean publish(long box, int index, int threshold) {
        int n = index + 1;
        if (n < threshold) {
            NativeMemory.setLongPlain(box + FILL, n);
            return false;
        }
        handOver(box, n);
        return true;
    }

    /** Thread exit: hands a partly filled outbox over. Returns the entries handed over (0 if none). */
    static int flush(long box) {
        long fill = NativeMemory.getLongPlain(box + FILL);
        if (fill <= 0) return 0; // empty, or HANDED (the owner has it, or gave it back empty)
        handOver(box, (int) fill);
        return (int) fill;
    }

    private static void handOver(long box, int n) {
        NativeMemory.setLongPlain(box + FILL, HANDED);
        NativeMemory.setLongRelease(box + CTL, n); // publishes the entries
    }

    // ---- owner steps (the owner id's holder only) ----

    /** Step 1: how many entries the owner may read now (0: the outbox is the producer's). */
    static int observe(long box) {
        return (int) NativeMemory.getLongAcquire(box + CTL);
    }

    /** The entries' base (read entry {@code i < observe()} with {@link OutboxEntries}). */
    static long entries(long box) {
        return box + ENTRIES;
    }

    /** Last step: gives the outbox back, with its count reset; every read of the entries comes before. */
    static void giveBack(long box) {
        NativeMemory.setLongRelease(box + CTL, 0);
    }

    // ---- audits (quiescent) ----

    /** Entries written and not handed over: what a flush would hand over. */
    static int producerHeld(long box) {
        long fill = NativeMemory.getLongPlain(box + FILL);
        return fill > 0 ? (int) fill : 0;
    }

    /** Visits the blocks this outbox holds: handed over, or written and not yet handed over. */
    static void forEachHeld(long box, RemoteFree.BlockVisitor visitor) {
        int n = observe(box);
        if (n == 0) {
            long fill = NativeMemory.getLongPlain(box + FILL);
            n = fill > 0 ? (int) fill : 0;
        }
        OutboxEntries.forEach(box + ENTRIES, n, visitor);
    }
}
