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

    /**
     * Owner side: how many blocks of {@code sizeClass} it takes now without overflowing its cache (at least 1 on a
     * refill miss); a strategy that can keep the rest waiting files no more.
     */
    int room(int sizeClass);

    /**
     * Owner side: whether {@code block} is one of this owner's blocks of {@code sizeClass} (inside the arena, on a
     * page of this owner and class, a block start), so that a strategy may read the words it wrote into it.
     */
    boolean owns(int sizeClass, long block);

    /**
     * Owner side: takes back the last {@code count} blocks filed for {@code sizeClass} (a drain that found its list
     * corrupt after filing them; it filed no more than {@link #room} allowed, so they are still there).
     */
    void retract(int sizeClass, int count);

    /** Adds {@code n} to a counter of this heap (only call when {@link dev.hako.stats.Stats#ENABLED}). */
    void count(Counter counter, long n);
}
