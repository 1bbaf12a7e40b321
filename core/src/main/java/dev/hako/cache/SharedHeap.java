package dev.hako.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A shared heap: the same cache, used by many threads under a test-and-set lock.
 *
 * <p>Virtual threads (potentially millions, each short-lived) and platform threads beyond the allocator's owner
 * slots use one of a fixed set of shared heaps, picked by thread id. Memory stays bounded by the number of
 * shared heaps, and every block is still owned by exactly one owner id. The critical sections are short and
 * rarely block, so a waiter spins briefly, yields a few times, then parks in short sleeps (which frees a virtual
 * thread's carrier for a holder that was unmounted inside the critical section).
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

    public SharedHeap(CacheServices services, int owner, CacheStore store) {
        super(services, owner, store, null);
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

    private void release() {
        LOCK.setRelease(this, 0);
    }

    @Override
    public long malloc(long size) {
        acquire();
        try {
            return super.malloc(size);
        } finally {
            release();
        }
    }

    @Override
    public void free(long address) {
        acquire();
        try {
            super.free(address);
        } finally {
            release();
        }
    }

    @Override
    public long calloc(long count, long size) {
        acquire();
        try {
            return super.calloc(count, size);
        } finally {
            release();
        }
    }

    @Override
    public long realloc(long address, long newSize) {
        acquire();
        try {
            return super.realloc(address, newSize);
        } finally {
            release();
        }
    }

    @Override
    public long usableSize(long address) {
        acquire();
        try {
            return super.usableSize(address);
        } finally {
            release();
        }
    }

    @Override
    public long alignedAlloc(long alignment, long size) {
        acquire();
        try {
            return super.alignedAlloc(alignment, size);
        } finally {
            release();
        }
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
