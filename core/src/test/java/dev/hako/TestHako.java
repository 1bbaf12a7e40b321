package dev.hako;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small allocators for tests, block patterns, and the "books balance" check. */
final class TestHako {
    private TestHako() {}

    /**
     * 1 GiB of address space, 32 owner ids (2 shared), and a reaper and a decay too slow to run during a test, so
     * that tests decide when dead threads are reaped ({@link HakoAllocator#flushDeadThreads()}, or a claim that
     * finds no vacant id) and when memory decays ({@link HakoAllocator#trim()}, or a housekeeping pass with an
     * injected clock). Tests of the reaper and of decay set short intervals.
     */
    static HakoConfig.Builder config() {
        return HakoConfig.builder().arenaBytes(1L << 30).maxOwners(32).sharedHeaps(2).reaperIntervalMillis(600_000)
                .decayMillis(600_000);
    }

    static HakoAllocator create() {
        return HakoAllocator.create(config().build());
    }

    static HakoAllocator create(String remote) {
        return HakoAllocator.create(config().remote(remote).build());
    }

    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static long word(long address, long seed, long offset) {
        long x = (address + offset) * 0x9E3779B97F4A7C15L ^ seed * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        return x ^ x >>> 29;
    }

    /** The byte at {@code offset} of the pattern, consistent with the little-endian words, so any prefix checks. */
    static byte patternByte(long address, long seed, long offset) {
        return (byte) (word(address, seed, offset & ~7L) >>> (8 * (offset & 7)));
    }

    /** Fills {@code size} bytes at {@code address} with a pattern of (address, seed); every prefix of it is
     *  the pattern of the shorter size (so realloc can be checked over the kept bytes). */
    static void fill(long address, long size, long seed) {
        forEachWord(size, off -> ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address + off, word(address, seed, off)));
        for (long off = size & ~7L; off < size; off++) ALL.set(ValueLayout.JAVA_BYTE, address + off, patternByte(address, seed, off));
    }

    /** Offset of the first byte that does not hold the pattern, or -1. */
    static long check(long address, long size, long seed) {
        return checkMoved(address, address, size, seed);
    }

    /** Whether {@code moved} holds the pattern that {@code original} was filled with, over {@code size} bytes. */
    static long checkMoved(long moved, long original, long size, long seed) {
        long[] bad = {-1};
        forEachWord(size, off -> {
            if (bad[0] < 0 && ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, moved + off) != word(original, seed, off)) {
                bad[0] = off;
            }
        });
        if (bad[0] >= 0) return bad[0];
        for (long off = size & ~7L; off < size; off++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, moved + off) != patternByte(original, seed, off)) return off;
        }
        return -1;
    }

    static void assertPattern(long address, long size, long seed) {
        long bad = check(address, size, seed);
        assertEquals(-1, bad, () -> String.format("block 0x%x (%d bytes) corrupt at +%d", address, size, bad));
    }

    /** Offset of the first non-zero byte in {@code [address, address + size)}, or -1. */
    static long firstNonZero(long address, long size) {
        MemorySegment s = ALL.asSlice(address, size);
        long words = size >>> 3;
        for (long i = 0; i < words; i++) if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, i << 3) != 0) return i << 3;
        for (long off = words << 3; off < size; off++) if (s.get(ValueLayout.JAVA_BYTE, off) != 0) return off;
        return -1;
    }

    private interface WordVisitor {
        void visit(long offset);
    }

    private static void forEachWord(long size, WordVisitor v) {
        long words = size >>> 3;
        for (long i = 0; i < words; i++) v.visit(i << 3);
    }

    /** The allocator's books balance with {@code live} page blocks held by the program. */
    static AuditReport assertBalanced(HakoAllocator hako, long live) {
        AuditReport r = hako.audit();
        assertTrue(r.balanced(live), () -> "audit does not balance with " + live + " live blocks: " + r);
        return r;
    }

    /** The allocator's page map (a private field; tests may look at internals). */
    static dev.hako.layout.PageMap pageMap(HakoAllocator hako) {
        try {
            java.lang.reflect.Field f = HakoAllocator.class.getDeclaredField("pages");
            f.setAccessible(true);
            return (dev.hako.layout.PageMap) f.get(hako);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code body} in a new platform thread and waits for it to end; rethrows what it threw. */
    static void inThread(String name, ThrowingRunnable body) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.join();
        if (thrown[0] instanceof Error e) throw e;
        if (thrown[0] instanceof RuntimeException e) throw e;
        if (thrown[0] != null) throw new AssertionError(thrown[0]);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String hex(long address) {
        return String.format("0x%x", address);
    }
}
