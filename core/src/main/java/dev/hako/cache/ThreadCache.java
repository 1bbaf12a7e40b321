package dev.hako.cache;

import dev.hako.check.BlockLedger;
import dev.hako.check.Checked;
import dev.hako.events.HakoEvents;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.Limits;
import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;
import dev.hako.remote.RemoteFree;
import dev.hako.remote.RemoteHeap;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.Arrays;

/**
 * A heap: the per-thread cache and the fast paths of malloc and free.
 *
 * <h2>Fast paths</h2>
 * <pre>
 * malloc: size -> class (shift, or a table above 2 KiB); pop bins[c][--counts[c]]; empty -> refill(c)
 * free:   page tag = tags[(addr - base) >> 16]; class and owner from the tag; block-start check (one multiply);
 *         owner == mine -> push onto bins[c]; else -> remote.free(...)
 * </pre>
 * No Java object is allocated, no lock taken, and the one interface call (the remote strategy) is monomorphic.
 * Everything else (refill, carving, growing a bin, large blocks, errors) is out of line.
 *
 * <h2>Refill, overflow and GC (slow paths, under the store's page-level lock)</h2>
 * On a miss: ask the remote strategy for blocks that other threads freed to this owner (they may bring blocks of
 * other classes too); if none, take a batch from the owner's pages ({@link OwnerPages}: free blocks of listed
 * pages, then uncarved ones, then a page from the pool). A bin holds at most its store's cap for the class
 * ({@code SizeClasses.cacheCap(c)}, or grown: see {@link CacheStore}, "Adaptive caps"): a free into a full bin, or a
 * drain that fills it, first gives its oldest half back to the pages, unless the class keeps turning between
 * refills and overflows, in which case its cap grows instead. Every 64 slow-path events
 * (and at most every {@value #GC_INTERVAL_NANOS} ns) the cache GCs: every class that had no refill or overflow since
 * the last GC gives half of its blocks back (a grown class only if its count did not move either, and then its cap
 * halves) (jemalloc's tcache GC, with "no miss in the period" standing in for
 * its low-water mark, so the fast paths stay untouched), and pages that stayed wholly free since the last GC go back
 * to the pool. Nothing here writes a block.
 *
 * <h2>Threads</h2>
 * An exclusive heap is used by one thread only; its fields are plain. A shared heap ({@link SharedHeap})
 * runs the same code under a lock.
 */
public class ThreadCache implements RemoteHeap {
    private static final long[][] CLOSED_BINS = new long[SizeClasses.COUNT][];
    private static final int[] CLOSED_COUNTS = new int[SizeClasses.COUNT];
    private static final int[] CLOSED_CAPS = new int[SizeClasses.COUNT];
    private static final long PAGE_MASK = SizeClasses.PAGE - 1;
    private static final int CLASS_MASK = (1 << PageMap.CLASS_BITS) - 1;
    /** Minimum time between two GC passes of one cache. */
    static final long GC_INTERVAL_NANOS = 20_000_000;

    static {
        Arrays.fill(CLOSED_BINS, CacheStore.EMPTY_BIN);
    }

    // ---- read on every call ----
    private long[][] bins;
    private int[] counts;
    /** This heap's owner id; 0 once detached, so that no page tag matches and every path reaches a check. */
    private int owner;
    private final int[] tags;
    private final long arenaBase;
    private final long arenaSize;
    private final RemoteFree remote;
    private final long[] counters;

    // ---- slow paths ----
    private CacheStore store;
    /** The store's per-class caps ({@code store.caps}; all 0 once detached). */
    private int[] caps;
    private final PageMap pages;
    private final LargeBlocks large;
    private final OwnerPages ownerPages;
    private final BlockLedger ledger;
    private long lastGcNanos;
    private final HeapLifecycle lifecycle;
    private final Thread thread;

    /**
     * Attaches a heap to an owner id's store.
     *
     * @param thread the thread an exclusive heap belongs to, {@code null} for a shared heap
     */
    public ThreadCache(CacheServices services, int owner, CacheStore store, Thread thread) {
        this.pages = services.pages();
        this.remote = services.remote();
        this.large = services.large();
        this.ownerPages = services.ownerPages();
        this.ledger = services.ledger();
        this.lifecycle = services.lifecycle();
        this.tags = pages.tags();
        this.arenaBase = pages.base();
        this.arenaSize = pages.size();
        this.owner = owner;
        this.store = store;
        this.bins = store.bins;
        this.counts = store.counts;
        this.caps = store.caps;
        this.thread = thread;
        this.counters = Stats.newCounters();
    }

