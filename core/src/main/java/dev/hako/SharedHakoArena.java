package dev.hako;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link HakoArena} any thread may use and close.
 *
 * <p>Blocks are recorded in a few {@link BlockList.Locked} stripes picked by thread id, each with its own lock, so
 * threads allocating at the same time rarely meet on a lock. Close and allocation agree through {@link #state}
 * read under the stripe's lock: close sets {@code CLOSED} before it drains any stripe, so an allocation either
 * records its block before the drain (and close frees it) or sees {@code CLOSED} under the lock, frees its own
 * block and throws.
 */
final class SharedHakoArena extends HakoArena {
    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SharedHakoArena.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A power of two, about two per CPU: enough that threads rarely share one, few enough to create eagerly. */
    private static final int STRIPES =
            Math.min(64, Integer.highestOneBit(2 * Runtime.getRuntime().availableProcessors() - 1) << 1);

    private final BlockList.Locked[] stripes = new BlockList.Locked[STRIPES];
    private volatile int state = OPEN;

    SharedHakoArena(HakoAllocator allocator) {
        super(allocator, Arena.ofShared());
        for (int i = 0; i < STRIPES; i++) stripes[i] = new BlockList.Locked();
    }

    @Override
    MemorySegment allocate(long byteSize, long byteAlignment, boolean zeroed) {
        checkSizeAndAlignment(byteSize, byteAlignment);
        if (state != OPEN) throw alreadyClosed();
        Heap heap = allocator.heap();
        long address = mallocBlock(heap, byteSize, byteAlignment, zeroed);
        BlockList.Locked stripe = stripes[(int) Thread.currentThread().threadId() & (STRIPES - 1)];
        stripe.lock();
        boolean open = state == OPEN;
        if (open) stripe.add(address);
        stripe.unlock();
        if (open) return window.asSlice(address, byteSize);
        heap.free(address); // a close began after the first check: the block never became the arena's
        throw alreadyClosed();
    }

    @Override
    public void close() {
        if (!STATE.compareAndSet(this, OPEN, CLOSED)) throw alreadyClosed();
        try {
            scopeOwner.close(); // first: after its handshake no thread can reach a block through a segment
        } catch (RuntimeException e) {
            state = OPEN; // the scope is still alive (kept by an ongoing operation): the arena stays usable
            throw e;
        }
        Heap heap = allocator.heap();
        for (BlockList.Locked stripe : stripes) {
            stripe.lock();
            try {
                stripe.freeAll(heap);
            } finally {
                stripe.unlock();
            }
        }
    }
}
