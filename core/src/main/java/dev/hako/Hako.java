package dev.hako;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * The process-wide Hako allocator, as static methods: {@code long p = Hako.malloc(64); ... Hako.free(p);}.
 *
 * <p>The default instance is built on first use from the {@code hako.*} system properties (see
 * {@link HakoConfig}). Each static call looks the calling thread's heap up in a {@code ThreadLocal}; a hot loop
 * saves that lookup by holding {@link #heap()}. Run the JVM with {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class Hako {
    private Hako() {}

    private static final class Default {
        static final HakoAllocator INSTANCE = HakoAllocator.processWide();

        static {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hako-shutdown-flush").unstarted(
                    INSTANCE::flushAtShutdown));
        }
    }

    /** The process-wide allocator. */
    public static HakoAllocator global() {
        return Default.INSTANCE;
    }

    /** The calling thread's heap handle on the process-wide allocator. */
    public static Heap heap() {
        return Default.INSTANCE.heap();
    }

    public static long malloc(long size) {
        return Default.INSTANCE.malloc(size);
    }

    public static void free(long address) {
        Default.INSTANCE.free(address);
    }

    public static long calloc(long count, long size) {
        return Default.INSTANCE.calloc(count, size);
    }

    public static long realloc(long address, long newSize) {
        return Default.INSTANCE.realloc(address, newSize);
    }

    public static long usableSize(long address) {
        return Default.INSTANCE.usableSize(address);
    }

    public static long alignedAlloc(long alignment, long size) {
        return Default.INSTANCE.alignedAlloc(alignment, size);
    }

    public static MemorySegment allocate(long size) {
        return Default.INSTANCE.allocate(size);
    }

    public static void free(MemorySegment segment) {
        Default.INSTANCE.free(segment);
    }

    public static SegmentAllocator segmentAllocator() {
        return Default.INSTANCE.segmentAllocator();
    }

    public static HakoStats stats() {
        return Default.INSTANCE.stats();
    }
}
