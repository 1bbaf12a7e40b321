package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * The mailboxes' fallback path: exactly strategy {@code push}'s per-(owner, class) lists on an {@link OwnerStash}
 * ({@link LinkedStack}: one release CAS per block, one acquire exchange per drain). A fallback is counted as a
 * fallback and a push; the drain is not counted here, because a mailbox counts a collect as a whole.
 */
final class FallbackStash implements AutoCloseable {
    private final int maxOwners;
    private final OwnerStash heads;
    private final PageMap pages;

    FallbackStash(int maxOwners, PageMap pages) {
        this.maxOwners = maxOwners;
        this.heads = new OwnerStash(maxOwners);
        this.pages = pages;
    }

    /** Producer: one CAS (retried on contention) puts {@code block} on {@code owner}'s list for its class. */
    void push(RemoteHeap producer, int owner, int sizeClass, long block) {
        LinkedStack.pushBlocks(producer, heads.head(owner, sizeClass), block, block);
        if (Stats.ENABLED) {
            producer.count(Counter.FALLBACK, 1);
            producer.count(Counter.PUSH, 1);
        }
    }

    /** Owner: moves its whole list of {@code sizeClass} into its cache; returns the number of blocks. */
    int drain(RemoteHeap owner, int sizeClass) {
        return LinkedStack.drainBlocks(owner, heads.head(owner.ownerId(), sizeClass), sizeClass, pages, false);
    }

    /** Takes every class's list of {@code owner} but {@code except}'s; returns how many blocks moved. */
    long drainAllBut(RemoteHeap owner, int except) {
        long moved = 0;
        for (int c = 0; c < SizeClasses.COUNT; c++) if (c != except) moved += drain(owner, c);
        return moved;
    }

    /** What a mailbox's collect counts: one scan, the producers it visited, and the drains of outboxes and stash. */
    static void countCollect(RemoteHeap owner, int visited, int empty, int drains, int drained, int fromStash) {
        owner.count(Counter.SCAN, 1);
        owner.count(Counter.PRODUCERS_VISITED, visited);
        owner.count(Counter.OUTBOX_EMPTY, empty);
        owner.count(Counter.DRAIN, drains + (fromStash > 0 ? 1 : 0));
        owner.count(Counter.DRAINED_BLOCKS, drained + fromStash);
        if (drained + fromStash == 0) owner.count(Counter.DRAIN_EMPTY, 1);
    }

    void forEachHeld(RemoteFree.BlockVisitor visitor) {
        heads.forEachHeld(maxOwners, visitor);
    }

    @Override
    public void close() {
        heads.close();
    }
}
