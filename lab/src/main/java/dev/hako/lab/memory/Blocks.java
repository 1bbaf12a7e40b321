package dev.hako.lab.memory;

import dev.hako.lab.peers.AddressHandle;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Chains of blocks kept inside the blocks themselves: each block's first word holds the address of the block
 * allocated before it. A scenario thus holds millions of blocks without a Java array of addresses (which would
 * add its own resident memory to the figure), and every block is written, as a program's would be.
 */
final class Blocks {
    private Blocks() {}

    /** The whole address space as one segment: reads and writes at raw addresses, no object per block. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long PAGE = 4096;
    /** The smallest request: room for the link word. */
    static final long MIN_SIZE = JAVA_LONG.byteSize();

    /**
     * Allocates blocks of random sizes in {@code [min, max]} until {@code bytes} were requested, writes every 4 KiB
     * page of each, and chains them onto {@code head}.
     *
     * @return the new head of the chain
     * @throws IllegalStateException when the allocator returns 0
     */
    static long allocate(AddressHandle h, SplittableRandom random, long min, long max, long bytes, long head) {
        if (min < MIN_SIZE || max < min) throw new IllegalArgumentException("sizes must be " + MIN_SIZE + ".." + max);
        for (long requested = 0; requested < bytes; ) {
            long size = min == max ? min : random.nextLong(min, max + 1);
            long p = h.malloc(size);
            if (p == 0) throw new IllegalStateException("out of memory after " + (requested >> 20) + " MiB");
            touch(p, size);
            ALL.set(JAVA_LONG, p, head);
            head = p;
            requested += size;
        }
        return head;
    }

    /** Writes one byte in every 4 KiB page the block covers, so that each is resident. */
    private static void touch(long p, long size) {
        long end = p + size;
        for (long q = p; q < end; q = (q & -PAGE) + PAGE) ALL.set(JAVA_BYTE, q, (byte) 1);
    }

    /** Frees every block of a chain; returns how many. */
    static long freeAll(AddressHandle h, long head) {
        long n = 0;
        while (head != 0) {
            long next = ALL.get(JAVA_LONG, head);
            h.free(head);
            head = next;
            n++;
        }
        return n;
    }
}
