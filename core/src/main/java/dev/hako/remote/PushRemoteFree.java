package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

/**
 * Strategy {@code push}, the seed's baseline "A" (hz3's S44 owner stash with the S112 full-drain exchange).
 *
 * <p>Producer: one CAS per block pushes it onto the owner's {@link OwnerStash} head for its class, linking it
 * through its first 8 bytes (intrusive: the block's memory is written, so an untouched block costs a page
 * fault here). Owner: on a refill miss, an opaque peek; if the list is non-empty one acquire exchange takes
 * the whole list, and every block goes into the owner's cache (the surplus stays there, as hz3 keeps it in
 * its spill).
 *
 * <p>Ordering: the producer's plain write of the link happens before its release CAS; the owner's acquire
 * exchange sees the CAS, so its plain reads of the links see them. The only consumer of a head is the heap
 * holding the owner id (one at a time, handed over through the owner slot's release/acquire), so the list
 * taken by the exchange is private to it (the stack is a {@link LinkedStack}). Medium classes use the same stash: they are rare on remote paths,
 * and one mechanism keeps every class's accounting the same.
 */
public final class PushRemoteFree extends RemoteFree {
    public static final String NAME = "push";
    private final OwnerStash stash;
    private final int maxOwners;
    private final PageMap pages;

    public PushRemoteFree(RemoteContext context) {
        this.maxOwners = context.maxOwners();
        this.pages = context.pages();
        this.stash = new OwnerStash(maxOwners);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
        LinkedStack.pushBlocks(producer, stash.head(owner, sizeClass), block, block);
        if (Stats.ENABLED) producer.count(Counter.PUSH, 1);
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        return LinkedStack.drainBlocks(owner, stash.head(owner.ownerId(), sizeClass), sizeClass, pages);
    }

    @Override
    public long collectAll(RemoteHeap owner) {
        return stash.drainAll(owner, pages);
    }

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        stash.forEachHeld(maxOwners, visitor);
    }

    @Override
    public void close() {
        stash.close();
    }
}
