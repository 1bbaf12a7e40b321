package dev.hako;

import dev.hako.cache.CacheServices;
import dev.hako.cache.HeapLifecycle;
import dev.hako.cache.ThreadCache;
import dev.hako.check.Auditor;
import dev.hako.check.BlockLedger;
import dev.hako.check.Checked;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
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

/**
 * One Hako allocator: an arena of pages, owners with their caches, a remote-free strategy and large blocks.
 *
 * <p>Most programs use the process-wide instance through {@link Hako}; tests and embedders build their own with
 * {@link #create(HakoConfig)} and {@link #close()} it when done. Every method is thread-safe; each call looks up
 * the calling thread's {@link Heap} (a {@code ThreadLocal} read). Hot loops should hold the {@link #heap()}
 * handle instead.
 *
 * <p>The JVM must run with {@code --enable-native-access=ALL-UNNAMED} (or the module's name), since Hako maps
 * memory through the FFM {@code Linker}.
 */
public final class HakoAllocator implements AutoCloseable, HeapLifecycle {
    /** The largest single allocation accepted (32 TiB); larger sizes are rejected as absurd. */
    public static final long MAX_ALLOCATION = 1L << 45;
    /** The largest alignment {@code alignedAlloc} accepts (1 GiB); larger ones are rejected as absurd. */
    public static final long MAX_ALIGNMENT = 1L << 30;
    /** Arena commit granularity. */
    public static final long SEGMENT = 4L << 20;

    private final HakoConfig config;
    private final AddressSpace space;
    private final PageMap pages;
    private final RemoteFree remote;
    private final LargeBlocks large;
    private final OwnerRegistry owners;
    private final ThreadLocal<ThreadCache> local;
    /**
     * A direct-mapped cache in front of {@link #local}, indexed by thread id: one array load and one identity
     * compare instead of a {@code ThreadLocal} hash lookup. Holds exclusive heaps only (a shared heap's thread is
     * {@code null}, so it never matches); a collision only sends the thread to the {@code ThreadLocal}.
     */
    private final ThreadCache[] byThreadId = new ThreadCache[THREAD_SLOTS];
    private static final int THREAD_SLOTS = 4096;
    private volatile boolean closed;

    private HakoAllocator(HakoConfig config) {
        this.config = config;
        this.space = new AddressSpace(config.arenaBytes(), SizeClasses.PAGE, SEGMENT);
        this.pages = new PageMap(space);
        this.owners = new OwnerRegistry(config.maxOwners(), config.sharedHeaps(), config.reaperIntervalMillis());
        this.remote = RemoteStrategies.create(config.remote(),
                new RemoteContext(config.maxOwners(), pages, owners::highWater));
        this.large = new LargeBlocks();
        BlockLedger ledger = Checked.ENABLED ? new BlockLedger(space.base(), space.size()) : null;
        owners.bind(new CacheServices(pages, remote, large, ledger, this), this::forget);
        this.local = ThreadLocal.withInitial(() -> owners.attach(Thread.currentThread()));
    }

    /** Builds an allocator. */
    public static HakoAllocator create(HakoConfig config) {
        return new HakoAllocator(config);
    }

    /** Builds an allocator from the {@code hako.*} system properties. */
    public static HakoAllocator fromSystemProperties() {
        return create(HakoConfig.fromSystemProperties());
    }

    public HakoConfig config() {
        return config;
    }

    /** The calling thread's heap handle (exclusive for a platform thread, shared for a virtual thread). */
    public Heap heap() {
        return current();
    }

    private ThreadCache current() {
        Thread t = Thread.currentThread();
        ThreadCache h = byThreadId[(int) t.threadId() & (THREAD_SLOTS - 1)];
        if (h != null && h.thread() == t) return h;
        return currentSlow(t);
    }

