package dev.hako.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;

/**
 * A direct buffer over a Hako block, for JVMs where Netty does not use {@code sun.misc.Unsafe} (Java 25's
 * default): every access goes through the block's {@code ByteBuffer} view, as in Netty's own unpooled buffers.
 *
 * <p>Who frees what. Netty's {@code UnpooledDirectByteBuf} frees the blocks it allocated itself through
 * {@link #allocateDirectBuffer(int)} (when the buffer grows: the old block on replacement, the last one on
 * deallocation), but never the buffer it was constructed with, which only the wrapping constructor lets a
 * subclass supply. So this class frees that first block itself: after the first growth, or on deallocation if
 * the buffer never grew. {@link HakoUnsafeDirectByteBuf} does the same; keep the two in step.
 */
final class HakoDirectByteBuf extends UnpooledDirectByteBuf {
    private final HakoByteBufAllocator hako;
    /** The block the buffer was built on, until freed (then 0). */
    private long firstBlock;
    /** The block in use (0 once deallocated). */
    private long block;
    /** The block {@link #allocateDirectBuffer} made for the growth in progress. */
    private HakoBlock growing;

    HakoDirectByteBuf(HakoByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        HakoUnsafeDirectByteBuf.checkCapacities(initialCapacity, maxCapacity);
        long address = alloc.allocateBlock(initialCapacity);
        this.hako = alloc;
        this.firstBlock = address;
        this.block = address;
        super(alloc, HakoBlock.view(address, initialCapacity), maxCapacity);
        setIndex(0, 0); // the wrapping constructor marks the given buffer's bytes as written
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        HakoBlock b = new HakoBlock(hako, capacity);
        growing = b;
        return b;
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        int before = capacity();
        super.capacity(newCapacity); // a new capacity means a new block, the old contents copied into it
        if (capacity() != before) {
            block = growing.memoryAddress();
            growing = null;
            freeFirstBlock();
        }
        return this;
    }

    @Override
    protected void deallocate() {
        super.deallocate(); // frees the block of the last growth, if any
        block = 0;
        freeFirstBlock();
    }

    private void freeFirstBlock() {
        long a = firstBlock;
        if (a != 0) {
            firstBlock = 0;
            hako.freeBlock(a);
        }
    }

    @Override
    public boolean hasMemoryAddress() {
        return true;
    }

    @Override
    public long memoryAddress() {
        ensureAccessible();
        return block;
    }
}
