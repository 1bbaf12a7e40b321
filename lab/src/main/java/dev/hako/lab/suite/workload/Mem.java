package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Reads and writes native memory by address, and the two marks the workloads leave in blocks: a pattern over the
 * whole block (where the original fills it) and a tag at both ends (where the original touches only the first and
 * last bytes). Both are derived from a seed, so a freer can tell whether the block still holds what its
 * allocator's client wrote. No Java object per call.
 */
final class Mem {
    private Mem() {}

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    /** The step between the words of a pattern (odd, so consecutive words differ in every byte position). */
    private static final long STEP = 0x9E3779B97F4A7C15L;

    static void putLong(long address, long value) {
        ALL.set(LONG, address, value);
    }

    static long getLong(long address) {
        return ALL.get(LONG, address);
    }

    static void putInt(long address, int value) {
        ALL.set(INT, address, value);
    }

    static int getInt(long address) {
        return ALL.get(INT, address);
    }

    static void putByte(long address, byte value) {
        ALL.set(ValueLayout.JAVA_BYTE, address, value);
    }

    static byte getByte(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address);
    }

    /** A store the compiler must perform, in order (cache-line benchmarks: every write must reach the line). */
    static void putByteOpaque(long address, byte value) {
        BYTE.setOpaque(ALL, address, value);
    }

    static byte getByteOpaque(long address) {
        return (byte) BYTE.getOpaque(ALL, address);
    }

    /** Fills {@code size} bytes with the pattern of {@code seed}: 8-byte words, then the tail bytes. */
    static void fill(long address, long size, long seed) {
        int words = (int) (size >>> 3);
        long v = seed;
        for (int i = 0; i < words; i++) {
            ALL.set(LONG, address + ((long) i << 3), v);
            v += STEP;
        }
        for (long o = (long) words << 3; o < size; o++) {
            ALL.set(ValueLayout.JAVA_BYTE, address + o, (byte) (v >>> ((o & 7) << 3)));
        }
    }

    /** The offset of the first byte that differs from the pattern of {@code seed}, or -1 if the block holds it. */
    static long mismatch(long address, long size, long seed) {
        int words = (int) (size >>> 3);
        long v = seed;
        for (int i = 0; i < words; i++) {
            if (ALL.get(LONG, address + ((long) i << 3)) != v) return (long) i << 3;
            v += STEP;
        }
        for (long o = (long) words << 3; o < size; o++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, address + o) != (byte) (v >>> ((o & 7) << 3))) return o;
        }
        return -1;
    }

    /**
     * Writes {@code tag} at both ends of a block: 8 bytes at the start (1 byte for blocks under 8 bytes) and its top
     * byte at the last byte (which, for an 8-byte block, is the top byte of the start word on little-endian x86
     * and aarch64).
     */
    static void tag(long address, long size, long tag) {
        if (size >= 8) {
            ALL.set(LONG, address, tag);
            ALL.set(ValueLayout.JAVA_BYTE, address + size - 1, (byte) (tag >>> 56));
        } else {
            ALL.set(ValueLayout.JAVA_BYTE, address, (byte) tag);
            ALL.set(ValueLayout.JAVA_BYTE, address + size - 1, (byte) tag);
        }
    }

    /** The offset where {@link #tag} is no longer found, or -1 if both ends hold it. */
    static long tagMismatch(long address, long size, long tag) {
        if (size >= 8) {
            if (ALL.get(LONG, address) != tag) return 0;
            return ALL.get(ValueLayout.JAVA_BYTE, address + size - 1) == (byte) (tag >>> 56) ? -1 : size - 1;
        }
        if (ALL.get(ValueLayout.JAVA_BYTE, address) != (byte) tag) return 0;
        return ALL.get(ValueLayout.JAVA_BYTE, address + size - 1) == (byte) tag ? -1 : size - 1;
    }

    /** {@code h.malloc(size)}, failing the run if the allocator has no block for it. */
    static long malloc(AddressHandle h, long size) {
        long p = h.malloc(size);
        if (p == 0) throw new OutOfMemoryError("the allocator returned 0 for " + size + " bytes");
        return p;
    }

    /** Fails the run unless the block still holds the pattern of {@code seed}. */
    static void checkFill(String workload, long address, long size, long seed) {
        long bad = mismatch(address, size, seed);
        if (bad >= 0) throw new BlockCheckException(workload, "pattern written at allocation", address, size, bad);
    }

    /** Fails the run unless the block still holds {@code tag} at both ends. */
    static void checkTag(String workload, long address, long size, long tag) {
        long bad = tagMismatch(address, size, tag);
        if (bad >= 0) throw new BlockCheckException(workload, "tag written at allocation", address, size, bad);
    }
}
