package dev.hako.cache;

import dev.hako.layout.SizeClasses;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
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
 *   bins[c][0 .. counts[c])   free blocks of class c, popped from the top (LIFO); at most caps[c] of them, and
 *                             bins[c].length <= caps[c] (the fast paths' bound is the array's length)
 *   caps[c]                   the class's cap: SizeClasses.cacheCap(c), grown while the class makes round trips
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
 *
 * <h2>Adaptive caps</h2>
 * A class whose bin overflows and then refills (or refills and then overflows) gives blocks back to its pages only to
 * take the same blocks again: a burst of frees larger than the cap followed by as many mallocs. Each change of
 * direction between a refill and an overflow (a local free into a full bin; a remote-free drain beyond the cap does
 * not count) is a <em>turn</em>; {@value #TURNS_TO_GROW} turns of a class within one cache-GC period double its cap, up to
 * {@link SizeClasses#maxCacheCap} (512 KiB and 32,768 blocks) and within the store's budget
 * ({@link SizeClasses#CACHE_GROWTH_BUDGET} bytes above the defaults, all classes together). A one-off burst (all
 * refills, then all overflows) turns once and does not grow anything. The bin's array grows lazily to the cap, as
 * before. The cache GC halves a grown cap (and its array, so that the fast-path bound shrinks too) when the class was
 * untouched for a period (no slow event, and its count did not move); giving everything back (trim, a parked store)
 * resets every cap and drops grown arrays.
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
    /** Per class, the cap: the default, or grown (see "Adaptive caps"); {@code bins[c].length <= caps[c]}. */
    final int[] caps = new int[SizeClasses.COUNT];
    /** Per class, the kind of its last slow event ({@link #REFILL}, {@link #OVERFLOW}, 0 = none yet). */
    final byte[] lastSlow = new byte[SizeClasses.COUNT];
    /** Per class, turns (refill after overflow, or overflow after refill) since the last grow or cache GC. */
    final byte[] turns = new byte[SizeClasses.COUNT];
    /** Per class, the bin's count right after the last cache GC (a grown class whose count stayed put was idle). */
    final int[] countAtGc = new int[SizeClasses.COUNT];
    /** Bytes by which the caps exceed their defaults, all classes together (at most the growth budget). */
    long grownBytes;
    /** Slow-path events (refills, overflows); the housekeeper sees an owner as idle while this does not move. */
    long slowEvents;
    /** Bytes of blocks moved out of the owner's pages, and back into them (under the lock). */
    long takenBytes;
    long givenBytes;
    /** Pages of the owner (small blocks), taken from the pool and not yet given back (under the lock). */
    long pages;

    @SuppressWarnings("unused") // through LOCK
    private volatile int lock;

    static final byte REFILL = 1;
    static final byte OVERFLOW = 2;
    /** Turns of one class within a cache-GC period that double its cap. */
    static final int TURNS_TO_GROW = 2;

    public CacheStore() {
        Arrays.fill(bins, EMPTY_BIN);
        for (int c = 0; c < SizeClasses.COUNT; c++) caps[c] = SizeClasses.cacheCap(c);
    }

    // ---- adaptive caps (under the lock, by the thread that owns the bins) ----

    /**
     * Notes a slow event of class {@code c} ({@link #REFILL} or {@link #OVERFLOW}) and grows the class's cap on its
     * {@value #TURNS_TO_GROW}th turn. Returns whether the cap grew (the bin's array is left as it is).
     */
    boolean noteSlow(int c, byte kind) {
        byte last = lastSlow[c];
        lastSlow[c] = kind;
        if (last == 0 || last == kind || ++turns[c] < TURNS_TO_GROW) return false;
        turns[c] = 0;
        return growCap(c);
    }

    /** Doubles the cap of class {@code c}, within its maximum and the store's budget. Returns whether it grew. */
    boolean growCap(int c) {
        int cap = caps[c];
        int size = SizeClasses.size(c);
        long room = SizeClasses.CACHE_GROWTH_BUDGET - grownBytes;
        int to = (int) Math.min(Math.min(2L * cap, SizeClasses.maxCacheCap(c)), cap + room / size);
        if (to <= cap) return false;
        grownBytes += (long) (to - cap) * size;
        caps[c] = to;
        return true;
    }

    /**
     * Lowers the cap of class {@code c} to {@code to} (at least the default), with the bin's array; the caller has
     * made {@code counts[c] <= to}.
     *
     * @throws OutOfMemoryError when the smaller array cannot be had (nothing changed)
     */
    void shrinkCap(int c, int to) {
        long[] bin = bins[c];
        if (bin.length > to) bins[c] = Arrays.copyOf(bin, to);
        grownBytes -= (long) (caps[c] - to) * SizeClasses.size(c);
        caps[c] = to;
    }

    /** Every cap back to its default and grown arrays dropped; the bins are empty (everything was given back). */
    void resetCaps() {
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int base = SizeClasses.cacheCap(c);
            if (bins[c].length > base) bins[c] = EMPTY_BIN;
            caps[c] = base;
        }
        grownBytes = 0;
        Arrays.fill(lastSlow, (byte) 0);
        Arrays.fill(turns, (byte) 0);
        Arrays.fill(countAtGc, 0);
    }

    /** The cap of class {@code c} in this store (read racily by tests and gauges). */
    public int cap(int c) {
        return caps[c];
    }

    /** Bytes by which this store's caps exceed their defaults (read racily by tests and gauges). */
    public long grownBytes() {
        return grownBytes;
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
