package dev.hako;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The process-wide Hako allocator, as static methods: {@code long p = Hako.malloc(64); ... Hako.free(p);}.
 *
 * <p>The default instance is built on first use from the {@code hako.*} system properties (see
 * {@link HakoConfig}). Each static call finds the calling thread's heap (a table indexed by thread id, then a
 * {@code ThreadLocal}); a hot loop saves that lookup by holding {@link #heap()}. Every method is the same method of
 * {@link #global()}: see {@link HakoAllocator} and {@link Heap} for the contracts. Run the JVM with
 * {@code --enable-native-access=ALL-UNNAMED} on the class path, {@code --enable-native-access=dev.hako} on the module
 * path.
 */
public final class Hako {
    private Hako() {}

    private static final class Default {
        static final HakoAllocator INSTANCE = HakoAllocator.processWide();
        /** A constant for the JIT: no load of the allocator's fields, and the index mask needs no bounds check. */
        static final PublicHeaps.Exclusive[] HEAPS_BY_THREAD = INSTANCE.heapsByThread();

        static {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hako-shutdown-flush").unstarted(
                    INSTANCE::flushAtShutdown));
        }
    }

    /**
     * The process-wide allocator.
     *
     * @return the allocator behind every static method here, built on first use
     */
    public static HakoAllocator global() {
        return Default.INSTANCE;
    }

    /**
     * The calling thread's heap handle on the process-wide allocator.
     *
     * @return a handle to keep in the thread that asked (see {@link Heap})
     */
    public static Heap heap() {
        return Default.INSTANCE.heap();
    }

    /**
     * Allocates {@code size} bytes: {@link HakoAllocator#malloc}.
     *
     * @param size bytes, at least 1
     * @return the block's address, 16-byte aligned
     */
    public static long malloc(long size) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(Default.HEAPS_BY_THREAD);
        return h != null ? h.malloc(size) : Default.INSTANCE.mallocAfterTableMiss(size);
    }

    /**
     * Frees a block, from any thread: {@link HakoAllocator#free(long)}.
     *
     * @param address a block's address, or 0 (nothing happens)
     */
    public static void free(long address) {
        PublicHeaps.Exclusive h = PublicHeaps.ofCaller(Default.HEAPS_BY_THREAD);
        if (h != null) h.free(address);
        else Default.INSTANCE.freeAfterTableMiss(address);
    }

    /**
     * Allocates {@code count * size} zeroed bytes: {@link HakoAllocator#calloc}.
     *
     * @param count elements, at least 1
     * @param size  bytes per element, at least 1
     * @return the block's address
     */
    public static long calloc(long count, long size) {
        return Default.INSTANCE.calloc(count, size);
    }

    /**
     * Resizes a block, keeping its contents: {@link HakoAllocator#realloc}.
     *
     * @param address the block, or 0 for a plain malloc
     * @param newSize bytes, at least 1
     * @return the block's address, which may have moved
     */
    public static long realloc(long address, long newSize) {
        return Default.INSTANCE.realloc(address, newSize);
    }

    /**
     * The bytes usable at a block: {@link HakoAllocator#usableSize}.
     *
     * @param address a block's address
     * @return at least what was asked for
     */
    public static long usableSize(long address) {
        return Default.INSTANCE.usableSize(address);
    }

    /**
     * Allocates {@code size} bytes at a multiple of {@code alignment}: {@link HakoAllocator#alignedAlloc}.
     *
     * @param alignment a power of two, at most 1 GiB
     * @param size      bytes, at least 1
     * @return the block's address
     */
    public static long alignedAlloc(long alignment, long size) {
        return Default.INSTANCE.alignedAlloc(alignment, size);
    }

    /**
     * {@link #malloc} as a {@link MemorySegment} of exactly {@code size} bytes (global scope: raw memory).
     *
     * @param size bytes, at least 1
     * @return the segment; free it with {@link #free(MemorySegment)}
     */
    public static MemorySegment allocate(long size) {
        return Default.INSTANCE.allocate(size);
    }

    /**
     * Frees the block a segment from {@link #allocate} views.
     *
     * @param segment a native segment Hako allocated
     */
    public static void free(MemorySegment segment) {
        Default.INSTANCE.free(segment);
    }

    /**
     * A {@link SegmentAllocator} over the process-wide allocator: {@link HakoAllocator#segmentAllocator()}.
     *
     * @return the allocator; free what it returns with {@link #free(MemorySegment)}
     */
    public static SegmentAllocator segmentAllocator() {
        return Default.INSTANCE.segmentAllocator();
    }

    /**
     * Counters and memory gauges of the process-wide allocator.
     *
     * @return a snapshot (see {@link HakoStats})
     */
    public static HakoStats stats() {
        return Default.INSTANCE.stats();
    }
}
