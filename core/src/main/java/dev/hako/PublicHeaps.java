package dev.hako;

import dev.hako.cache.CacheServices;
import dev.hako.cache.CacheStore;
import dev.hako.cache.HeapFactory;
import dev.hako.cache.SharedHeap;
import dev.hako.cache.ThreadCache;

/**
 * The heaps the API hands out: the cache room's heaps, made {@link Heap}s by subclassing, so that
 * {@code heap.malloc} is one monomorphic call into the fast path (every method of {@link Heap} is already there,
 * with the same signature and contract).
 */
final class PublicHeaps implements HeapFactory {
    static final PublicHeaps INSTANCE = new PublicHeaps();

    private PublicHeaps() {}

    @Override
    public ThreadCache exclusive(CacheServices services, int owner, CacheStore store, Thread thread) {
        return new Exclusive(services, owner, store, thread);
    }

    @Override
    public SharedHeap shared(CacheServices services, int owner, CacheStore store) {
        return new Shared(services, owner, store);
    }

    @Override
    public ThreadCache[] threadTable(int size) {
        return new Exclusive[size];
    }

    /**
     * The calling thread's heap if the owner room's thread-id table holds it (see
     * {@code OwnerRegistry.threadTable()}), else {@code null}: three loads (the thread's id, the entry, its thread)
     * and a compare. {@code Exclusive} is final, so the caller's {@code heap.malloc} needs no type check either.
     */
    static Exclusive ofCaller(Exclusive[] byThreadId) {
        Thread t = Thread.currentThread();
        Exclusive h = byThreadId[(int) t.threadId() & (byThreadId.length - 1)];
        return h != null && h.thread() == t ? h : null;
    }

    /** The heap of one platform thread. */
    static final class Exclusive extends ThreadCache implements Heap {
        Exclusive(CacheServices services, int owner, CacheStore store, Thread thread) {
            super(services, owner, store, thread);
        }
    }

    /** A heap that many threads share under its lock. */
    static final class Shared extends SharedHeap implements Heap {
        Shared(CacheServices services, int owner, CacheStore store) {
            super(services, owner, store);
        }
    }
}
