package dev.hako;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A {@link java.lang.foreign.Arena} whose memory comes from Hako: {@code try (Arena arena = HakoArena.ofConfined())
 * { MemorySegment s = arena.allocate(64); ... }}.
 *
 * <p>It keeps the contract of the JDK's {@link Arena#ofConfined()} and {@link Arena#ofShared()}:
 * <ul>
 *   <li>every segment it returns is bound to its {@link #scope()} ({@code segment.scope() == arena.scope()}); once
 *       the arena is closed, the scope is not alive and any access to such a segment throws
 *       {@link IllegalStateException} instead of reaching memory that was freed;</li>
 *   <li>{@link #allocate(long, long)} returns zeroed memory at an address that is a multiple of the alignment,
 *       segments never overlap, and a zero-byte request gets a unique non-zero address;</li>
 *   <li>a negative size or an alignment that is not a positive power of two throws
 *       {@link IllegalArgumentException}; allocating from a closed arena throws {@link IllegalStateException};</li>
 *   <li>a confined arena may be used and closed only by the thread that created it (others get
 *       {@link WrongThreadException}, as do accesses to its segments from other threads); a shared arena may be used
 *       and closed by any thread;</li>
 *   <li>closing is not idempotent: a second {@link #close()} throws {@link IllegalStateException}.</li>
 * </ul>
 * Hako's limits apply on top: an alignment above {@link HakoAllocator#MAX_ALIGNMENT} or a size above
 * {@link HakoAllocator#MAX_ALLOCATION} throws {@link IllegalArgumentException}, where the JDK's arenas would try
 * {@code malloc} and throw {@link OutOfMemoryError}.
 *
 * <p>{@link #allocateUninitialized(long, long)} skips the zeroing, for callers that overwrite the whole segment
 * anyway; the {@code allocateFrom} methods use it, since they write every byte they hand out.
 *
 * <p>How it works: the arena borrows the scope of a private JDK arena of the same kind and binds Hako blocks to it
 * as slices of one segment over the address space, so an allocation creates the returned segment and nothing
 * else (the JDK's arenas also register one cleanup object per allocation). The arena records each block's
 * address in a {@code long[]}. {@link #close()} closes the private arena first, which makes every segment
 * inaccessible (for a shared arena through the JDK's handshake with all threads), and only then frees the blocks
 * through the closing thread's {@link Heap}; blocks that other threads allocated into a shared arena go back
 * to their owners through Hako's remote-free path.
 *
 * <p>Close every arena before the {@link HakoAllocator} it draws from.
 */
public abstract sealed class HakoArena implements Arena permits ConfinedHakoArena, SharedHakoArena {
    /** Hako's {@code malloc} aligns every block to this; larger alignments take {@code alignedAlloc}. */
    private static final long MALLOC_ALIGNMENT = 16;
    /** All addresses in the global scope: zeroing a block the arena has not recorded yet needs no liveness check. */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /**
     * Zeroing copies from this zeroed block up to its size: for 256 bytes a copy cost about 3.5 ns where
     * {@link MemorySegment#fill} cost about 7 (fill calls the JDK's set-memory stub from 32 bytes up).
     */
    private static final long ZEROS_SIZE = 4096;
    private static final MemorySegment ZEROS = Arena.global().allocate(ZEROS_SIZE, 64);

    final HakoAllocator allocator;
    /** The private JDK arena whose scope the segments are bound to; closed first by {@link #close()}. */
    final Arena scopeOwner;
    /** Addresses {@code [0, Long.MAX_VALUE)} bound to {@link #scopeOwner}'s scope: a block is a slice of it. */
    final MemorySegment window;

    HakoArena(HakoAllocator allocator, Arena scopeOwner) {
        this.allocator = allocator;
        this.scopeOwner = scopeOwner;
        this.window = MemorySegment.NULL.reinterpret(Long.MAX_VALUE, scopeOwner, null);
    }

    /**
     * {@return a new confined arena on the process-wide allocator ({@link Hako#global()})} Only the calling thread
     * may allocate from it, access its segments and close it.
     */
    public static HakoArena ofConfined() {
        return ofConfined(Hako.global());
    }

    /**
     * {@return a new confined arena on {@code allocator}} Only the calling thread may allocate from it, access its
     * segments and close it.
     *
     * @param allocator where the arena's blocks come from; it must outlive the arena
     */
    public static HakoArena ofConfined(HakoAllocator allocator) {
        return new ConfinedHakoArena(Objects.requireNonNull(allocator, "allocator"));
    }

    /**
     * {@return a new shared arena on the process-wide allocator ({@link Hako#global()})} Any thread may allocate
     * from it, access its segments and close it. Closing costs what closing {@link Arena#ofShared()} costs (a
     * handshake with every Java thread), plus one free per block.
     */
    public static HakoArena ofShared() {
        return ofShared(Hako.global());
    }

    /**
     * {@return a new shared arena on {@code allocator}} Any thread may allocate from it, access its segments and
     * close it.
     *
     * @param allocator where the arena's blocks come from; it must outlive the arena
     */
    public static HakoArena ofShared(HakoAllocator allocator) {
        return new SharedHakoArena(Objects.requireNonNull(allocator, "allocator"));
    }

    /** {@return the allocator this arena's blocks come from} */
    public final HakoAllocator allocator() {
        return allocator;
    }

    /**
     * Allocates {@code byteSize} zeroed bytes at an address that is a multiple of {@code byteAlignment}, bound to
     * this arena's scope.
     *
     * @param byteSize      the segment's size in bytes; 0 gives a zero-length segment at a unique address
     * @param byteAlignment a power of two the segment's address is a multiple of
     * @return a new zeroed segment of exactly {@code byteSize} bytes
     * @throws IllegalArgumentException if {@code byteSize < 0}, {@code byteAlignment} is not a positive power of
     *                                  two, or either exceeds Hako's limits (see the class comment)
     * @throws IllegalStateException    if this arena is closed
     * @throws WrongThreadException     if this arena is confined and the caller is not its owner thread
     */
    @Override
    public final MemorySegment allocate(long byteSize, long byteAlignment) {
        return allocate(byteSize, byteAlignment, true);
    }

    /**
     * Like {@link #allocate(long, long)} but the memory is <em>not</em> zeroed: it holds whatever the block's
     * previous user left there. For segments the caller overwrites in full before reading.
     *
     * @param byteSize      the segment's size in bytes; 0 gives a zero-length segment at a unique address
     * @param byteAlignment a power of two the segment's address is a multiple of
     * @return a new segment of exactly {@code byteSize} bytes, not zeroed
     * @throws IllegalArgumentException if {@code byteSize < 0}, {@code byteAlignment} is not a positive power of
     *                                  two, or either exceeds Hako's limits
     * @throws IllegalStateException    if this arena is closed
     * @throws WrongThreadException     if this arena is confined and the caller is not its owner thread
     */
    public final MemorySegment allocateUninitialized(long byteSize, long byteAlignment) {
        return allocate(byteSize, byteAlignment, false);
    }

    /**
     * {@link #allocateUninitialized(long, long)} with alignment 1 (Hako's blocks are 16-byte aligned all the same).
     *
     * @param byteSize the segment's size in bytes
     * @return a new segment of exactly {@code byteSize} bytes, not zeroed
     */
    public final MemorySegment allocateUninitialized(long byteSize) {
        return allocateUninitialized(byteSize, 1);
    }

    /** {@return the scope every segment of this arena is bound to; not alive once the arena is closed} */
    @Override
    public final MemorySegment.Scope scope() {
        return scopeOwner.scope();
    }

    /**
     * Closes the arena: its scope stops being alive, so its segments become inaccessible, then its blocks are
     * freed. For a shared arena this may run on any thread; blocks that other threads allocated go back to their
     * owners through Hako's remote-free path.
     *
     * @throws IllegalStateException if the arena is already closed, or its scope is kept alive by an ongoing
     *                               operation (a downcall holding it, say); the arena then stays open
     * @throws WrongThreadException  if this arena is confined and the caller is not its owner thread
     */
    @Override
    public abstract void close();

    /** The one allocation path of each kind: checks, a block ({@link #mallocBlock}), its record, its segment. */
    abstract MemorySegment allocate(long byteSize, long byteAlignment, boolean zeroed);

    // ---------------------------------------------------------------- shared by both kinds

    /** Rejects what the JDK's arenas reject, before any state check, as they do. */
    static void checkSizeAndAlignment(long byteSize, long byteAlignment) {
        if (byteSize < 0) throw new IllegalArgumentException("allocation size is negative: " + byteSize);
        if (byteAlignment <= 0 || (byteAlignment & (byteAlignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment must be a positive power of two, was " + byteAlignment);
        }
    }

    /**
     * A block for a checked request, zeroed if asked, before the arena records it (so no close can free it while
     * it is being zeroed). A zero-byte request takes a 1-byte block, so its address is unique.
     */
    static long mallocBlock(Heap heap, long byteSize, long byteAlignment, boolean zeroed) {
        long size = Math.max(1, byteSize);
        if (byteAlignment <= MALLOC_ALIGNMENT) {
            if (!zeroed) return heap.malloc(size);
            // calloc fills, and knows when a large block is a fresh mapping that needs no zeroing at all.
            if (size > ZEROS_SIZE) return heap.calloc(1, size);
            long address = heap.malloc(size);
            MemorySegment.copy(ZEROS, 0, EVERYTHING, address, size);
            return address;
        }
        long address = heap.alignedAlloc(byteAlignment, size);
        if (zeroed) {
            if (size <= ZEROS_SIZE) MemorySegment.copy(ZEROS, 0, EVERYTHING, address, size);
            else EVERYTHING.asSlice(address, size).fill((byte) 0);
        }
        return address;
    }

    static IllegalStateException alreadyClosed() {
        return new IllegalStateException("Already closed");
    }

    // ---------------------------------------------------------------- allocateFrom without the zeroing pass
    // Each of these writes every byte of what it allocates, so it skips allocate's zeroing (the JDK's own arenas
    // do the same); the argument checks of the interface's defaults are kept.

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfByte layout, byte value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfChar layout, char value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfShort layout, short value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfInt layout, int value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfFloat layout, float value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfLong layout, long value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the value fills the segment. */
    @Override
    public MemorySegment allocateFrom(ValueLayout.OfDouble layout, double value) {
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /** {@inheritDoc} Skips the zeroing pass: the address fills the segment. */
    @Override
    public MemorySegment allocateFrom(AddressLayout layout, MemorySegment value) {
        Objects.requireNonNull(value);
        MemorySegment s = allocateUninitialized(layout);
        s.set(layout, 0, value);
        return s;
    }

    /**
     * {@inheritDoc} Skips the zeroing pass: the copy fills the segment. The array variants of
     * {@code allocateFrom} come here too.
     */
    @Override
    public MemorySegment allocateFrom(ValueLayout elementLayout, MemorySegment source,
                                      ValueLayout sourceElementLayout, long sourceOffset, long elementCount) {
        Objects.requireNonNull(source);
        Objects.requireNonNull(sourceElementLayout);
        // The sequence layout checks the count and the size for overflow, as the interface's default does.
        MemoryLayout array = MemoryLayout.sequenceLayout(elementCount, Objects.requireNonNull(elementLayout));
        MemorySegment dest = allocateUninitialized(array.byteSize(), array.byteAlignment());
        MemorySegment.copy(source, sourceElementLayout, sourceOffset, dest, elementLayout, 0, elementCount);
        return dest;
    }

    private MemorySegment allocateUninitialized(MemoryLayout layout) {
        return allocateUninitialized(Objects.requireNonNull(layout).byteSize(), layout.byteAlignment());
    }
}
