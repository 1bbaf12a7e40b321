package dev.hako.remote;

import dev.hako.memory.NativeMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * Outbox entries as both mailboxes lay them out (the seed's S147 entry): 16 bytes each,
 * {@code {block address: long, size class: int, unused: int}}. The producer writes them (plain) while the
 * outbox is its own; the owner reads them (plain) only after an acquire read showed the outbox handed over, and
 * before the release store that gives it back. Carrying the class lets one outbox per owner serve every class:
 * the owner routes each block to its bin at drain time.
 */
final class OutboxEntries {
    private OutboxEntries() {}

    static final long BYTES = 16;

    static void write(long entries, int index, long block, int sizeClass) {
        long e = entries + index * BYTES;
        NativeMemory.setLongPlain(e, block);
        NativeMemory.setIntPlain(e + 8, sizeClass);
    }

    static long block(long entries, int index) {
        return NativeMemory.getLongPlain(entries + index * BYTES);
    }

    static int sizeClass(long entries, int index) {
        return NativeMemory.getIntPlain(entries + index * BYTES + 8);
    }

    /**
     * Owner: moves {@code n} entries into {@code owner}'s cache, each into the bin of its own class (entries of
     * other classes than {@code sizeClass} are counted as routed). Returns how many were of {@code sizeClass}.
     */
    static int deliver(RemoteHeap owner, long entries, int n, int sizeClass) {
        int wanted = 0;
        for (int i = 0; i < n; i++) {
            long e = entries + i * BYTES;
            int c = NativeMemory.getIntPlain(e + 8);
            owner.acceptFree(c, NativeMemory.getLongPlain(e));
            if (c == sizeClass) wanted++;
        }
        if (Stats.ENABLED) owner.count(Counter.ROUTED, n - wanted);
        return wanted;
    }

    static void forEach(long entries, int n, RemoteFree.BlockVisitor visitor) {
        for (int i = 0; i < n; i++) visitor.visit(block(entries, i));
    }
}