    // ================================================================ malloc

    public long malloc(long size) {
        return doMalloc(size);
    }

    // The public methods delegate to private ones so that a subclass's locking wrapper is entered once: calloc
    // and realloc call doMalloc/doFree, never the overridable methods.
    private long doMalloc(long size) {
        int c;
        if (Long.compareUnsigned(size - 1, SizeClasses.SMALL_MAX) < 0) {
            c = (int) ((size + 15) >>> 4) - 1;
        } else if (Long.compareUnsigned(size - 1, SizeClasses.MAX_SIZE) < 0) {
            c = SizeClasses.classOf(size);
        } else {
            return mallocLarge(size, OsMemory.OS_PAGE);
        }
        return mallocClass(c);
    }

    private long mallocClass(int c) {
        // Checked mode looks at the thread before the heap changes: a refused call must not pop or carve.
        if (Checked.ENABLED) checkThread();
        long[] bin = bins[c];
        int n = counts[c] - 1;
        // One unsigned test covers "bin empty" (n == -1) and proves n in bounds for the load below.
        if (Integer.compareUnsigned(n, bin.length) >= 0) return refill(c);
        counts[c] = n;
        long block = bin[n];
        if (Stats.ENABLED) counters[Stats.PAD + Counter.MALLOC.ordinal()]++;
        if (Checked.ENABLED) ledger.onMalloc(block, c);
        return block;
    }

    private long refill(int c) {
        if (owner == 0) throw detached();
        if (Stats.ENABLED) counters[Stats.PAD + Counter.REFILL.ordinal()]++;
        CacheStore s = store;
        long twice;
        s.lock();
        try {
            s.slowEvents++;
            s.activity[c]++;
            if (s.noteSlow(c, CacheStore.REFILL)) countCapGrow(); // the array grows when the frees come
            twice = pendingTwice;
            pendingTwice = 0;
            // Take from the pages also when the strategy delivered only other classes: the bin must not stay empty.
            int drained = remote.collect(this, c);
            HakoEvents.remoteDrained(owner, drained, false);
            if (drained == 0 || counts[c] == 0) {
                int n = counts[c];
                int want = Math.min(refillBatch(s, c), s.caps[c] - n);
                if (bins[c].length < n + want) OwnerPages.grow(s, c, n + want);
                ownerPages.refill(s, owner, c, want, counters);
            }
            if ((s.slowEvents & 63) == 0) gc(s);
            if (twice == 0) twice = pendingTwice;
            pendingTwice = 0;
        } finally {
            s.unlock();
        }
        if (twice != 0) throw OwnerPages.freedTwice(twice);
        return mallocClass(c);
    }

    /**
     * A refill's batch: the class's ({@link SizeClasses#refillBatch}), times how far the store's cap for it grew (a
     * bursty class refills in fewer, bigger batches), at most half the cap.
     */
    private static int refillBatch(CacheStore s, int c) {
        int batch = SizeClasses.refillBatch(c);
        int cap = s.caps[c];
        int grown = cap / SizeClasses.cacheCap(c);
        return grown <= 1 ? batch : Math.min(cap >>> 1, batch * grown);
    }

    /** A block a give-back found already home (freed twice), reported once the slow path is done. */
    private long pendingTwice;

