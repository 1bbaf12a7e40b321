package dev.hako.netty;

import dev.hako.HakoAllocator;
import dev.hako.HakoStats;
import io.netty.buffer.ByteBufAllocatorMetric;

import java.util.concurrent.atomic.LongAdder;

/**
 * Netty's view of a {@link HakoByteBufAllocator}'s memory, for whatever reads {@code ByteBufAllocatorMetric}
 * (Micrometer's {@code NettyAllocatorMetrics}, for one).
 *
 * <p>{@link #usedDirectMemory()} is the memory the underlying {@link HakoAllocator} holds from the operating
 * system (read from {@link HakoAllocator#stats()}), as Netty's pooled allocators report the chunks they hold: it
 * covers every user of that Hako allocator, not only Netty's buffers, and it includes free blocks Hako keeps
 * cached. {@link #usedHeapMemory()} is the bytes of live heap buffers.
 */
public final class HakoByteBufAllocatorMetric implements ByteBufAllocatorMetric {
    private final HakoAllocator hako;
    private final LongAdder heapBytes;

    HakoByteBufAllocatorMetric(HakoAllocator hako, LongAdder heapBytes) {
        this.hako = hako;
        this.heapBytes = heapBytes;
    }

    @Override
    public long usedHeapMemory() {
        return heapBytes.sum();
    }

    @Override
    public long usedDirectMemory() {
        return directBytes(hako.stats());
    }

    /** Hako's own counters and gauges, for more than Netty's two figures. */
    public HakoStats hakoStats() {
        return hako.stats();
    }

    /**
     * The one place where Hako's gauges become Netty's {@code usedDirectMemory}: arena bytes committed plus bytes
     * mapped for large blocks.
     */
    static long directBytes(HakoStats stats) {
        return stats.committedBytes() + stats.memory().largeMappedBytes();
    }

    @Override
    public String toString() {
        return "HakoByteBufAllocatorMetric(usedHeapMemory: " + usedHeapMemory() + "; usedDirectMemory: "
                + usedDirectMemory() + ')';
    }
}
