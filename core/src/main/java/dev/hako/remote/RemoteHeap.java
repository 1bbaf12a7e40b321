package dev.hako.remote;

import dev.hako.stats.Counter;

/**
 * A heap as a remote-free strategy sees it: the producer side (the freeing heap) and the owner side (the heap
 * whose refill asks for blocks). Implemented by the thread cache; keeps the dependency arrow
 * {@code cache -> remote} one way.
 */
public interface RemoteHeap {
    /** This heap's owner id (1-based). */
    int ownerId();

    /** Owner side: takes a block of this heap's own into its cache bin for {@code sizeClass}. */
    void acceptFree(int sizeClass, long block);

    /** Adds {@code n} to a counter of this heap (only call when {@link dev.hako.stats.Stats#ENABLED}). */
    void count(Counter counter, long n);
}
