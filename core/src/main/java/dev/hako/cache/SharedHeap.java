package dev.hako.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A shared heap: the same cache, used by many threads under a test-and-set lock.
 *
 * <p>Virtual threads (potentially millions, each short-lived) and platform threads beyond the allocator's owner
 * slots use one of a fixed set of shared heaps, picked by thread id. Memory stays bounded by the number of
 * shared heaps, and every block is still owned by exactly one owner id. The shared heaps are stripes of one another
 * ({@link #stripe}): a call whose heap is busy runs on a free one. When every heap is busy the caller waits for its
 * own: the critical sections are short and rarely block, so a waiter spins briefly, yields a few times, then parks in
 * short sleeps (which frees a virtual thread's carrier for a holder that was unmounted inside the critical
 * section).
 */
public class SharedHeap extends ThreadCache {
    private static final VarHandle LOCK;
    /** A waiter's sleep once spinning and yielding have not got the lock. */
    private static final long PARK_NANOS = 20_000;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(SharedHeap.class, "lock", int.class)
                    .withInvokeExactBehavior();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through LOCK
    private volatile int lock;
    /** Every shared heap of the allocator, this one at {@code stripe}; set before the heaps are published. */
    private SharedHeap[] stripes;
    private int stripe;

    public SharedHeap(CacheServices services, int owner, CacheStore store) {
        super(services, owner, store, null);
    }

    /**
     * Makes the heaps stripes of one another: a call whose own heap is busy runs on the first free one instead
     * (jemalloc spreads threads over arenas the same way), so that two threads meet on a lock only when every
     * heap is busy. The caller publishes the heaps after this (a volatile write).
     */
    public static void stripe(SharedHeap[] heaps) {
        for (int i = 0; i < heaps.length; i++) {
            heaps[i].stripes = heaps;
            heaps[i].stripe = i;
        }
    }

    private boolean tryAcquire() {
        return lock == 0 && (int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0;
    }

    private void acquire() {
        if ((int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0) return;
        for (int spins = 0; ; spins++) {
            if (lock == 0 && (int) LOCK.compareAndExchangeAcquire(this, 0, 1) == 0) return;
            if (spins < 64) Thread.onSpinWait();
            else if (spins < 96) Thread.yield();
            // Then park: a virtual thread can be unmounted while it holds the lock (it blocks on a monitor while
            // committing a segment), and waiters that only yield can keep every carrier busy so that it never runs
            // again. Parking frees the carrier.
            else LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** Locks this heap if it is free, else the first free stripe after it, else waits for this one. */
    private SharedHeap lockSome() {
        if (tryAcquire()) return this;
        SharedHeap[] all = stripes;
        if (all != null) {
            for (int i = 1; i < all.length; i++) {
                SharedHeap h = all[(stripe + i) % all.length];
                if (h.tryAcquire()) return h;
            }
        }
        acquire();
        return this;
    }

    private void release() {
        LOCK.setRelease(this, 0);
    }

    // Each call runs the cache's code on whichever heap it locked (private helpers: super.x() on that instance).

    @Override
    public long malloc(long size) {
        SharedHeap h = lockSome();
        try {
            return h.superMalloc(size);
        } finally {
            h.release();
        }
    }

    private long superMalloc(long size) {
        return super.malloc(size);
    }

    @Override
    public void free(long address) {
        SharedHeap h = lockSome();
        try {
            h.superFree(address);
        } finally {
            h.release();
        }
    }

    private void superFree(long address) {
        super.free(address);
    }

    @Override
    public long calloc(long count, long size) {
        SharedHeap h = lockSome();
        try {
            return h.superCalloc(count, size);
        } finally {
            h.release();
        }
    }

    private long superCalloc(long count, long size) {
        return super.calloc(count, size);
    }

    @Override
    public long realloc(long address, long newSize) {
        SharedHeap h = lockSome();
        try {
            return h.superRealloc(address, newSize);
        } finally {
            h.release();
        }
    }

    private long superRealloc(long address, long newSize) {
        return super.realloc(address, newSize);
    }

    @Override
    public long usableSize(long address) {
        SharedHeap h = lockSome();
        try {
            return h.superUsableSize(address);
        } finally {
            h.release();
        }
    }

    private long superUsableSize(long address) {
        return super.usableSize(address);
    }

    @Override
    public long alignedAlloc(long alignment, long size) {
        SharedHeap h = lockSome();
        try {
            return h.superAlignedAlloc(alignment, size);
        } finally {
            h.release();
        }
    }

    private long superAlignedAlloc(long alignment, long size) {
        return super.alignedAlloc(alignment, size);
    }

    /** Runs {@code action} holding the lock (flushes and audits). */
    public void locked(Runnable action) {
        acquire();
        try {
            action.run();
        } finally {
            release();
        }
    }

    @Override
    public boolean isShared() {
        return true;
    }

    /** Shared heaps live as long as the allocator. */
    @Override
    public void close() {}
}
