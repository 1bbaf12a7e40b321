package dev.hako.netty;

import io.netty.util.internal.CleanableDirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A Hako block seen as a direct {@code ByteBuffer}, freed at most once: what a Hako buffer hands Netty when it
 * grows ({@code UnpooledDirectByteBuf.capacity(int)} installs it and cleans the block it replaces).
 */
final class HakoBlock implements CleanableDirectBuffer {
    private final HakoByteBufAllocator alloc;
    private final ByteBuffer buffer;
    private long address;

    HakoBlock(HakoByteBufAllocator alloc, int capacity) {
        this.alloc = alloc;
        this.address = alloc.allocateBlock(capacity);
        this.buffer = view(address, capacity);
    }

    /**
     * A big-endian {@code ByteBuffer} over {@code capacity} bytes at {@code address}. Its segment has the global
     * scope: no owner thread (Netty buffers move between threads), no cleaner and no direct-memory reservation,
     * since the block's life is the buffer's reference count.
     */
    static ByteBuffer view(long address, int capacity) {
        return MemorySegment.ofAddress(address).reinterpret(capacity).asByteBuffer();
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @throws IllegalStateException on a second call, instead of a double free */
    @Override
    public void clean() {
        long a = address;
        if (a == 0) throw new IllegalStateException("Hako block of a ByteBuf cleaned twice");
        address = 0;
        alloc.freeBlock(a);
    }

    @Override
    public boolean hasMemoryAddress() {
        return true;
    }

    /** The block's address, 0 once cleaned. */
    @Override
    public long memoryAddress() {
        return address;
    }
}
