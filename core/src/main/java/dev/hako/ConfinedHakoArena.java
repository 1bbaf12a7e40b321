package dev.hako;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@link HakoArena} confined to the thread that created it. Its state is plain fields: only the owner thread
 * reads or writes them, which every entry point checks first.
 */
final class ConfinedHakoArena extends HakoArena {
    private final Thread owner;
    private final BlockList blocks = new BlockList();
    private boolean closed;

    ConfinedHakoArena(HakoAllocator allocator) {
        super(allocator, Arena.ofConfined());
        this.owner = Thread.currentThread();
    }

    @Override
    MemorySegment allocate(long byteSize, long byteAlignment, boolean zeroed) {
        checkSizeAndAlignment(byteSize, byteAlignment);
        checkOwnerAndOpen();
        // The heap is looked up per call (one array load and compare) rather than held, so that a heap handle
        // the program closes in between does not break the arena.
        long address = mallocBlock(allocator.heap(), byteSize, byteAlignment, zeroed);
        blocks.add(address);
        return window.asSlice(address, byteSize);
    }

    @Override
    public void close() {
        checkOwnerAndOpen();
        scopeOwner.close(); // first: no segment of this arena can reach a block once it is freed
        closed = true;
        blocks.freeAll(allocator.heap());
    }

    private void checkOwnerAndOpen() {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("this arena is confined to thread '" + owner.getName()
                    + "' but was used from '" + Thread.currentThread().getName() + "'");
        }
        if (closed) throw alreadyClosed();
    }
}
