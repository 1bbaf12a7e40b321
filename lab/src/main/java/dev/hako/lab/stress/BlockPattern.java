package dev.hako.lab.stress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The pattern a stress worker writes into every block it allocates, derived from the block's address, its
 * size and the allocating worker, and checked by whoever frees it. Blocks up to {@link #FULL} bytes are filled
 * completely; larger ones at both ends (where neighbours would overlap first).
 */
final class BlockPattern {
    private BlockPattern() {}

    static final long FULL = 4096;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static long word(long address, long size, int worker, long index) {
        long x = address * 0x9E3779B97F4A7C15L ^ size << 20 ^ (long) worker << 48 ^ index * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ x >>> 29;
    }

    static void fill(long address, long size, int worker) {
        forEachWord(address, size, (offset, index) -> ALL.set(ValueLayout.JAVA_LONG, address + offset,
                word(address, size, worker, index)));
    }

    /** Returns the offset of the first wrong word, or -1 if the block holds its pattern. */
    static long verify(long address, long size, int worker) {
        long[] bad = {-1};
        forEachWord(address, size, (offset, index) -> {
            if (bad[0] < 0 && ALL.get(ValueLayout.JAVA_LONG, address + offset) != word(address, size, worker, index)) {
                bad[0] = offset;
            }
        });
        return bad[0];
    }

    /**
     * Checks that {@code moved} starts with the first {@code keep} bytes of the pattern written at {@code original}
     * (realloc must carry them over); returns the first wrong offset or -1.
     */
    static long verifyPrefix(long moved, long original, long size, int worker, long keep) {
        long words = Math.min(keep, size <= FULL ? size : FULL / 2) >>> 3;
        for (long i = 0; i < words; i++) {
            if (ALL.get(ValueLayout.JAVA_LONG, moved + (i << 3)) != word(original, size, worker, i)) return i << 3;
        }
        return -1;
    }

    /** Checks that the first {@code size} bytes are zero (calloc); returns the first non-zero offset or -1. */
    static long verifyZero(long address, long size) {
        for (long o = 0; o < size; o++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, address + o) != 0) return o;
        }
        return -1;
    }

    private interface WordVisitor {
        void visit(long offset, long index);
    }

    private static void forEachWord(long address, long size, WordVisitor v) {
        long words = size >>> 3;
        if (size <= FULL) {
            for (long i = 0; i < words; i++) v.visit(i << 3, i);
        } else {
            long edge = (FULL / 2) >>> 3;
            for (long i = 0; i < edge; i++) v.visit(i << 3, i);
            for (long i = words - edge; i < words; i++) v.visit(i << 3, i);
        }
    }
}