    private ThreadCache currentSlow(Thread t) {
        ThreadCache h = local.get();
        if (h.thread() == t) byThreadId[(int) t.threadId() & (THREAD_SLOTS - 1)] = h;
        return h;
    }

    /** Drops a detached heap from the thread-id cache (the owner room calls this for every detach). */
    private void forget(ThreadCache heap) {
        Thread t = heap.thread();
        if (t == null) return;
        int i = (int) t.threadId() & (THREAD_SLOTS - 1);
        if (byThreadId[i] == heap) byThreadId[i] = null;
    }

    public long malloc(long size) {
        return current().malloc(size);
    }

    public void free(long address) {
        current().free(address);
    }

    public long calloc(long count, long size) {
        return current().calloc(count, size);
    }

    public long realloc(long address, long newSize) {
        return current().realloc(address, newSize);
    }

    public long usableSize(long address) {
        return current().usableSize(address);
    }

    public long alignedAlloc(long alignment, long size) {
        return current().alignedAlloc(alignment, size);
    }

    public MemorySegment allocate(long size) {
        return current().allocate(size);
    }

    public MemorySegment allocate(long size, long alignment) {
        return current().allocate(size, alignment);
    }

    public void free(MemorySegment segment) {
        current().free(segment.address());
    }

    /**
     * A {@link SegmentAllocator} over this allocator (for {@code Linker} calls and FFM APIs that take one).
     * Segments it returns must be freed with {@link #free(MemorySegment)}; a zero-byte request gets a
     * zero-length segment backed by a 1-byte block.
     */
    public SegmentAllocator segmentAllocator() {
        return (byteSize, byteAlignment) -> {
            if (byteSize < 0) throw new IllegalArgumentException("negative size " + byteSize);
            long address = current().alignedAlloc(byteAlignment, Math.max(1, byteSize));
            return MemorySegment.ofAddress(address).reinterpret(byteSize);
        };
    }

    /** Detaches the heaps of threads that have died (the reaper does this periodically too). */
    public int flushDeadThreads() {
        return owners.reapDead();
    }

    /**
     * Counts every block: see {@link AuditReport}. The caller guarantees quiescence: no thread may allocate or
     * free during the audit. Heaps of dead threads are detached first; live threads' caches are counted as they
     * are.
     */
    public AuditReport audit() {
        owners.reapDead();
        return Auditor.audit(pages, owners.stores(), remote);
    }

    public HakoStats stats() {
        long[] sum = owners.sumCounters();
        Map<String, Long> byName = new LinkedHashMap<>();
        for (int i = 0; i < Counter.COUNT; i++) byName.put(Counter.of(i).label, sum[Stats.PAD + i]);
        // The free path counts local and remote frees separately; their sum is derived, not counted twice.
        byName.put(Counter.FREE.label, byName.get(Counter.LOCAL_FREE.label) + byName.get(Counter.REMOTE_FREE.label));
        return new HakoStats(Stats.ENABLED, remote.name(), byName, pages.committedBytes(), pages.segmentsCommitted(),
                large.mappedBytes(), owners.ownersInUse(), owners.highWater());
    }

    /** One line naming the configuration, for logs and reports. */
    public String describe() {
        return "hako " + config.describe();
    }

    @Override
    public void detach(ThreadCache heap) {
        owners.detach(heap);
        if (heap.thread() == Thread.currentThread()) local.remove();
    }

    /** Flush that runs at JVM shutdown for the default instance (see {@link OwnerRegistry#flushAtShutdown}). */
    void flushAtShutdown() {
        if (!closed) owners.flushAtShutdown();
    }

    /**
     * Unmaps everything. Every block of this allocator becomes invalid; no thread may use it afterwards.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        owners.close();
        // Best effort against use after close: every heap now throws IllegalStateException on its next miss or
        // free instead of touching unmapped memory (a thread racing this close is the caller's bug).
        owners.detachAllForClose();
        large.releaseAll();
        remote.close();
        space.close();
    }
}