    /**
     * Gives back half of what each class idle since the last pass holds, and halves the grown cap of a class left
     * untouched (under the lock). A grown class with no slow event whose count moved is being served by its bin: it
     * keeps its blocks.
     */
    private void gc(CacheStore s) {
        long now = System.nanoTime();
        if (now - lastGcNanos < GC_INTERVAL_NANOS) return;
        lastGcNanos = now;
        if (Stats.ENABLED) counters[Stats.PAD + Counter.CACHE_GC.ordinal()]++;
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            int n = counts[c];
            int cap = s.caps[c];
            int base = SizeClasses.cacheCap(c);
            if (cap > base) {
                if (s.activity[c] == 0 && n == s.countAtGc[c]) shrinkCap(s, c, n, Math.max(base, cap >>> 1));
            } else if (s.activity[c] == 0 && n > 0) {
                note(ownerPages.giveBackOldest(s, c, (n + 1) >>> 1, counters));
            }
            s.activity[c] = 0;
            s.turns[c] = 0;
            s.countAtGc[c] = counts[c];
        }
        ownerPages.releaseIdlePages(s, counters);
        // What this heap buffers as a producer waits at most one GC period (a full parcel goes at once anyway).
        remote.flushProducer(this);
    }

    /** An untouched grown class: half its blocks back (enough to fit {@code to}), then the cap and array down. */
    private void shrinkCap(CacheStore s, int c, int n, int to) {
        int give = Math.max((n + 1) >>> 1, n - to);
        if (give > 0) note(ownerPages.giveBackOldest(s, c, give, counters));
        try {
            s.shrinkCap(c, to);
        } catch (OutOfMemoryError javaHeapFull) { // keep the bigger array and cap until a later pass
            return;
        }
        if (Stats.ENABLED) counters[Stats.PAD + Counter.CAP_SHRINK.ordinal()]++;
    }

    private void countCapGrow() {
        if (Stats.ENABLED) counters[Stats.PAD + Counter.CAP_GROW.ordinal()]++;
    }

    /** After the cap grew: a bin with room for {@code atLeast}, or false when the Java heap has none. */
    private static boolean growBin(CacheStore s, int c, int atLeast) {
        try {
            OwnerPages.grow(s, c, atLeast);
            return true;
        } catch (OutOfMemoryError javaHeapFull) {
            return false;
        }
    }

    private void note(long twice) {
        if (twice != 0 && pendingTwice == 0) pendingTwice = twice;
    }

    private long mallocLargeZeroed(long size) {
        if (size > Limits.MAX_ALLOCATION) {
            throw new IllegalArgumentException("size " + size + " exceeds the largest allocation ("
                    + Limits.MAX_ALLOCATION + " bytes)");
        }
        if (owner == 0) throw detached();
        if (Checked.ENABLED) checkThread();
        long block = large.allocate(size, OsMemory.OS_PAGE, true);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.LARGE_ALLOC.ordinal()]++;
        return block;
    }

    private long mallocLarge(long size, long alignment) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive, was " + size);
        if (size > Limits.MAX_ALLOCATION) {
            throw new IllegalArgumentException("size " + size + " exceeds the largest allocation ("
                    + Limits.MAX_ALLOCATION + " bytes)");
        }
        if (owner == 0) throw detached();
        if (Checked.ENABLED) checkThread();
        long block = large.allocate(size, alignment, false);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.LARGE_ALLOC.ordinal()]++;
        return block;
    }

    // ================================================================ free

    public void free(long address) {
        doFree(address);
    }

    private void doFree(long address) {
        long offset = address - arenaBase;
        if (Long.compareUnsigned(offset, arenaSize) >= 0) {
            freeOutsideArena(address);
            return;
        }
        int tag = tags[(int) (offset >>> SizeClasses.PAGE_SHIFT)];
        // Code 0 (free page) and the large codes never pass: large blocks and bad addresses take the slow path.
        if (!SizeClasses.isBlockStartForCode(tag & CLASS_MASK, offset & PAGE_MASK)) {
            freeNotSmall(address, tag);
            return;
        }
        int c = (tag & CLASS_MASK) - 1;
        if (Checked.ENABLED) checkedFree(address, c);
        if (tag >>> PageMap.CLASS_BITS == owner) {
            long[] bin = bins[c];
            int n = counts[c];
            if (Integer.compareUnsigned(n, bin.length) >= 0) {
                freeIntoFullBin(c, address);
                return;
            }
            bin[n] = address;
            counts[c] = n + 1;
            if (Stats.ENABLED) counters[Stats.PAD + Counter.LOCAL_FREE.ordinal()]++;
        } else {
            freeRemote(tag >>> PageMap.CLASS_BITS, c, address);
        }
    }

    /**
     * A local free into a bin at its length: grow it up to the cap, or (an overflow) grow the cap if the class keeps
     * turning, else give the bin's oldest half back to the pages.
     */
    private void freeIntoFullBin(int c, long address) {
        if (owner == 0) throw detached();
        int n = counts[c];
        long twice = 0;
        if (bins[c].length < caps[c]) {
            try {
                OwnerPages.grow(store, c, n + 1);
            } catch (OutOfMemoryError javaHeapFull) { // free does not fail for want of Java heap: home it goes
                CacheStore s = store;
                s.lock();
                try {
                    twice = ownerPages.giveBack(s, c, address, counters);
                } finally {
                    s.unlock();
                }
                if (twice != 0) throw OwnerPages.freedTwice(twice);
                return;
            }
        } else {
            CacheStore s = store;
            s.lock();
            try {
                s.slowEvents++;
                s.activity[c]++;
                if (s.noteSlow(c, CacheStore.OVERFLOW)) countCapGrow();
                if (bins[c].length >= s.caps[c] || !growBin(s, c, n + 1)) {
                    twice = ownerPages.giveBackOldest(s, c, n >>> 1, counters);
                }
                if ((s.slowEvents & 63) == 0) gc(s);
                if (twice == 0) twice = pendingTwice;
                pendingTwice = 0;
            } finally {
                s.unlock();
            }
            n = counts[c];
        }
        bins[c][n] = address;
        counts[c] = n + 1;
        if (Stats.ENABLED) counters[Stats.PAD + Counter.LOCAL_FREE.ordinal()]++;
        if (twice != 0) throw OwnerPages.freedTwice(twice);
    }

    /** A free whose address is not a small block's start: a large block, or an address Hako never handed out. */
    private void freeNotSmall(long address, int tag) {
        if (PageMap.codeOf(tag) != PageMap.LARGE_HEAD_CODE || (address & PAGE_MASK) != 0) throw notABlock(address);
        if (owner == 0) throw detached();
        if (Checked.ENABLED) checkThread();
        if (!large.free(address)) throw notABlock(address);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.LARGE_FREE.ordinal()]++;
    }

    private void freeRemote(int blockOwner, int c, long address) {
        if (owner == 0) throw detached();
        remote.send(this, blockOwner, c, address);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.REMOTE_FREE.ordinal()]++;
    }

    private void freeOutsideArena(long address) {
        if (address == 0) return;
        if (!large.free(address)) throw notABlock(address);
        if (Stats.ENABLED) counters[Stats.PAD + Counter.LARGE_FREE.ordinal()]++;
    }

    // ================================================================ the rest of the API

    public long calloc(long count, long size) {
        if (count <= 0 || size <= 0) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): both must be positive");
        }
        long total;
        try {
            total = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): size overflows", e);
        }
        if (total > SizeClasses.MAX_SIZE) return mallocLargeZeroed(total);
        long block = doMalloc(total);
        NativeMemory.fill(block, total, (byte) 0); // reused blocks may hold anything
        return block;
    }

    public long realloc(long address, long newSize) {
        if (address == 0) return doMalloc(newSize);
        if (newSize <= 0) throw new IllegalArgumentException("realloc to size " + newSize + ": must be positive");
        long usable = doUsableSize(address);
        if (Checked.ENABLED) checkedRealloc(address);
        // Keep the block if it fits and at most half of it would be wasted.
        if (newSize <= usable && newSize > usable / 2) return address;
        long moved = doMalloc(newSize);
        NativeMemory.copy(address, moved, Math.min(usable, newSize));
        doFree(address);
        return moved;
    }

    public long usableSize(long address) {
        return doUsableSize(address);
    }

    private long doUsableSize(long address) {
        if (owner == 0) throw detached();
        long offset = address - arenaBase;
        if (Long.compareUnsigned(offset, arenaSize) < 0) {
            int tag = tags[(int) (offset >>> SizeClasses.PAGE_SHIFT)];
            int c = PageMap.classOf(tag);
            if (c >= 0 && SizeClasses.isBlockStart(c, offset & PAGE_MASK)) return SizeClasses.size(c);
            long usable = PageMap.codeOf(tag) == PageMap.LARGE_HEAD_CODE && (offset & PAGE_MASK) == 0
                    ? large.usableSize(address) : -1;
            if (usable < 0) throw notABlock(address);
            return usable;
        }
        long usable = address == 0 ? -1 : large.usableSize(address);
        if (usable < 0) throw notABlock(address);
        return usable;
    }

    public long alignedAlloc(long alignment, long size) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment must be a positive power of two, was " + alignment);
        }
        if (alignment > Limits.MAX_ALIGNMENT) {
            throw new IllegalArgumentException("alignment " + alignment + " exceeds the largest supported ("
                    + Limits.MAX_ALIGNMENT + ")");
        }
        if (size <= 0) throw new IllegalArgumentException("size must be positive, was " + size);
        if (alignment <= 16) return doMalloc(size);
        int c = SizeClasses.alignedClassOf(size, alignment);
        return c >= 0 ? mallocClass(c) : mallocLarge(size, alignment);
    }

    @Override
    public int ownerId() {
        return owner;
    }

    public boolean isShared() {
        return false;
    }

    public void close() {
        // Another thread may not close it: the owner thread could be inside a malloc or free of this very heap.
        if (thread != null && Thread.currentThread() != thread) {
            throw new IllegalStateException("a heap is closed by its own thread ('" + thread.getName()
                    + "'), not by '" + Thread.currentThread().getName() + "'");
        }
        if (owner != 0) lifecycle.close(this);
    }

    // ================================================================ remote-free strategies' view

    /**
     * Runs under the store's lock (inside {@code collect}): a full bin gives its oldest half back first. Every block
     * is checked before it is filed (inside the arena, on a page of this owner and class, a block start), so that a
     * stray write into a freed block cannot make malloc return a foreign address.
     *
     * @throws IllegalStateException naming the bad address; the strategy's walk stops there
     */
    @Override
    public void acceptFree(int sizeClass, long block) {
        if (!owns(sizeClass, block)) throw OwnerPages.notMine(owner, sizeClass, block);
        int n = counts[sizeClass];
        long[] bin = bins[sizeClass];
        if (n == bin.length) {
            // A drain beyond the cap does not turn the class: caps adapt to the thread's own frees only, and a
            // producer whose blocks all come back remotely keeps the default caps.
            if (n < caps[sizeClass]) {
                try {
                    bin = OwnerPages.grow(store, sizeClass, n + 1);
                } catch (OutOfMemoryError javaHeapFull) { // the rest of a taken list must not be lost
                    note(ownerPages.giveBack(store, sizeClass, block, counters));
                    return;
                }
            } else {
                note(ownerPages.giveBackOldest(store, sizeClass, n >>> 1, counters));
                n = counts[sizeClass];
            }
        }
        bin[n] = block;
        counts[sizeClass] = n + 1;
    }

    @Override
    public int room(int sizeClass) {
        return caps[sizeClass] - counts[sizeClass];
    }

    @Override
    public void retract(int sizeClass, int count) {
        counts[sizeClass] -= count;
    }

    @Override
    public boolean owns(int sizeClass, long block) {
        long offset = block - arenaBase;
        return Long.compareUnsigned(offset, arenaSize) < 0
                && tags[(int) (offset >>> SizeClasses.PAGE_SHIFT)] == PageMap.tag(owner, sizeClass)
                && SizeClasses.isBlockStart(sizeClass, offset & PAGE_MASK);
    }

    @Override
    public void count(Counter counter, long n) {
        counters[Stats.PAD + counter.ordinal()] += n;
    }

    // ================================================================ owner room's view

    /** The thread an exclusive heap belongs to; {@code null} for a shared heap. */
    public Thread thread() {
        return thread;
    }

    /** This heap's counters (index {@code Stats.PAD + ordinal}); read racily by snapshots. */
    public long[] counters() {
        return counters;
    }

    public boolean isDetached() {
        return owner == 0;
    }

    /** The store this heap is attached to, or {@code null} once detached (tests look at its caps). */
    CacheStore store() {
        return store;
    }

    /**
     * Lets go of the store: from now on every call misses into a check that throws. The caller (owner room)
     * has already flushed the strategy's producer side for this heap.
     */
    public CacheStore detachStore() {
        CacheStore s = store;
        store = null;
        bins = CLOSED_BINS;
        counts = CLOSED_COUNTS;
        caps = CLOSED_CAPS;
        owner = 0;
        return s;
    }

    // ================================================================ checks

    private void checkedFree(long block, int c) {
        checkThread();
        if (owner == 0) throw detached();
        ledger.onFree(block, c);
    }

    /** Before realloc keeps or moves a block: it must be handed out (else the new block would leak on the free). */
    private void checkedRealloc(long address) {
        checkThread();
        long offset = address - arenaBase;
        if (Long.compareUnsigned(offset, arenaSize) < 0) {
            int c = PageMap.classOf(tags[(int) (offset >>> SizeClasses.PAGE_SHIFT)]);
            if (c >= 0) ledger.requireHandedOut(address, c); // a large block's tag says it is live
        }
    }

    private void checkThread() {
        if (thread != null && Thread.currentThread() != thread) {
            throw new IllegalStateException("heap of owner " + owner + " belongs to thread '" + thread.getName()
                    + "' but was used from '" + Thread.currentThread().getName() + "'");
        }
    }

    private IllegalStateException detached() {
        return new IllegalStateException("this heap handle was closed (or its thread was reaped); get a new one"
                + " with HakoAllocator.heap()");
    }

    static IllegalArgumentException notABlock(long address) {
        return new IllegalArgumentException(String.format(
                "0x%x is not the start of a block allocated by this Hako allocator", address));
    }
}
