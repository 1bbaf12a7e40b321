package dev.hako;

import java.lang.foreign.MemorySegment;

/**
 * A per-thread handle on a {@link HakoAllocator}: the fast way in, with no {@code ThreadLocal} lookup per call
 * (like a mimalloc heap).
 *
 * <p>Get one with {@link HakoAllocator#heap()} (or {@link Hako#heap()}) in the thread that will use it, keep it
 * in a local variable or field of that thread, and call it in hot loops. A handle obtained by a platform thread, or
 * by one of the first {@code hako.virtual} virtual threads alive at once, is <em>exclusive</em>: only that thread may
 * use it (checked mode, {@code -Dhako.checked=true}, verifies this). Other virtual threads, and platform threads
 * beyond the allocator's owner slots, get a <em>shared</em> handle that takes a short lock per call and may be used
 * from any thread (see {@link #isShared()}).
 *
 * <p>Blocks may be freed through any handle or the static API, from any thread: a block freed by a thread that
 * does not own its page goes back to its owner through the configured remote-free strategy.
 *
 * <p>{@link #close()} gives the handle's owner slot back (its cached blocks wait there for the next thread);
 * a thread that simply exits is detected and detached by a background reaper, so closing is optional.
 */
public interface Heap extends AutoCloseable {

    /**
     * Allocates {@code size} bytes, 16-byte aligned, uninitialised.
     *
     * @param size bytes, at least 1
     * @return the block's address
     * @throws IllegalArgumentException if {@code size <= 0} or larger than {@link HakoAllocator#MAX_ALLOCATION}
     * @throws OutOfMemoryError         if the reserved address space or the kernel runs out
     */
    long malloc(long size);

    /**
     * Frees a block from {@link #malloc} and friends, whichever thread allocated it. {@code free(0)} does nothing.
     *
     * @param address the block's address, or 0
     * @throws IllegalArgumentException if the address is not the start of a block Hako handed out (named in hex);
     *                                  in checked mode also on a double free
     */
    void free(long address);

    /**
     * Allocates {@code count * size} zeroed bytes.
     *
     * @param count elements, at least 1
     * @param size  bytes per element, at least 1
     * @return the block's address
     * @throws IllegalArgumentException if either argument is {@code <= 0} or the product overflows
     */
    long calloc(long count, long size);

    /**
     * Resizes a block, preserving its contents up to the smaller size; may move it. {@code realloc(0, n)} is
     * {@code malloc(n)}.
     *
     * @param address the block, or 0
     * @param newSize bytes, at least 1
     * @return the block's address, which may have moved
     * @throws IllegalArgumentException for {@code newSize <= 0} or an address Hako did not hand out; the old
     *                                  block is then untouched
     */
    long realloc(long address, long newSize);

    /**
     * The bytes usable at a block.
     *
     * @param address a block's address
     * @return at least what was asked for
     * @throws IllegalArgumentException if the address is not the start of a block Hako handed out
     */
    long usableSize(long address);

    /**
     * Allocates {@code size} bytes at an address that is a multiple of {@code alignment}.
     *
     * @param alignment a power of two, at most {@link HakoAllocator#MAX_ALIGNMENT}
     * @param size      bytes, at least 1
     * @return the block's address
     * @throws IllegalArgumentException if {@code alignment} is not a positive power of two or {@code size <= 0}
     */
    long alignedAlloc(long alignment, long size);

    /**
     * {@link #malloc} as a {@link MemorySegment} of exactly {@code size} bytes (global scope: raw memory that stays
     * accessible after {@link #free(MemorySegment)}, as a C pointer does; free it with that).
     *
     * @param size bytes, at least 1
     * @return the segment
     */
    default MemorySegment allocate(long size) {
        return MemorySegment.ofAddress(malloc(size)).reinterpret(size);
    }

    /**
     * {@link #alignedAlloc} as a {@link MemorySegment}.
     *
     * @param size      bytes, at least 1
     * @param alignment a power of two
     * @return the segment
     */
    default MemorySegment allocate(long size, long alignment) {
        return MemorySegment.ofAddress(alignedAlloc(alignment, size)).reinterpret(size);
    }

    /**
     * Frees the block a segment from {@link #allocate} views. The segment itself stays usable as far as the JDK
     * knows (it has the global scope): touching it afterwards is a use after free. {@code HakoArena} gives segments
     * that become inaccessible when their arena closes.
     *
     * @param segment a segment from {@link #allocate}
     * @throws IllegalArgumentException if the segment is not a native one (a heap segment has no address Hako could
     *                                  have handed out)
     */
    default void free(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("not a native segment (a heap segment was never allocated by Hako): "
                    + segment);
        }
        free(segment.address());
    }

    /**
     * The owner id whose pages this handle's blocks come from.
     *
     * @return the id, 1-based; 0 once the handle is closed
     */
    int ownerId();

    /**
     * Whether this handle is shared (locked per call) rather than exclusive to one thread.
     *
     * @return true for a handle of a virtual thread past the {@code hako.virtual} cap, or of a platform thread
     *         beyond the owner ids
     */
    boolean isShared();

    /** Detaches an exclusive handle from its owner slot; further use throws {@link IllegalStateException}.
     * Only the handle's own thread may close it ({@link IllegalStateException} otherwise). No-op for shared
     * handles. */
    @Override
    void close();
}
