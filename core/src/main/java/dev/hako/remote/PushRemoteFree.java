package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
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
 * taken by the exchange is private to it. Medium classes use the same stash: they are rare on remote paths,
 * and one mechanism keeps every class's accounting the same.
 */
public final class PushRemoteFree extends RemoteFree {
    public static final String NAME = "push";
    private final OwnerStash stash;
    private final int maxOwners;

    public PushRemoteFree(RemoteContext context) {
        this.maxOwners = context.maxOwners();
        this.stash = new OwnerStash(maxOwners);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void free(RemoteHeap producer, int owner, int sizeClass, long block) {
        long head = stash.head(owner, sizeClass);
        long expected = NativeMemory.getLongOpaque(head);
        long attempts = 1;
        for (;;) {
            NativeMemory.setLongPlain(block, expected);
            long witness = NativeMemory.caxLongRelease(head, expected, block);
            if (witness == expected) break;
            expected = witness;
            attempts++;
        }
        if (Stats.ENABLED) {
            producer.count(Counter.PUSH, 1);
            producer.count(Counter.CAS_ATTEMPT, attempts);
            producer.count(Counter.CAS_FAIL, attempts - 1);
        }
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        long head = stash.head(owner.ownerId(), sizeClass);
        if (NativeMemory.getLongOpaque(head) == 0) {
            if (Stats.ENABLED) owner.count(Counter.DRAIN_EMPTY, 1);
            return 0;
        }
        long block = NativeMemory.xchgLongAcquire(head, 0L);
        int n = 0;
        while (block != 0) {
            long next = NativeMemory.getLongPlain(block);
            owner.acceptFree(sizeClass, block);
            block = next;
            n++;
        }
        if (Stats.ENABLED) {
            owner.count(Counter.DRAIN, 1);
            owner.count(Counter.DRAINED_BLOCKS, n);
        }
        return n;
    }

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        for (int owner = 1; owner <= maxOwners; owner++) {
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                for (long b = NativeMemory.getLongAcquire(stash.head(owner, c)); b != 0; b = NativeMemory.getLongPlain(b)) {
                    visitor.visit(b);
                }
            }
        }
    }

    @Override
    public void close() {
        stash.close();
    }
}
