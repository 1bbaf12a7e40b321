package dev.hako;

import dev.hako.cache.CacheStore;
import dev.hako.cache.OwnerPages;
import dev.hako.cache.ThreadCache;
import dev.hako.check.BlockLedger;
import dev.hako.check.Checked;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.Limits;
import dev.hako.layout.PageBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
import dev.hako.owner.Housekeeper;
import dev.hako.owner.OwnerRegistry;
import dev.hako.remote.RemoteContext;
import dev.hako.remote.RemoteFree;
import dev.hako.remote.RemoteStrategies;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One Hako allocator: an arena of pages, owners with their caches, a remote-free strategy and large blocks.
 *
 * <p>Most programs use the process-wide instance through {@link Hako}; tests and embedders build their own with
 * {@link #create(HakoConfig)} and {@link #close()} it when done. Every method is thread-safe; each call looks up
 * the calling thread's {@link Heap} (a table indexed by thread id, then a {@code ThreadLocal}). Hot loops may hold
 * the {@link #heap()} handle instead.
 *
 * <p>The JVM must run with {@code --enable-native-access=ALL-UNNAMED} (or the module's name), since Hako maps
 * memory through the FFM {@code Linker}.
 */
public final class HakoAllocator implements AutoCloseable {
    /** The largest single allocation accepted (32 TiB); larger sizes are rejected as absurd. */
    public static final long MAX_ALLOCATION = Limits.MAX_ALLOCATION;
    /** The largest alignment {@code alignedAlloc} accepts (1 GiB); larger ones are rejected as absurd. */
    public static final long MAX_ALIGNMENT = Limits.MAX_ALIGNMENT;
    /** Arena commit granularity. */
    public static final long SEGMENT = 4L << 20;

    private final HakoConfig config;
    private final AddressSpace space;
    private final PageMap pages;
    private final PagePool pool;
    private final PageBlocks pageBlocks;
    private final RemoteFree remote;
    private final LargeBlocks large;
    private final OwnerRegistry owners;
    /** The owner room's thread-id table, as the class it holds: the calls below find a thread's heap in it first. */
    private final PublicHeaps.Exclusive[] heapsByThread;
    private final Housekeeper housekeeper;
    private volatile boolean closed;
    private final AllocatorMonitor monitor;

    private HakoAllocator(HakoConfig config, LongSupplier nowMillis, boolean processWide) {
        this.config = config;
        this.space = new AddressSpace(config.arenaBytes(), SizeClasses.PAGE, SEGMENT);
        this.pages = new PageMap(space);
        this.pool = new PagePool(pages, space, nowMillis, HakoConfig.ADVICE_FREE.equals(config.decayAdvice()));
        this.pageBlocks = new PageBlocks(pages);
        AtomicInteger ownersHighWater = new AtomicInteger(config.sharedHeaps());
        this.remote = RemoteStrategies.create(config.remote(),
                new RemoteContext(config.maxOwners(), pages, ownersHighWater::get, config.parcelOpen(),
                        config.parcelBudget(), config.parcelMissFlush()));
        this.large = new LargeBlocks(pages, pool);
        BlockLedger ledger = Checked.ENABLED ? new BlockLedger(space.base(), space.size()) : null;
        OwnerPages ownerPages = new OwnerPages(pages, pageBlocks, pool, ledger);
        this.owners = new OwnerRegistry(config.maxOwners(), config.sharedHeaps(), config.virtualHeaps(),
                ownersHighWater, pages, remote, large, ownerPages, ledger, PublicHeaps.INSTANCE);
        this.heapsByThread = (PublicHeaps.Exclusive[]) owners.threadTable(); // PublicHeaps made it
        this.housekeeper = new Housekeeper(owners, ownerPages, remote, pool, nowMillis, config.decayMillis(),
                config.reaperIntervalMillis());
        housekeeper.start();
        this.monitor = AllocatorMonitor.register(this, processWide); // MXBean and JFR gauges; last: all is built
    }

    /**
     * Builds an allocator: reserves its arena, starts its housekeeper thread.
     *
     * @param config what to build
     * @return the allocator; {@link #close()} it when done
     * @throws OutOfMemoryError if the address space cannot be reserved
     */
    public static HakoAllocator create(HakoConfig config) {
        return new HakoAllocator(config, HakoAllocator::monotonicMillis, false);
    }

    /** The process-wide allocator ({@link Hako}), from the system properties; its MXBean has the plain name. */
    static HakoAllocator processWide() {
        return new HakoAllocator(HakoConfig.fromSystemProperties(), HakoAllocator::monotonicMillis, true);
    }

    /** Builds an allocator whose decay and housekeeping read {@code nowMillis} (tests drive time by hand). */
    static HakoAllocator create(HakoConfig config, LongSupplier nowMillis) {
        return new HakoAllocator(config, nowMillis, false);
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Builds an allocator from the {@code hako.*} system properties.
     *
     * @return the allocator; {@link #close()} it when done
     */
    public static HakoAllocator fromSystemProperties() {
        return create(HakoConfig.fromSystemProperties());
    }

    /**
     * How this allocator was built.
     *
     * @return its configuration
     */
    public HakoConfig config() {
        return config;
    }

    /**
     * The calling thread's heap handle (exclusive, or shared past the owner ids or the virtual threads' cap).
     *
     * @return the handle, the same one each time for a thread's heap
     */
    public Heap heap() {
        return (Heap) owners.current(); // PublicHeaps made it
    }

    /**
     * Allocates {@code size} bytes on the calling thread's heap: {@link Heap#malloc}.
     *
     * @param size bytes, at least 1
     * @return the block's address
     */
    public long malloc(long size) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        return h != null ? h.malloc(size) : owners.currentAfterTableMiss().malloc(size);
    }

    /**
     * Frees a block, whichever thread allocated it: {@link Heap#free(long)}.
     *
     * @param address the block's address, or 0
     */
    public void free(long address) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        if (h != null) h.free(address);
        else owners.currentAfterTableMiss().free(address);
    }

    /**
     * Allocates {@code count * size} zeroed bytes: {@link Heap#calloc}.
     *
     * @param count elements, at least 1
     * @param size  bytes per element, at least 1
     * @return the block's address
     */
    public long calloc(long count, long size) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        return h != null ? h.calloc(count, size) : owners.currentAfterTableMiss().calloc(count, size);
    }

    /**
     * Resizes a block, keeping its contents up to the smaller size: {@link Heap#realloc}.
     *
     * @param address the block, or 0 for a plain malloc
     * @param newSize bytes, at least 1
     * @return the block's address, which may have moved
     */
    public long realloc(long address, long newSize) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        return h != null ? h.realloc(address, newSize) : owners.currentAfterTableMiss().realloc(address, newSize);
    }

    /**
     * The bytes usable at a block: {@link Heap#usableSize}.
     *
     * @param address a block's address
     * @return at least what was asked for
     */
    public long usableSize(long address) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        return h != null ? h.usableSize(address) : owners.currentAfterTableMiss().usableSize(address);
    }

    /**
     * Allocates {@code size} bytes at a multiple of {@code alignment}: {@link Heap#alignedAlloc}.
     *
     * @param alignment a power of two, at most {@link #MAX_ALIGNMENT}
     * @param size      bytes, at least 1
     * @return the block's address
     */
    public long alignedAlloc(long alignment, long size) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(heapsByThread);
        return h != null ? h.alignedAlloc(alignment, size) : owners.currentAfterTableMiss().alignedAlloc(alignment, size);
    }

    /**
     * {@link #malloc} as a {@link MemorySegment} of exactly {@code size} bytes (global scope: raw memory, see
     * {@link Heap#allocate(long)}).
     *
     * @param size bytes, at least 1
     * @return the segment; free it with {@link #free(MemorySegment)}
     */
    public MemorySegment allocate(long size) {
        return MemorySegment.ofAddress(malloc(size)).reinterpret(size);
    }

    /**
     * {@link #alignedAlloc} as a {@link MemorySegment}.
     *
     * @param size      bytes, at least 1
     * @param alignment a power of two
     * @return the segment; free it with {@link #free(MemorySegment)}
     */
    public MemorySegment allocate(long size, long alignment) {
        return MemorySegment.ofAddress(alignedAlloc(alignment, size)).reinterpret(size);
    }

    /**
     * Frees the block a segment from {@link #allocate} views (see {@link Heap#free(MemorySegment)}).
     *
     * @param segment a native segment Hako allocated
     * @throws IllegalArgumentException if the segment is not a native one
     */
    public void free(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not a native segment (a heap segment was never allocated by Hako): "
                    + segment);
        }
        free(segment.address());
    }

    /**
     * A {@link SegmentAllocator} over this allocator (for {@code Linker} calls and FFM APIs that take one).
     * Segments it returns must be freed with {@link #free(MemorySegment)}; a zero-byte request gets a
     * zero-length segment backed by a 1-byte block.
     *
     * @return the allocator
     */
    public SegmentAllocator segmentAllocator() {
        return (byteSize, byteAlignment) -> {
            if (byteSize < 0) throw new IllegalArgumentException("negative size " + byteSize);
            long address = owners.current().alignedAlloc(byteAlignment, Math.max(1, byteSize));
            return MemorySegment.ofAddress(address).reinterpret(byteSize);
        };
    }

    /**
     * Detaches the heaps of threads that have died (the housekeeper does this periodically too).
     *
     * @return how many heaps were detached
     */
    public int flushDeadThreads() {
        requireOpen();
        return owners.reapDead();
    }

    /**
     * Counts every block: see {@link AuditReport}. The caller guarantees quiescence: no thread may allocate or
     * free during the audit. Heaps of dead threads are detached first; live threads' caches are counted as they
     * are. Housekeeping does not run meanwhile.
     *
     * @return the counts
     */
    public AuditReport audit() {
        synchronized (owners.maintenance()) {
            requireOpen();
            owners.reapDead();
            return Auditor.audit(pages, pool, pageBlocks, owners.stores(), remote);
        }
    }

    /**
     * Gives back everything that can be given back now, like {@code malloc_trim} or {@code mi_collect(true)}: the
     * calling thread's cache, the caches of stores no thread holds, every remote free waiting for any owner (into
     * its pages), every wholly free page, and then the memory of every free page to the kernel. Other live
     * threads' caches stay theirs. Pages are re-committed by the kernel when they are used again.
     *
     * @return the bytes returned to the kernel by this call
     */
    public long trim() {
        ThreadCache mine = owners.current();
        return housekeeper.trim(mine.isShared() ? null : mine);
    }

    /** {@link #trim()} for a thread that must not get a heap here (the MXBean's): no caller's cache to give back. */
    long trimWithoutCaller() {
        return housekeeper.trim(null);
    }

    /** Runs one pass of the background housekeeping now (tests, with an injected clock). */
    void housekeep() {
        housekeeper.pass();
    }

    /**
     * Counters (with {@code -Dhako.stats=true}) and the memory gauges, read without stopping other threads.
     *
     * @return a snapshot
     */
    public HakoStats stats() {
        requireOpen();
        long[] sum = owners.sumCounters();
        long[] kept = housekeeper.counters();
        for (int i = 0; i < sum.length; i++) sum[i] += kept[i];
        Map<String, Long> byName = new LinkedHashMap<>();
        for (int i = 0; i < Counter.COUNT; i++) byName.put(Counter.of(i).label, sum[Stats.PAD + i]);
        // The free path counts local and remote frees separately; their sum is derived, not counted twice.
        byName.put(Counter.FREE.label, byName.get(Counter.LOCAL_FREE.label) + byName.get(Counter.REMOTE_FREE.label));
        return new HakoStats(Stats.ENABLED, remote.name(), byName, memory(), owners.ownersInUse(), owners.highWater());
    }

    private HakoStats.Memory memory() {
        long out = 0, cached = 0, ownedPages = 0;
        for (CacheStore s : owners.stores()) {
            out += s.outBytes();
            cached += s.cachedBytes();
            ownedPages += s.pages();
        }
        long largeArena = large.arenaBytes(), largeMapped = large.mappedBytes();
        return new HakoStats.Memory(Math.max(0, out - cached) + largeArena + largeMapped, cached,
                Math.max(0, (ownedPages << SizeClasses.PAGE_SHIFT) - out), pool.dirtyBytes(), pool.cleanBytes(),
                pages.committedBytes(), pool.purgedBytes(), largeArena, largeMapped, pages.segmentsCommitted());
    }

    /**
     * One line naming the configuration, for logs and reports.
     *
     * @return {@code hako remote=.. arena=.. ...}
     */
    public String describe() {
        return "hako " + config.describe();
    }

    /** {@link #malloc} for a caller the thread-id table did not map ({@link Hako} looked there already). */
    long mallocAfterTableMiss(long size) {
        return owners.currentAfterTableMiss().malloc(size);
    }

    /** {@link #free(long)} for a caller the thread-id table did not map. */
    void freeAfterTableMiss(long address) {
        owners.currentAfterTableMiss().free(address);
    }

    /** The thread-id table, as {@link Hako} keeps it in a static final (then its length is a constant too). */
    PublicHeaps.Exclusive[] heapsByThread() {
        return heapsByThread;
    }

    /** Flush that runs at JVM shutdown for the default instance (see {@link OwnerRegistry#flushAtShutdown}). */
    void flushAtShutdown() {
        owners.flushAtShutdown(); // under the registry's lock, and nothing once closed
    }

    /**
     * Closes the allocator and unmaps everything: every block of it becomes invalid, and every later call on it, or
     * on a heap of it, throws {@link IllegalStateException}. The calling thread's own heap is closed here; heaps of
     * threads that have died are reaped first.
     *
     * <p>Closing refuses, with an {@link IllegalStateException} naming how many, while exclusive heaps of other
     * live threads (platform threads, and virtual threads within the {@code hako.virtual} cap) are attached: such a
     * thread could be inside a malloc or free at that moment, and unmapping the memory under it would crash the JVM.
     * Those threads close their heaps ({@link Heap#close()}) or end first. Shared heaps never hold a close back: each
     * is closed under its lock. This costs the fast paths nothing: a closed heap fails its checks on its next miss or
     * foreign free, and attaching a heap is ordered with closing. A second close does nothing. {@link #closeWithin} waits for such threads to end first.
     *
     * @throws IllegalStateException if other live threads still hold heaps of this allocator
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            owners.close(Thread.currentThread()); // refuses, changing nothing, while others hold heaps
            closed = true;
        }
        monitor.close(); // never throws
        housekeeper.close();
        large.releaseAll();
        remote.close();
        pageBlocks.close();
        pool.close();
        space.close();
    }

    /**
     * {@link #close()}, waiting up to {@code patience} for other threads that still hold heaps of this allocator to
     * end (a thread pool being shut down, an event loop terminating) before it refuses.
     *
     * @param patience how long to wait for them at most
     * @throws IllegalStateException if other live threads still hold heaps after {@code patience}
     */
    public void closeWithin(java.time.Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (;;) {
            try {
                close();
                return;
            } catch (IllegalStateException stillHeld) {
                if (System.nanoTime() - deadline >= 0) throw stillHeld;
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private void requireOpen() {
        if (closed || owners.isClosed()) throw new IllegalStateException("this Hako allocator is closed");
    }
}
