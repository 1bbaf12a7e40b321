package dev.hako.netty;

import io.netty.buffer.UnpooledHeapByteBuf;

/** Netty's unpooled heap buffer, its arrays counted for {@link HakoByteBufAllocator#metric()}. */
final class CountedHeapByteBuf extends UnpooledHeapByteBuf {
    CountedHeapByteBuf(HakoByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        super(alloc, initialCapacity, maxCapacity);
    }

    @Override
    protected byte[] allocateArray(int initialCapacity) {
        byte[] array = super.allocateArray(initialCapacity);
        ((HakoByteBufAllocator) alloc()).countHeap(array.length);
        return array;
    }

    @Override
    protected void freeArray(byte[] array) {
        int length = array.length;
        super.freeArray(array);
        ((HakoByteBufAllocator) alloc()).countHeap(-length);
    }
}
