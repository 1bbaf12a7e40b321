package dev.hako.netty;

import dev.hako.Hako;
import dev.hako.HakoAllocator;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Netty {@code ByteBufAllocator} whose direct buffers are Hako blocks.
 *
 * <p>Each direct buffer is one block of a {@link HakoAllocator}, taken on the allocating thread (through that
 * thread's Hako heap) and given back exactly once, when the buffer's reference count reaches zero, on the thread
 * that made the last {@code release()}. A buffer allocated on an event loop and released on a worker thread is
 * therefore a remote free in Hako's terms: the block goes home through the allocator's remote-free strategy
 * ({@code -Dhako.remote}). Growing or shrinking a buffer ({@code capacity(n)}) moves it with Hako's {@code realloc}.
 *
 * <p>Heap buffers are Netty's unpooled heap buffers, counted for {@link #metric()}.
 *
 * <p>This allocator pools nothing of its own: the pooling is Hako's (size classes, per-thread caches). A buffer is
 * a small object over its block, read and written in place through the FFM API (no {@code sun.misc.Unsafe}); it
 * is not recycled, and it makes a {@code java.nio.ByteBuffer} view only when NIO asks for one. The JVM needs
 * native access for the module that holds this class ({@code --enable-native-access=ALL-UNNAMED} on the class
 * path), as Hako does.
 */
public final class HakoByteBufAllocator extends AbstractByteBufAllocator implements ByteBufAllocatorMetricProvider {
    /** Heap buffers follow Netty's choice of class; direct ones never use {@code sun.misc.Unsafe}. */
    private static final boolean UNSAFE_HEAP_BUFFERS = PlatformDependent.hasUnsafe();

    private final HakoAllocator hako;
    private final LongAdder heapBytes = new LongAdder();
    private final HakoByteBufAllocatorMetric metric;

    /** An allocator over {@code hako} that prefers direct buffers for {@code buffer()}. */
    public HakoByteBufAllocator(HakoAllocator hako) {
        this(hako, true);
    }

    /**
     * @param hako         where direct buffers come from; the caller keeps it open while any buffer is alive
     * @param preferDirect whether {@code buffer()} and {@code compositeBuffer()} give direct buffers
     */
    public HakoByteBufAllocator(HakoAllocator hako, boolean preferDirect) {
        super(preferDirect);
        this.hako = Objects.requireNonNull(hako, "hako");
        this.metric = new HakoByteBufAllocatorMetric(hako, heapBytes);
    }

    private static final class Global {
        static final HakoByteBufAllocator INSTANCE = new HakoByteBufAllocator(Hako.global(), true);
    }

    /** The allocator over Hako's process-wide instance ({@link Hako#global()}), preferring direct buffers. */
    public static HakoByteBufAllocator global() {
        return Global.INSTANCE;
    }

    /** The Hako allocator the direct buffers come from. */
    public HakoAllocator hako() {
        return hako;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(newHakoDirectBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(newCountedHeapBuffer(initialCapacity, maxCapacity));
    }

    /** A direct buffer without the leak detector's wrapper (the buffer tests look at the class itself). */
    ByteBuf newHakoDirectBuffer(int initialCapacity, int maxCapacity) {
        return new HakoDirectByteBuf(this, initialCapacity, maxCapacity);
    }

    ByteBuf newCountedHeapBuffer(int initialCapacity, int maxCapacity) {
        return UNSAFE_HEAP_BUFFERS ? new CountedUnsafeHeapByteBuf(this, initialCapacity, maxCapacity)
                : new CountedHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    /** Direct buffers are pooled (by Hako), so {@code ioBuffer()} gives direct buffers. */
    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    @Override
    public HakoByteBufAllocatorMetric metric() {
        return metric;
    }

    /**
     * A block of {@code size} bytes ({@code size} may be 0: it then takes a 1-byte block, so that every buffer
     * owns exactly one block).
     */
    long allocateBlock(int size) {
        return hako.malloc(Math.max(1, size));
    }

    /**
     * Moves a block to one of {@code size} bytes (0 taking 1, as above), keeping the contents up to the smaller
     * size; the old block is freed on the calling thread.
     */
    long reallocateBlock(long address, int size) {
        return hako.realloc(address, Math.max(1, size));
    }

    /** Gives a block back, on the calling thread (a remote free when that is not the thread that allocated it). */
    void freeBlock(long address) {
        hako.free(address);
    }

    void countHeap(long bytes) {
        heapBytes.add(bytes);
    }

    @Override
    public String toString() {
        return super.toString() + " over " + hako.describe();
    }
}
