package dev.hako;

import java.util.Arrays;

/**
 * The blocks an arena has handed out: a growable {@code long[]} of addresses, 8 bytes per block and no object
 * per block. Not thread-safe; a {@link SharedHakoArena} guards each of its lists with the list's monitor.
 */
class BlockList {
    private static final long[] EMPTY = new long[0];
    private static final int FIRST_CAPACITY = 16;

    private long[] blocks = EMPTY;
    private int count;

    final void add(long address) {
        int n = count;
        long[] a = blocks;
        if (n == a.length) a = grow();
        a[n] = address;
        count = n + 1;
    }

    private long[] grow() {
        long[] a = blocks;
        // Doubling: one copy per block amortised; an int count caps an arena at 2^31 - 1 live blocks per list.
        int capacity = a.length == 0 ? FIRST_CAPACITY : Math.multiplyExact(a.length, 2);
        blocks = a = Arrays.copyOf(a, capacity);
        return a;
    }

    final int size() {
        return count;
    }

    /** Frees every block through {@code heap} and empties the list. */
    final void freeAll(Heap heap) {
        long[] a = blocks;
        int n = count;
        blocks = EMPTY;
        count = 0;
        for (int i = 0; i < n; i++) heap.free(a[i]);
    }

    /**
     * A list padded to a cache line of its own, so that the stripes of a shared arena, allocated side by side,
     * do not share a line between threads.
     */
    static final class Padded extends BlockList {
        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;
    }
}
