package dev.hako.cache;

import dev.hako.layout.SizeClasses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Everything one owner id holds: the thread cache's bins, and the owner's page level (its pages with blocks to give,
 * per class), with the lock that guards the page level.
 *
 * <p>It belongs to an owner slot, not to a thread: a heap attaches to it while its thread lives, and when the
 * thread exits the store stays with the slot for the next thread that claims the id (adoption), until the
 * housekeeper returns what it caches to the pages.
 *
 * <pre>
 *   bins[c][0 .. counts[c])   free blocks of class c, popped from the top (LIFO); at most cacheCap(c) of them
 *   pageList[c], pageTail[c]  the owner's pages of class c that have blocks to give (a list through the page
 *                             records, see PageBlocks; partly used pages first, wholly free ones last)
 * </pre>
 *
 * <h2>Who touches what</h2>
 * The bins belong to the attached heap's thread (shared heap: under its lock; a parked store: to whoever holds the
 * claimed slot). The page level (page lists, page records and bitmaps of the owner's pages, and the owner's side of
 * the remote-free strategy) is touched only under {@link #lock()}: by the heap on its slow paths, and by the
 * housekeeper, which collects the remote frees of an idle owner into its pages. The heap takes the lock once per
 * refill or overflow, never on a fast path.
 */
public final class CacheStore {
    static final long[] EMPTY_BIN = new long[0];
    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(CacheStore.class, "lock", int.class).withInvokeExactBehavior();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long[][] bins = new long[SizeClasses.COUNT][];
    final int[] counts = new int[SizeClasses.COUNT];
    /**
     * Per class, the list of the owner's pages that have blocks to give (head and tail, page + 1): pages with blocks
     * out at the front, wholly free ones at the back, so that refills use up partly used pages first.
     */
    final int[] pageList = new int[SizeClasses.COUNT];
    final int[] pageTail = new int[SizeClasses.COUNT];
    /** Per class, refills and overflows since the cache's last GC (a class with none there was idle). */
    final int[] activity = new int[SizeClasses.COUNT];
    /** Slow-path events (refills, overflows); the housekeeper sees an owner as idle while this does not move. */
    long slowEvents;
    /** Bytes of blocks moved out of the owner's pages, and back into them (under the lock). */
    long takenBytes;
    long givenBytes;
    /** Pages of the owner (small blocks), taken from the pool and not yet given back (under the lock). */
    long pages;

    @SuppressWarnings("unused") // through LOCK
    private volatile int lock;

    public CacheStore() {
        java.util.Arrays.fill(bins, EMPTY_BIN);
    }

    // ---- the page-level lock ----

    /** Takes the page-level lock; waits while the housekeeper holds it (a bounded collection). */
    public void lock() {
        if ((int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0) return;
        for (int spins = 0; ; spins++) {
            if (lock == 0 && (int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0) return;
            if (spins < 64) Thread.onSpinWait();
            else if (spins < 96) Thread.yield();
            else LockSupport.parkNanos(20_000);
        }
    }

    public boolean tryLock() {
        return lock == 0 && (int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0;
    }

    public void unlock() {
        LOCK.setRelease(this, 0);
    }

    // ---- views for audits and gauges ----

    /** Visits every cached free block (caller guarantees the store is quiescent). */
    public void forEachFree(BlockSink sink) {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            long[] bin = bins[c];
            for (int i = 0; i < counts[c]; i++) sink.accept(c, bin[i]);
        }
    }

    public int cachedBlocks() {
        int n = 0;
        for (int c : counts) n += c;
        return n;
    }

    /** Bytes of blocks in the bins (read racily by gauges). */
    public long cachedBytes() {
        long bytes = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) bytes += (long) counts[c] * SizeClasses.size(c);
        return bytes;
    }

    /** Bytes of blocks out of the owner's pages: cached, handed out, or in transit (read racily by gauges). */
    public long outBytes() {
        return takenBytes - givenBytes;
    }

    /** Pages of small blocks the owner holds (read racily by gauges). */
    public long pages() {
        return pages;
    }

    public long slowEvents() {
        return slowEvents;
    }

    @FunctionalInterface
    public interface BlockSink {
        void accept(int sizeClass, long block);
    }
}
