package dev.hako.remote;

import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;

/**
 * Per producer id, a row of fixed-size slots, one per owner id, in native memory: the home of a mailbox
 * strategy's outboxes. {@code slot(p, o) = row(p) + o * slotBytes}.
 *
 * <p>A row is mapped (no commit charge, zeroed) the first time its producer needs it and stays until the
 * allocator closes, so a thread that later claims the same owner id inherits the row and everything in it.
 * Only pages of slots actually touched become resident.
 *
 * <p>The table of row addresses is one word per id. Its writer is the holder of the id (once, when mapping,
 * with a release store); the holder reads its own word plain (an earlier holder's write reached it through the
 * owner slot's release/acquire); everyone else reads it with acquire, and 0 means "this producer never held
 * anything".
 */
final class ProducerRows implements AutoCloseable {
    private final int maxOwners;
    private final long rowBytes;
    private final long table;
    private final long tableBytes;

    ProducerRows(int maxOwners, long slotBytes) {
        this.maxOwners = maxOwners;
        this.rowBytes = (maxOwners + 1) * slotBytes;
        this.tableBytes = (maxOwners + 1) * 8L;
        this.table = OsMemory.mapReadWriteNoReserve(tableBytes);
        if (table == 0) throw new OutOfMemoryError("Hako: cannot map the outbox row table (" + tableBytes + " bytes)");
    }

    /**
     * Producer {@code p}'s own row, mapped on first use; 0 if the kernel refuses the mapping (the caller then sends
     * the block by its fallback: a free does not fail for want of an outbox). Only the holder of id {@code p} may
     * call this.
     */
    long own(int p) {
        long row = NativeMemory.getLongPlain(table + 8L * p);
        return row != 0 ? row : map(p);
    }

    /** Producer {@code p}'s row as any thread may see it: 0 if {@code p} never mapped one. */
    long published(int p) {
        return NativeMemory.getLongAcquire(table + 8L * p);
    }

    private long map(int p) {
        long row = OsMemory.mapReadWriteNoReserve(rowBytes);
        if (row == 0) return 0;
        NativeMemory.setLongRelease(table + 8L * p, row);
        return row;
    }

    @Override
    public void close() {
        for (int p = 0; p <= maxOwners; p++) {
            long row = NativeMemory.getLongPlain(table + 8L * p);
            if (row != 0) OsMemory.unmap(row, rowBytes);
        }
        OsMemory.unmap(table, tableBytes);
    }
}
