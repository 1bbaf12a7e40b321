package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.memory.NativeMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * A multi-producer, single-consumer stack in native memory, linked through the first word (offset 0) of what it
 * holds (freed blocks, or parcels): producers push a whole chain with one release CAS; the one consumer takes the
 * whole stack with one acquire exchange. Shared by the strategies that use {@link OwnerStash}-style heads.
 *
 * <p>There is no single-item pop, so there is no ABA: a push only needs the head to equal what it linked the
 * chain's tail to at the moment of its CAS, and an exchange takes whatever is there.
 *
 * <p>Ordering: the producer's plain writes (the links, and anything else in the items) happen before its release
 * CAS; the consumer's acquire exchange sees that CAS, so its plain reads of the items see those writes.
 */
final class LinkedStack {
    private LinkedStack() {}

    /**
     * Pushes the chain {@code first .. last} (already linked through word 0 from {@code first} to {@code last};
     * {@code last}'s link is written here) onto {@code head}. Counts CAS attempts and failures on {@code counted}.
     */
    static void push(RemoteHeap counted, long head, long first, long last) {
        long expected = NativeMemory.getLongOpaque(head);
        long attempts = 1;
        for (;;) {
            NativeMemory.setLongPlain(last, expected);
            long witness = NativeMemory.caxLongRelease(head, expected, first);
            if (witness == expected) break;
            expected = witness;
            attempts++;
        }
        if (Stats.ENABLED) {
            counted.count(Counter.CAS_ATTEMPT, attempts);
            counted.count(Counter.CAS_FAIL, attempts - 1);
        }
    }

    /** Consumer: takes the whole stack (0 if it looked empty: an opaque peek first spares the atomic). */
    static long takeAll(long head) {
        if (NativeMemory.getLongOpaque(head) == 0) return 0;
        return NativeMemory.xchgLongAcquire(head, 0L);
    }

    /**
     * Owner side of a stack of blocks of one class: takes it all and moves every block into {@code owner}'s
     * cache bin for {@code sizeClass}; counts the drain. Returns the number of blocks.
     */
    static int drainBlocks(RemoteHeap owner, long head, int sizeClass, PageMap pages) {
        long block = takeAll(head);
        if (block == 0) {
            if (Stats.ENABLED) owner.count(Counter.DRAIN_EMPTY, 1);
            return 0;
        }
        int n = moveBlocks(owner, block, sizeClass, pages);
        if (Stats.ENABLED) {
            owner.count(Counter.DRAIN, 1);
            owner.count(Counter.DRAINED_BLOCKS, n);
        }
        return n;
    }

    /**
     * Moves every block of a taken list into {@code owner}'s bin for {@code sizeClass}; returns how many. A list
     * longer than every block that can exist has a cycle (a block freed twice in unchecked mode): the
     * walk stops with an exception instead of looping for ever.
     */
    static int moveBlocks(RemoteHeap owner, long block, int sizeClass, PageMap pages) {
        long bound = pages.blockBound();
        int n = 0;
        while (block != 0) {
            if (n >= bound) throw cycle(owner.ownerId(), sizeClass);
            long next = NativeMemory.getLongPlain(block);
            owner.acceptFree(sizeClass, block);
            block = next;
            n++;
        }
        return n;
    }

    static IllegalStateException cycle(int owner, int sizeClass) {
        return new IllegalStateException("the remote-free list of owner " + owner + ", class " + sizeClass
                + " is longer than every block that can exist: a block was freed twice (find it with"
                + " -Dhako.checked=true)");
    }

    /** Visits every item of a stack (caller guarantees quiescence). */
    static void forEach(long head, RemoteFree.BlockVisitor visitor) {
        for (long item = NativeMemory.getLongAcquire(head); item != 0; item = NativeMemory.getLongPlain(item)) {
            visitor.visit(item);
        }
    }
}
