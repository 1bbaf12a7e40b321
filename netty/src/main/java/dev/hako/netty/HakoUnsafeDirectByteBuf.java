package dev.hako.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;

/**
 * A direct buffer over a Hako block for JVMs where Netty uses {@code sun.misc.Unsafe}
 * ({@code --sun-misc-unsafe-memory-access=allow} or {@code -Dio.netty.noUnsafe=false} on Java 25): accesses go
 * straight to the address. Block ownership is {@link HakoDirectByteBuf}'s (see there); keep the two in step.
 */
final class HakoUnsafeDirectByteBuf extends UnpooledUnsafeDirectByteBuf {
    private final HakoByteBufAllocator hako;
    /** The block the buffer was built on, until freed (then 0). */
    private long firstBlock;

    HakoUnsafeDirectByteBuf(HakoByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        checkCapacities(initialCapacity, maxCapacity);
        long address = alloc.allocateBlock(initialCapacity);
        this.hako = alloc;
        this.firstBlock = address;
        super(alloc, false, HakoBlock.view(address, initialCapacity), maxCapacity); // the view itself, no slice
        setIndex(0, 0); // the wrapping constructor marks the given buffer's bytes as written
    }

    /** The checks Netty's constructor makes, made before a block is taken (so a bad call leaks nothing). */
    static void checkCapacities(int initialCapacity, int maxCapacity) {
        if (initialCapacity < 0) throw new IllegalArgumentException("initialCapacity: " + initialCapacity
                + " (expected: >= 0)");
        if (initialCapacity > maxCapacity) {
            throw new IllegalArgumentException("initialCapacity(" + initialCapacity + ") > maxCapacity(" + maxCapacity
                    + ")");
        }
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        return new HakoBlock(hako, capacity);
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        int before = capacity();
        super.capacity(newCapacity);
        if (capacity() != before) freeFirstBlock();
        return this;
    }

    @Override
    protected void deallocate() {
        super.deallocate(); // frees the block of the last growth, if any
        freeFirstBlock();
    }

    private void freeFirstBlock() {
        long a = firstBlock;
        if (a != 0) {
            firstBlock = 0;
            hako.freeBlock(a);
        }
    }
}
