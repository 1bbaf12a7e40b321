package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.NativeTable;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.function.IntSupplier;

import static dev.hako.remote.BatchLayout.COUNT;
import static dev.hako.remote.BatchLayout.GROUP;
import static dev.hako.remote.BatchLayout.GROUPS;
import static dev.hako.remote.BatchLayout.HEAD;
import static dev.hako.remote.BatchLayout.MASK;
import static dev.hako.remote.BatchLayout.MASK_WORDS;
import static dev.hako.remote.BatchLayout.OWNER;
import static dev.hako.remote.BatchLayout.ROW;
import static dev.hako.remote.BatchLayout.TAIL;

/**
 * Strategy {@code batch}, the seed's S146-B: the producer links remote blocks into one open group per size class
 * (all for one owner) and pushes a whole group with one CAS onto the owner's {@link OwnerStash} head.
 *
 * <p>Buffer shape: per producer and size class one group ({@link BatchLayout}). A group is pushed when it holds
 * {@link #GROUP_BLOCKS} blocks, when a block of its class for another owner arrives (one open group per class
 * keeps the state at 148 groups, and in a ring of producer/consumer pairs the owner rarely changes), on the
 * producer's own refill miss ({@link #collect} is also its housekeeping point, so a producer that stops freeing
 * holds nothing for long) and at {@link #flushProducer}. The owner side is push's: an acquire exchange on a
 * refill miss takes the class's whole list.
 *
 * <p>Linking is intrusive (each block but the newest is written when it joins; the oldest when the group is
 * pushed), so, like push, the remote path writes every block it carries. Protocol and ordering:
 * {@code docs/remote/batch.md}.
 */
public final class BatchRemoteFree extends RemoteFree {
    public static final String NAME = "batch";
    /** Blocks per group before it is pushed (S146-B measured 8 and 16). */
    static final int GROUP_BLOCKS = 16;

    private final OwnerStash stash;
    private final int maxOwners;
    private final PageMap pages;
    private final IntSupplier highWater;
    private final NativeTable rows;

    public BatchRemoteFree(RemoteContext context) {
        this.maxOwners = context.maxOwners();
        this.pages = context.pages();
        this.highWater = context.ownersHighWater();
        this.stash = new OwnerStash(maxOwners);
        try {
            this.rows = new NativeTable(maxOwners + 1, ROW, "batch groups");
        } catch (OutOfMemoryError e) {
            stash.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    private long row(int producer) {
        return rows.entry(producer);
    }

    @Override
    public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
        long row = row(producer.ownerId());
        long g = row + GROUPS + sizeClass * GROUP;
        int n = NativeMemory.getIntPlain(g + COUNT);
        if (n != 0 && NativeMemory.getIntPlain(g + OWNER) != owner) {
            publish(producer, row, g, sizeClass);
            n = 0;
        }
        if (n == 0) {
            // The first block is the tail: its link is written by the push.
            NativeMemory.setLongPlain(g + TAIL, block);
            NativeMemory.setIntPlain(g + OWNER, owner);
            long m = row + MASK + ((sizeClass >>> 6) << 3);
            NativeMemory.setLongPlain(m, NativeMemory.getLongPlain(m) | 1L << sizeClass);
        } else {
            LinkedStack.setLink(block, NativeMemory.getLongPlain(g + HEAD));
        }
        NativeMemory.setLongPlain(g + HEAD, block);
        NativeMemory.setIntPlain(g + COUNT, ++n);
        if (n == GROUP_BLOCKS) publish(producer, row, g, sizeClass);
    }

    /** Pushes group {@code g} (non-empty) onto its owner's stash head with one CAS and empties it. */
    private void publish(RemoteHeap producer, long row, long g, int sizeClass) {
        int n = NativeMemory.getIntPlain(g + COUNT);
        int owner = NativeMemory.getIntPlain(g + OWNER);
        LinkedStack.pushBlocks(producer, stash.head(owner, sizeClass), NativeMemory.getLongPlain(g + HEAD),
                NativeMemory.getLongPlain(g + TAIL));
        NativeMemory.setIntPlain(g + COUNT, 0);
        long m = row + MASK + ((sizeClass >>> 6) << 3);
        NativeMemory.setLongPlain(m, NativeMemory.getLongPlain(m) & ~(1L << sizeClass));
        if (Stats.ENABLED) {
            if (n == 1) {
                producer.count(Counter.PUSH, 1);
            } else {
                producer.count(Counter.BATCH_PUBLISH, 1);
                producer.count(Counter.BATCH_BLOCKS, n);
            }
        }
    }

    /** Pushes every open group of {@code producer}; returns whether there was any. */
    private boolean publishAll(RemoteHeap producer) {
        long row = row(producer.ownerId());
        boolean any = false;
        for (int w = 0; w < MASK_WORDS; w++) {
            long bits = NativeMemory.getLongPlain(row + MASK + ((long) w << 3));
            while (bits != 0) {
                int c = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                publish(producer, row, row + GROUPS + c * GROUP, c);
                any = true;
            }
        }
        return any;
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        // The owner's refill miss is also this heap's housekeeping point as a producer.
        if (publishAll(owner) && Stats.ENABLED) owner.count(Counter.PRODUCER_FLUSH, 1);
        return LinkedStack.drainBlocks(owner, stash.head(owner.ownerId(), sizeClass), sizeClass, pages);
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        if (publishAll(producer) && Stats.ENABLED) producer.count(Counter.PRODUCER_FLUSH, 1);
    }

    @Override
    public long collectAll(RemoteHeap owner) {
        return stash.drainAll(owner, pages);
    }

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        int top = Math.min(maxOwners, highWater.getAsInt());
        stash.forEachHeld(top, visitor);
        for (int producer = 1; producer <= top; producer++) {
            long row = row(producer);
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                long g = row + GROUPS + c * GROUP;
                int n = NativeMemory.getIntPlain(g + COUNT);
                // Walk by count: the tail's link is not written until the push.
                long b = NativeMemory.getLongPlain(g + HEAD);
                for (int i = 0; i < n; i++, b = LinkedStack.link(b)) visitor.visit(b);
            }
        }
    }

    @Override
    public void close() {
        stash.close();
        rows.close();
    }
}
