package dev.hako.lab.arena;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The arena workload's floor, not an allocator: a JDK confined arena's scope with segments bump-sliced from one
 * 1 MiB block that is never freed, zeroed or recorded. It pays what every arena here pays (a JDK arena opened and
 * closed, a scope-bound segment object per allocation, the workload's own stores) and nothing else, so an
 * arena's cost over it is its memory management (as the {@code noop} peer is for the seed's benchmark).
 * Confined to the thread that opens it, like its scope; the block is shared by every floor arena of the JVM,
 * which is harmless as long as one thread runs the workload.
 */
final class FloorArena implements Arena {
    private static final long BLOCK = 1 << 20;
    private static final MemorySegment MEMORY = Arena.global().allocate(BLOCK, 4096);
    private static long next;

    private final Arena scope = Arena.ofConfined();
    private final MemorySegment window = MemorySegment.NULL.reinterpret(Long.MAX_VALUE, scope, null);

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        long offset = (next + byteAlignment - 1) & -byteAlignment;
        if (offset + byteSize > BLOCK) offset = 0;
        next = offset + byteSize;
        return window.asSlice(MEMORY.address() + offset, byteSize);
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    @Override
    public void close() {
        scope.close();
    }
}
