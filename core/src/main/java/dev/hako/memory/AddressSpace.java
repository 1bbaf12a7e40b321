package dev.hako.memory;

/**
 * One contiguous reservation of address space (the arena), committed from the bottom up in segments.
 *
 * <p>The whole range is reserved {@code PROT_NONE} at start-up, so it costs no commit charge and no
 * physical memory. {@link #commitThrough(long)} makes segments readable and writable with {@code mprotect}
 * as pages are handed out; the kernel backs a page with physical memory only when it is first touched, so
 * blocks a program never touches never cost resident memory, and there is no zeroing pass.
 */
public final class AddressSpace implements AutoCloseable {
    private final long reservedBase;
    private final long reservedBytes;
    private final long base;
    private final long size;
    private final long segmentBytes;
    /** End of the committed prefix; written under {@code this} lock, read racily as a hint. */
    private volatile long committedEnd;
    private volatile long segmentsCommitted;
    private boolean closed;

    /**
     * @param size         usable bytes, a multiple of {@code alignment}
     * @param alignment    alignment of {@link #base()} (a power of two, at least the OS page)
     * @param segmentBytes commit granularity, a multiple of {@code alignment}
     */
    public AddressSpace(long size, long alignment, long segmentBytes) {
        if (size <= 0 || size % alignment != 0 || segmentBytes % alignment != 0) {
            throw new IllegalArgumentException("bad address space geometry: size=" + size + " alignment=" + alignment
                    + " segment=" + segmentBytes);
        }
        this.reservedBytes = size + alignment;
        long r = OsMemory.reserve(reservedBytes);
        if (r == 0) {
            throw new OutOfMemoryError("Hako: cannot reserve " + (size >> 20) + " MiB of address space;"
                    + " lower -Dhako.arena (e.g. -Dhako.arena=4g)");
        }
        this.reservedBase = r;
        this.base = (r + alignment - 1) & -alignment;
        this.size = size;
        this.segmentBytes = segmentBytes;
        this.committedEnd = base;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    public long committedBytes() {
        return committedEnd - base;
    }

    public long segmentsCommitted() {
        return segmentsCommitted;
    }

    /**
     * Ensures every byte below {@code end} (an address in the arena) is committed, a whole segment at a time.
     *
     * @throws OutOfMemoryError when the kernel refuses the commit
     */
    public void commitThrough(long end) {
        if (end <= committedEnd) return;
        synchronized (this) {
            long have = committedEnd;
            if (end <= have) return;
            if (closed) throw new IllegalStateException("Hako allocator is closed");
            long want = Math.min(base + size, ((end - base + segmentBytes - 1) / segmentBytes) * segmentBytes + base);
            if (!OsMemory.commit(have, want - have)) {
                throw new OutOfMemoryError("Hako: the kernel refused to commit " + ((want - have) >> 20)
                        + " MiB (committed so far " + ((have - base) >> 20) + " MiB)");
            }
            segmentsCommitted += (want - have) / segmentBytes;
            committedEnd = want;
        }
    }

    /** Returns the physical pages of a committed range to the kernel; they read as zero afterwards. */
    public void discard(long address, long bytes) {
        OsMemory.discard(address, bytes);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        OsMemory.unmap(reservedBase, reservedBytes);
    }
}
