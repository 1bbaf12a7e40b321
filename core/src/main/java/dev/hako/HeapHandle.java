package dev.hako;

import dev.hako.cache.ThreadCache;

/**
 * The public {@link Heap} on a thread's heap: a thin, final wrapper, made once per heap (the heap keeps it), so
 * that the cache room does not depend on the API room. The JIT inlines every call through it.
 */
final class HeapHandle implements Heap {
    private final ThreadCache heap;

    private HeapHandle(ThreadCache heap) {
        this.heap = heap;
    }

    /** The handle of {@code heap}, made on first use. */
    static Heap of(ThreadCache heap) {
        Object h = heap.handle();
        if (h == null) {
            h = new HeapHandle(heap); // two racing threads of a shared heap may each make one: both are right
            heap.handle(h);
        }
        return (Heap) h;
    }

    @Override
    public long malloc(long size) {
        return heap.malloc(size);
    }

    @Override
    public void free(long address) {
        heap.free(address);
    }

    @Override
    public long calloc(long count, long size) {
        return heap.calloc(count, size);
    }

    @Override
    public long realloc(long address, long newSize) {
        return heap.realloc(address, newSize);
    }

    @Override
    public long usableSize(long address) {
        return heap.usableSize(address);
    }

    @Override
    public long alignedAlloc(long alignment, long size) {
        return heap.alignedAlloc(alignment, size);
    }

    @Override
    public int ownerId() {
        return heap.ownerId();
    }

    @Override
    public boolean isShared() {
        return heap.isShared();
    }

    @Override
    public void close() {
        heap.close();
    }
}
