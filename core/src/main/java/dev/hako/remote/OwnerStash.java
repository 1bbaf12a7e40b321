package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.NativeTable;

/**
 * Per (owner, size class) an MPSC list head in native memory, each on its own 128-byte line (two cache lines,
 * so that the adjacent-line prefetcher does not couple neighbours; hz4 pads every head and wins at R=90 where
 * hz3 packs four per line).
 *
 * <pre>
 *   head(owner, class) = base + ((owner * SizeClasses.COUNT) + class) * 128
 *   word 0: address of the first block of the list, 0 = empty
 * </pre>
 *
 * The table is mapped without commit charge and touched lazily: an owner that never receives remote frees of a
 * class never touches its line. What a head links (intrusive {@code next} words in the blocks, or something
 * else) is up to the strategy that owns the stash.
 */
public final class OwnerStash implements AutoCloseable {
    private final NativeTable heads;

    public OwnerStash(int maxOwners) {
        this.heads = new NativeTable((long) (maxOwners + 1) * SizeClasses.COUNT, LinePair.BYTES,
                "the owner stash table");
    }

    /** Address of the head word for {@code owner} and {@code sizeClass}. */
    public long head(int owner, int sizeClass) {
        return heads.entry((long) owner * SizeClasses.COUNT + sizeClass);
    }

    /** Peek without ordering: whether anything may wait (a false "empty" only delays a drain). */
    public boolean mayHold(int owner, int sizeClass) {
        return NativeMemory.getLongOpaque(head(owner, sizeClass)) != 0;
    }

    /**
     * Visits every block of every head of owners {@code 1..top}, pending lists included (caller guarantees
     * quiescence): the one walk of a stash that push, batch, inbox and the mailboxes' fallback share.
     */
    void forEachHeld(int top, RemoteFree.BlockVisitor visitor) {
        for (int owner = 1; owner <= top; owner++) {
            for (int c = 0; c < SizeClasses.COUNT; c++) LinkedStack.forEachBlock(head(owner, c), visitor);
        }
    }

    /** Owner side: takes every class's list of {@code owner} into its cache; returns how many blocks moved. */
    long drainAll(RemoteHeap owner, dev.hako.layout.PageMap pages) {
        long moved = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) moved += LinkedStack.drainBlocks(owner, head(owner.ownerId(), c), c, pages);
        return moved;
    }

    @Override
    public void close() {
        heads.close();
    }
}
