package dev.hako.cache;

import java.util.Arrays;

/**
 * A heap's plain writes and reads of a {@link CacheStore}'s bins, for the jcstress tests of the hand-overs that
 * must carry them (the owner slot, the locks). Written as {@code ThreadCache} does: the block into the bin's next
 * slot, then the count.
 */
public final class Bins {
    private Bins() {}

    /** Caches {@code block} in the bin of {@code sizeClass} (growing the bin as a refill does). */
    public static void cache(CacheStore store, int sizeClass, long block) {
        int n = store.counts[sizeClass];
        if (store.bins[sizeClass].length == n) store.bins[sizeClass] = Arrays.copyOf(store.bins[sizeClass], n + 4);
        store.bins[sizeClass][n] = block;
        store.counts[sizeClass] = n + 1;
    }

    public static int count(CacheStore store, int sizeClass) {
        return store.counts[sizeClass];
    }

    /** The block a malloc of the class would pop next, 0 if the bin is empty. */
    public static long top(CacheStore store, int sizeClass) {
        int n = store.counts[sizeClass];
        return n == 0 ? 0 : store.bins[sizeClass][n - 1];
    }
}
