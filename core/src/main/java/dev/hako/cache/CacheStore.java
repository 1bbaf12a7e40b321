package dev.hako.cache;

import dev.hako.layout.SizeClasses;

/**
 * The storage of one owner's thread cache: free blocks per size class and the carving cursor per class.
 *
 * <p>It belongs to an owner slot, not to a thread: a heap attaches to it while its thread lives, and when the
 * thread exits the store stays with the slot, blocks and all, for the next thread that claims the id
 * (adoption). Only the attached heap touches it; attach and detach are ordered by the slot's claim
 * (acquire) and release.
 *
 * <pre>
 *   bins[c][0 .. counts[c])   free blocks of class c owned by this owner, popped from the top (LIFO)
 *   carveNext[c] .. carveEnd[c]  the uncarved rest of the page class c is carving (empty when equal)
 * </pre>
 * Bins are arrays of addresses, not lists through the blocks: a cached block's memory is never touched.
 */
public final class CacheStore {
    static final long[] EMPTY_BIN = new long[0];

    final long[][] bins = new long[SizeClasses.COUNT][];
    final int[] counts = new int[SizeClasses.COUNT];
    final long[] carveNext = new long[SizeClasses.COUNT];
    final long[] carveEnd = new long[SizeClasses.COUNT];

    public CacheStore() {
        java.util.Arrays.fill(bins, EMPTY_BIN);
    }

    /** Visits every cached free block (caller guarantees the store is quiescent). */
    public void forEachFree(BlockSink sink) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long[] bin = bins[c];
            for (int i = 0; i < counts[c]; i++) sink.accept(c, bin[i]);
        }
    }

    /** The carving cursor of class {@code c}: next uncarved block and the end of its page (equal = none). */
    public long carveNext(int c) {
        return carveNext[c];
    }

    public long carveEnd(int c) {
        return carveEnd[c];
    }

    public int cachedBlocks() {
        int n = 0;
        for (int c : counts) n += c;
        return n;
    }

    @FunctionalInterface
    public interface BlockSink {
        void accept(int sizeClass, long block);
    }
}
