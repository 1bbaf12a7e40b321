package dev.hako.remote;

import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * {@code mailbox2}'s per-owner pending bitset: bit {@code p} of owner {@code o}'s row says "producer {@code p}
 * has handed a buffer to {@code o}", so that the owner visits only those producers.
 *
 * <pre>
 *   word(o, p) = base + o * stride + (p / 64) * 8,  bit p % 64;   stride = (maxOwners / 64 + 1) * 8 rounded up to 128
 * </pre>
 *
 * <p>Producers set bits with a release CAS (an atomic RMW: it is counted in {@code cas_attempts}); the owner takes
 * a word with an opaque peek and then an acquire exchange to 0. No wake-up is lost: a producer's hand-over
 * (release store of its {@code ctl}) precedes its CAS; an exchange that reads that CAS's value (or a later one)
 * synchronizes with it and then sees the hand-over; an exchange ordered before the CAS leaves the bit set for
 * the next one. The CAS is done even when the bit looks set already: a plain read could not order the
 * hand-over before the owner's exchange (it would need a store-load fence, which costs as much).
 */
final class PendingBits implements AutoCloseable {
    private final long base;
    private final long bytes;
    private final long stride;

    PendingBits(int maxOwners) {
        long words = (maxOwners >>> 6) + 1;
        this.stride = (words * 8 + 127) & ~127L;
        this.bytes = (maxOwners + 1) * stride;
        this.base = OsMemory.mapReadWriteNoReserve(bytes);
        if (base == 0) throw new OutOfMemoryError("Hako: cannot map the pending bitsets (" + bytes + " bytes)");
    }

    long word(int owner, int wordIndex) {
        return base + owner * stride + wordIndex * 8L;
    }

    /** Producer: sets bit {@code producer} of {@code owner}'s row. Counts attempts and failures on {@code counted}. */
    void set(RemoteHeap counted, int owner, int producer) {
        long address = word(owner, producer >>> 6);
        long bit = 1L << producer; // shift distance is taken mod 64
        long expected = NativeMemory.getLongOpaque(address);
        long attempts = 1;
        for (;;) {
            long witness = NativeMemory.caxLongRelease(address, expected, expected | bit);
            if (witness == expected) break;
            expected = witness;
            attempts++;
        }
        LinkedStack.countCas(counted, attempts);
    }

    /** Owner: takes word {@code wordIndex} of its row (0 if it looked empty; an opaque peek spares the atomic). */
    long take(int owner, int wordIndex) {
        long address = word(owner, wordIndex);
        if (NativeMemory.getLongOpaque(address) == 0) return 0;
        return NativeMemory.xchgLongAcquire(address, 0L);
    }

    /** Audit (quiescent): whether the bit is set. */
    boolean isSet(int owner, int producer) {
        return (NativeMemory.getLongAcquire(word(owner, producer >>> 6)) & (1L << producer)) != 0;
    }

    @Override
    public void close() {
        OsMemory.unmap(base, bytes);
    }
}
