package dev.hako.memory;

/**
 * A table of fixed-size entries in native memory, one per index: mapped without commit charge and zeroed, so only
 * the pages of entries actually touched become resident. The remote-free strategies' per-owner rows and the page
 * records of the layout room live in such tables.
 */
public final class NativeTable implements AutoCloseable {
    private final long base;
    private final long bytes;
    private final long entryBytes;

    /** @param what what the table holds, for the error when the kernel refuses the mapping */
    public NativeTable(long entries, long entryBytes, String what) {
        this.entryBytes = entryBytes;
        this.bytes = entries * entryBytes;
        this.base = OsMemory.mapReadWriteNoReserve(bytes);
        if (base == 0) throw new OutOfMemoryError("Hako: cannot map " + what + " (" + bytes + " bytes)");
    }

    /** Address of entry {@code index}. */
    public long entry(long index) {
        return base + index * entryBytes;
    }

    @Override
    public void close() {
        OsMemory.unmap(base, bytes);
    }
}
