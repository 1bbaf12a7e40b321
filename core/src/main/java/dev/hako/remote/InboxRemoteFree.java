package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.NativeTable;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.function.IntSupplier;

import static dev.hako.remote.InboxLayout.COUNT;
import static dev.hako.remote.InboxLayout.ENTRIES;
import static dev.hako.remote.InboxLayout.ENTRY;
import static dev.hako.remote.InboxLayout.E_BLOCK;
import static dev.hako.remote.InboxLayout.E_KEY;
import static dev.hako.remote.InboxLayout.PROBES;
import static dev.hako.remote.InboxLayout.ROW;
import static dev.hako.remote.InboxLayout.SLOT;
import static dev.hako.remote.InboxLayout.SLOTS;
import static dev.hako.remote.InboxLayout.S_COUNT;
import static dev.hako.remote.InboxLayout.S_HEAD;
import static dev.hako.remote.InboxLayout.S_KEY;
import static dev.hako.remote.InboxLayout.S_TAIL;
import static dev.hako.remote.InboxLayout.TABLE;
import static dev.hako.remote.InboxLayout.USED;

/**
 * Strategy {@code inbox}, hz4's remote free: a remote free only appends (block, owner, class) to a per-producer
 * buffer; when it holds {@link #FLUSH_AT} entries the producer groups them by (owner, class) through a small
 * open-addressing table, links each group through its blocks and pushes it with one CAS onto the owner's inbox
 * head for that class, each head on its own 128-byte line ({@link OwnerStash}). The owner takes a class's whole
 * inbox with one exchange on a refill miss and keeps the surplus in its cache.
 *
 * <p>As in hz4, the buffer is flushed only at the threshold and when the producer goes away
 * ({@link #flushProducer}), not on the producer's refill miss. Entries whose (owner, class) finds no slot within
 * {@link InboxLayout#PROBES} probes are pushed one by one. The blocks are written (linked) at flush time, not at
 * free time. Protocol: {@code docs/remote/inbox.md}.
 */
public final class InboxRemoteFree extends RemoteFree {
    public static final String NAME = "inbox";
    /** Buffer fill that triggers the flush (hz4's {@code HZ4_REMOTE_FLUSH_THRESHOLD}). */
    static final int FLUSH_AT = 96;

    private final OwnerStash stash;
    private final int maxOwners;
    private final PageMap pages;
    private final IntSupplier highWater;
    private final NativeTable rows;

    static {
        if (FLUSH_AT > InboxLayout.CAPACITY) throw new AssertionError("flush threshold above the buffer's capacity");
    }

    public InboxRemoteFree(RemoteContext context) {
        this.maxOwners = context.maxOwners();
        this.pages = context.pages();
        this.highWater = context.ownersHighWater();
        this.stash = new OwnerStash(maxOwners);
        try {
            this.rows = new NativeTable(maxOwners + 1, ROW, "inbox buffers");
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
        int n = NativeMemory.getIntPlain(row + COUNT);
        long e = row + ENTRIES + n * ENTRY;
        NativeMemory.setLongPlain(e + E_BLOCK, block);
        NativeMemory.setIntPlain(e + E_KEY, InboxLayout.key(owner, sizeClass));
        NativeMemory.setIntPlain(row + COUNT, ++n);
        if (n >= FLUSH_AT) flush(producer, row);
    }

    /** Groups the buffer by (owner, class) and pushes each group with one CAS; returns whether it held anything. */
    private boolean flush(RemoteHeap producer, long row) {
        int n = NativeMemory.getIntPlain(row + COUNT);
        if (n == 0) return false;
        int used = 0;
        for (int i = 0; i < n; i++) {
            long e = row + ENTRIES + i * ENTRY;
            long block = NativeMemory.getLongPlain(e + E_BLOCK);
            int key = NativeMemory.getIntPlain(e + E_KEY);
            int home = InboxLayout.home(key);
            boolean placed = false;
            for (int p = 0; p < PROBES; p++) {
                int index = (home + p) & (SLOTS - 1);
                long s = row + TABLE + index * SLOT;
                int k = NativeMemory.getIntPlain(s + S_KEY);
                if (k == 0) { // claim: the first block is the tail, linked by the push
                    NativeMemory.setIntPlain(s + S_KEY, key);
                    NativeMemory.setLongPlain(s + S_TAIL, block);
                    NativeMemory.setLongPlain(s + S_HEAD, block);
                    NativeMemory.setIntPlain(s + S_COUNT, 1);
                    NativeMemory.setIntPlain(row + USED + 4L * used++, index);
                    placed = true;
                    break;
                }
                if (k == key) {
                    LinkedStack.setLink(block, NativeMemory.getLongPlain(s + S_HEAD));
                    NativeMemory.setLongPlain(s + S_HEAD, block);
                    NativeMemory.setIntPlain(s + S_COUNT, NativeMemory.getIntPlain(s + S_COUNT) + 1);
                    placed = true;
                    break;
                }
            }
            if (!placed) { // table crowded around this key: push the block alone, as hz4 does
                LinkedStack.pushBlocks(producer, stash.head(InboxLayout.ownerOf(key), InboxLayout.classOf(key)), block,
                        block);
                if (Stats.ENABLED) producer.count(Counter.PUSH, 1);
            }
        }
        for (int u = 0; u < used; u++) {
            long s = row + TABLE + NativeMemory.getIntPlain(row + USED + 4L * u) * SLOT;
            int key = NativeMemory.getIntPlain(s + S_KEY);
            int count = NativeMemory.getIntPlain(s + S_COUNT);
            LinkedStack.pushBlocks(producer, stash.head(InboxLayout.ownerOf(key), InboxLayout.classOf(key)),
                    NativeMemory.getLongPlain(s + S_HEAD), NativeMemory.getLongPlain(s + S_TAIL));
            NativeMemory.setIntPlain(s + S_KEY, 0);
            if (Stats.ENABLED) {
                if (count == 1) {
                    producer.count(Counter.PUSH, 1);
                } else {
                    producer.count(Counter.BATCH_PUBLISH, 1);
                    producer.count(Counter.BATCH_BLOCKS, count);
                }
            }
        }
        NativeMemory.setIntPlain(row + COUNT, 0);
        return true;
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        return LinkedStack.drainBlocks(owner, stash.head(owner.ownerId(), sizeClass), sizeClass, pages);
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        if (flush(producer, row(producer.ownerId())) && Stats.ENABLED) producer.count(Counter.PRODUCER_FLUSH, 1);
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
            int n = NativeMemory.getIntPlain(row + COUNT);
            for (int i = 0; i < n; i++) visitor.visit(NativeMemory.getLongPlain(row + ENTRIES + i * ENTRY + E_BLOCK));
        }
    }

    @Override
    public void close() {
        stash.close();
        rows.close();
    }
}
