package dev.hako.large;

import dev.hako.check.Checked;
import dev.hako.events.HakoEvents;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blocks larger than the largest size class.
 *
 * <ul>
 *   <li>Up to {@link #ARENA_MAX} bytes they are runs of whole pages cut from the arena's {@link PagePool}, like
 *       mimalloc's singleton pages and jemalloc's large extents: freeing one gives its pages back to the pool, where
 *       they coalesce, serve small pages or other large blocks, and are purged after the decay delay. A program that
 *       allocates and frees 256 KiB buffers in a loop reuses the same pages with no system call, and since a purge
 *       is an {@code madvise} (which splits no mapping), a fragmented layout never runs into
 *       {@code vm.max_map_count}. The first page is tagged {@link PageMap#LARGE_HEAD_CODE}, the others
 *       {@link PageMap#LARGE_BODY_CODE}; the free path reads the tag, so an interior or stale address is refused.</li>
 *   <li>Larger blocks (or any when the arena is full) get a mapping of their own, unmapped on free, found through a
 *       map from address to mapping (so a foreign address is recognised without touching it). When {@code munmap}
 *       fails, the block stays recorded and the error names the cause.</li>
 * </ul>
 * In checked mode a freed arena block waits in a quarantine (its tag cleared) before its pages return to the pool,
 * so that a second free of the same address is refused even when the program allocated another large block since.
 */
public final class LargeBlocks {
    /** The largest block cut from the arena; above it a block gets its own mapping (jemalloc's oversize idea). */
    public static final long ARENA_MAX = 32L << 20;
    private static final int HEAD_TAG = PageMap.LARGE_HEAD_CODE;
    private static final int BODY_TAG = PageMap.LARGE_BODY_CODE;
    /** Checked mode: freed arena blocks held back before their pages are reused. */
    private static final int QUARANTINE = 64;

    private record Mapping(long base, long length) {}

    private final PageMap map;
    private final PagePool pool;
    private final ConcurrentHashMap<Long, Mapping> mapped = new ConcurrentHashMap<>();
    private final AtomicLong mappedBytes = new AtomicLong();
    private final AtomicLong arenaBytes = new AtomicLong();
    private final ArrayDeque<long[]> quarantine = Checked.ENABLED ? new ArrayDeque<>() : null;

    public LargeBlocks(PageMap map, PagePool pool) {
        this.map = map;
        this.pool = pool;
    }

    /**
     * A block of at least {@code size} bytes aligned to {@code alignment} (a power of two), zeroed if asked.
     *
     * @throws OutOfMemoryError if neither the arena nor the kernel has room
     */
    public long allocate(long size, long alignment, boolean zeroed) {
        if (size <= ARENA_MAX) {
            int pages = (int) ((size + SizeClasses.PAGE - 1) >>> SizeClasses.PAGE_SHIFT);
            int alignPages = (int) Math.max(1, alignment >>> SizeClasses.PAGE_SHIFT);
            long taken;
            try {
                taken = pool.takeAligned(pages, alignPages, HEAD_TAG, BODY_TAG);
            } catch (OutOfMemoryError arenaFull) {
                return allocateMapped(size, alignment);
            }
            long block = taken & -SizeClasses.PAGE;
            long bytes = (long) pages << SizeClasses.PAGE_SHIFT;
            if (zeroed && (taken & PagePool.NOT_ZEROED) != 0) NativeMemory.fill(block, bytes, (byte) 0);
            arenaBytes.addAndGet(bytes);
            HakoEvents.largeAllocated(block, size, bytes, false);
            return block;
        }
        return allocateMapped(size, alignment); // fresh mappings read as zero
    }

    private long allocateMapped(long size, long alignment) {
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
        mapped.put(block, new Mapping(block, usable));
        mappedBytes.addAndGet(usable);
        HakoEvents.largeAllocated(block, size, usable, true);
        return block;
    }

    /** Usable bytes of a live large block, or -1 if {@code address} is not one. */
    public long usableSize(long address) {
        if (map.contains(address)) {
            int pages = pool.largeBlockPages(address);
            return pages < 0 ? -1 : (long) pages << SizeClasses.PAGE_SHIFT;
        }
        Mapping m = mapped.get(address);
        return m == null ? -1 : m.length;
    }

    /**
     * Frees a large block; returns false (and changes nothing) if {@code address} is not a live one.
     *
     * @throws IllegalStateException if the kernel refuses to unmap a mapped block (it stays recorded)
     */
    public boolean free(long address) {
        if (map.contains(address)) return freeInArena(address);
        Mapping m = mapped.get(address);
        if (m == null || !mapped.remove(address, m)) return false;
        try {
            OsMemory.unmap(m.base, m.length);
        } catch (IllegalStateException e) {
            mapped.put(address, m); // still mapped: still the program's
            throw new IllegalStateException(String.format("Hako: munmap of the large block 0x%x (%d bytes) failed;"
                    + " it stays allocated (a process at vm.max_map_count cannot split mappings)", address, m.length), e);
        }
        mappedBytes.addAndGet(-m.length);
        HakoEvents.largeFreed(address, m.length, true);
        return true;
    }

    private boolean freeInArena(long address) {
        if (quarantine == null) {
            int pages = pool.releaseLargeBlock(address);
            if (pages < 0) return false;
            arenaBytes.addAndGet(-((long) pages << SizeClasses.PAGE_SHIFT));
            HakoEvents.largeFreed(address, (long) pages << SizeClasses.PAGE_SHIFT, false);
            return true;
        }
        int pages = pool.retireLargeBlock(address); // tag cleared: a second free is refused from now on
        if (pages < 0) return false;
        arenaBytes.addAndGet(-((long) pages << SizeClasses.PAGE_SHIFT));
        HakoEvents.largeFreed(address, (long) pages << SizeClasses.PAGE_SHIFT, false);
        long[] oldest = null;
        synchronized (quarantine) {
            quarantine.addLast(new long[] {address, pages});
            if (quarantine.size() > QUARANTINE) oldest = quarantine.removeFirst();
        }
        if (oldest != null) pool.release(oldest[0], (int) oldest[1]);
        return true;
    }

    /** Bytes of large blocks in the arena (live). */
    public long arenaBytes() {
        return arenaBytes.get();
    }

    /** Bytes of large blocks with a mapping of their own (live). */
    public long mappedBytes() {
        return mappedBytes.get();
    }

    public int mappedCount() {
        return mapped.size();
    }

    /** Unmaps the blocks that have mappings of their own (allocator close; the arena goes with the arena). */
    public void releaseAll() {
        for (Long a : mapped.keySet()) free(a);
    }

    static long roundUp(long v, long align) {
        return (v + align - 1) & -align;
    }
}
