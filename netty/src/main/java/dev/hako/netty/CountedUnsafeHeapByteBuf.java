package dev.hako.netty;

import io.netty.buffer.UnpooledUnsafeHeapByteBuf;

/** {@link CountedHeapByteBuf} for JVMs where Netty uses {@code sun.misc.Unsafe}. */
final class CountedUnsafeHeapByteBuf extends UnpooledUnsafeHeapByteBuf {
    CountedUnsafeHeapByteBuf(HakoByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
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
