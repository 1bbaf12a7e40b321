package dev.hako.large;

import dev.hako.memory.OsMemory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blocks larger than the largest size class: each is its own anonymous mapping, returned to the OS on free.
 *
 * <p>A map from block address to mapping keeps what the OS needs to unmap and answers "is this ours?" without
 * touching memory at a foreign address. Mapping and unmapping are system calls (microseconds), so the boxed
 * map entry per large block is noise; nothing here is on the small-block paths.
 */
public final class LargeBlocks {
    private record Mapping(long base, long length, long usable) {}

    private final ConcurrentHashMap<Long, Mapping> live = new ConcurrentHashMap<>();
    private final AtomicLong mappedBytes = new AtomicLong();

    /**
     * Maps a block of at least {@code size} bytes aligned to {@code alignment} (a power of two).
     *
     * @throws OutOfMemoryError if the kernel refuses
     */
    public long allocate(long size, long alignment) {
        long usable = roundUp(size, OsMemory.OS_PAGE);
        long extra = alignment > OsMemory.OS_PAGE ? alignment : 0;
        long length = usable + extra;
        if (length < 0) throw new OutOfMemoryError("Hako: large block of " + size + " bytes is too large to map");
        long base = OsMemory.mapReadWrite(length);
        if (base == 0) throw new OutOfMemoryError("Hako: the kernel refused to map " + length + " bytes");
        long block = extra == 0 ? base : roundUp(base, alignment);
        if (extra != 0) { // give back the unused head and tail of the over-sized mapping
            if (block > base) OsMemory.unmap(base, block - base);
            long tail = base + length - (block + usable);
            if (tail > 0) OsMemory.unmap(block + usable, tail);
        }
        live.put(block, new Mapping(block, usable, usable));
        mappedBytes.addAndGet(usable);
        return block;
    }

    /** Whether {@code address} is a live large block. */
    public boolean contains(long address) {
        return live.containsKey(address);
    }

    /** Usable bytes of a live large block, or -1 if {@code address} is not one. */
    public long usableSize(long address) {
        Mapping m = live.get(address);
        return m == null ? -1 : m.usable;
    }

    /** Unmaps a large block; returns false (and changes nothing) if {@code address} is not a live one. */
    public boolean free(long address) {
        Mapping m = live.remove(address);
        if (m == null) return false;
        OsMemory.unmap(m.base, m.length);
        mappedBytes.addAndGet(-m.length);
        return true;
    }

    public long mappedBytes() {
        return mappedBytes.get();
    }

    public int liveCount() {
        return live.size();
    }

    /** Unmaps everything (allocator close). */
    public void releaseAll() {
        for (Long a : live.keySet()) free(a);
    }

    static long roundUp(long v, long align) {
        return (v + align - 1) & -align;
    }
}
