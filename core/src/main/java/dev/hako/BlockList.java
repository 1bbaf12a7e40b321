package dev.hako;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The blocks an arena has handed out: a growable {@code long[]} of addresses, 8 bytes per block and no object
 * per block. Not thread-safe; a {@link SharedHakoArena} guards each of its lists with the list's lock
 * ({@link Locked}).
 *
 * <p>An emptied list gives its array to {@link Spares}, where the next list opened on the same thread is likely
 * to find it: an arena that allocates a hundred blocks would otherwise allocate, zero and copy four arrays on
 * the way to its size, which costs more than the hundred allocations' own bookkeeping.
 */
class BlockList {
    private static final long[] EMPTY = new long[0];
    private static final int FIRST_CAPACITY = 16;

    private long[] blocks = EMPTY;
    private int count;

    final void add(long address) {
        int n = count;
        long[] a = blocks;
        if (n == a.length) a = grow();
        a[n] = address;
        count = n + 1;
    }

    private long[] grow() {
        long[] a = blocks;
        if (a.length == 0) {
            a = Spares.take();
            if (a == null) a = new long[FIRST_CAPACITY];
        } else {
            // Doubling: one copy per block amortised. An int count caps a list at 2^31 - 1 blocks.
            a = Arrays.copyOf(a, Math.multiplyExact(a.length, 2));
        }
        blocks = a;
        return a;
    }

    final int size() {
        return count;
    }

    /** Frees every block through {@code heap}, empties the list and gives its array to the spares. */
    final void freeAll(Heap heap) {
        long[] a = blocks;
        int n = count;
        blocks = EMPTY;
        count = 0;
        for (int i = 0; i < n; i++) heap.free(a[i]);
        Spares.give(a);
    }

    /**
     * A list with a spin lock of its own, padded to a cache line of its own so that the stripes of a shared
     * arena, allocated side by side, do not share a line between threads. Taking the lock is one CAS and
     * releasing it one ordered store: an uncontended monitor cost 3-4x more per allocation. The lock is held for
     * a few stores (or, by a closing thread, for the frees of the stripe's blocks); a waiter yields after a few
     * spins, since the holder may have been preempted.
     */
    static final class Locked extends BlockList {
        private static final VarHandle LOCK;

        static {
            try {
                LOCK = MethodHandles.lookup().findVarHandle(Locked.class, "lock", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private volatile int lock;
        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;

        void lock() {
            if (!LOCK.compareAndSet(this, 0, 1)) lockContended();
        }

        private void lockContended() {
            for (int spins = 0; !LOCK.compareAndSet(this, 0, 1); spins++) {
                if (spins < 64) Thread.onSpinWait();
                else Thread.yield();
            }
        }

        void unlock() {
            LOCK.setRelease(this, 0);
        }
    }

    /**
     * Arrays of emptied lists, one slot per thread-id residue. A slot is taken with an atomic exchange, so an
     * array goes to one list at most; two threads that share a slot only miss more often. Arrays above
     * {@link #MAX_LENGTH} are left to the GC, which bounds what the spares keep to {@code SLOTS * 8 KiB}.
     */
    static final class Spares {
        static final int MAX_LENGTH = 1024;
        private static final int SLOTS = 64;
        private static final AtomicReferenceArray<long[]> SLOT = new AtomicReferenceArray<>(SLOTS);

        private Spares() {}

        static long[] take() {
            return SLOT.getAndSet(slot(), null);
        }

        static void give(long[] a) {
            if (a.length != 0 && a.length <= MAX_LENGTH) SLOT.setRelease(slot(), a);
        }

        private static int slot() {
            return (int) Thread.currentThread().threadId() & (SLOTS - 1);
        }
    }
}
