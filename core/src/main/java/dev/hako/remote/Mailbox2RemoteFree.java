package dev.hako.remote;

import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.function.IntSupplier;

/**
 * Strategy {@code mailbox2}, the seed's S147-2: two buffers per (producer, owner) and a per-owner pending bitset.
 *
 * <p>Producer: per owner a pair of 8-entry {block, class} buffers ({@link Mailbox2Outbox}); a remote free is a few
 * plain stores into the buffer being filled (no atomic). When it is full the producer hands it to the owner (a
 * release store), sets its bit in the owner's {@link PendingBits} (one release CAS per 8 frees) and goes on filling
 * the other buffer; when both wait for the owner it falls back to the push path (one CAS per block,
 * {@link LinkedStack}). Owner: on a refill miss it takes its pending words (an exchange each, only when non-zero) and
 * visits only the producers whose bit was set, takes every buffer handed to it, puts each entry into the bin of its
 * own class, gives the buffers back, then takes its stash list for the class. Thread exit hands every partly filled
 * buffer over and sets the bit, so the owner finds it whoever holds the producer id later, or nobody.
 *
 * <p>Protocol, shared words and why the modes suffice: {@code docs/remote/mailbox.md}.
 */
public final class Mailbox2RemoteFree extends RemoteFree {
    public static final String NAME = "mailbox2";
    /** Hand a buffer over when it is full. */
    static final int CAPACITY = Mailbox2Outbox.CAPACITY;

    private final IntSupplier highWater;
    private final ProducerRows rows;
    private final PendingBits pending;
    private final FallbackStash stash;

    public Mailbox2RemoteFree(RemoteContext context) {
        int maxOwners = context.maxOwners();
        this.highWater = context.ownersHighWater();
        this.rows = new ProducerRows(maxOwners, Mailbox2Outbox.BYTES);
        this.pending = new PendingBits(maxOwners);
        this.stash = new FallbackStash(maxOwners, context.pages());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
        int me = producer.ownerId();
        long row = rows.own(me);
        if (row == 0) { // no outbox could be mapped: the fallback carries the block
            stash.push(producer, owner, sizeClass, block);
            return;
        }
        long box = row + owner * Mailbox2Outbox.BYTES;
        int slot = Mailbox2Outbox.claim(box);
        if (slot < 0) {
            stash.push(producer, owner, sizeClass, block);
            return;
        }
        Mailbox2Outbox.write(box, slot, block, sizeClass);
        if (Mailbox2Outbox.publish(box, slot, CAPACITY)) notifyOwner(producer, owner, me);
    }

    private void notifyOwner(RemoteHeap producer, int owner, int me) {
        pending.set(producer, owner, me);
        if (Stats.ENABLED) producer.count(Counter.NOTIFY, 1);
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        int me = owner.ownerId();
        long offset = me * Mailbox2Outbox.BYTES;
        int words = (highWater.getAsInt() >>> 6) + 1;
        int wanted = 0, visited = 0, empty = 0, drains = 0, drained = 0;
        for (int w = 0; w < words; w++) {
            for (long bits = pending.take(me, w); bits != 0; bits &= bits - 1) {
                int p = w << 6 | Long.numberOfTrailingZeros(bits);
                long row = rows.published(p); // non-zero: p mapped it before setting its bit
                if (row == 0) continue;
                visited++;
                long box = row + offset;
                int took = 0;
                for (int k = 0; k < 2; k++) {
                    int n = Mailbox2Outbox.observe(box, k);
                    if (n == 0) continue;
                    wanted += OutboxEntries.deliver(owner, Mailbox2Outbox.entries(box, k), n, sizeClass);
                    Mailbox2Outbox.giveBack(box, k);
                    took++;
                    drained += n;
                }
                if (took == 0) empty++;
                drains += took;
            }
        }
        int fromStash = stash.drain(owner, sizeClass);
        if (Stats.ENABLED) FallbackStash.countCollect(owner, visited, empty, drains, drained, fromStash);
        return wanted + fromStash;
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        int me = producer.ownerId();
        long row = rows.published(me);
        if (row == 0) return;
        int top = highWater.getAsInt();
        int flushed = 0;
        for (int o = 1; o <= top; o++) {
            if (Mailbox2Outbox.flush(row + o * Mailbox2Outbox.BYTES) > 0) {
                pending.set(producer, o, me);
                flushed++;
            }
        }
        if (Stats.ENABLED && flushed > 0) producer.count(Counter.PRODUCER_FLUSH, 1);
    }

    /** The outboxes and the class-0 stash through {@link #collect} (owner side only), then every other class's stash. */
    @Override
    public long collectAll(RemoteHeap owner) {
        return collect(owner, 0) + stash.drainAllBut(owner, 0);
    }

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        int top = highWater.getAsInt();
        for (int p = 1; p <= top; p++) {
            long row = rows.published(p);
            if (row == 0) continue;
            for (int o = 1; o <= top; o++) Mailbox2Outbox.forEachHeld(row + o * Mailbox2Outbox.BYTES, visitor);
        }
        stash.forEachHeld(visitor);
    }

    /** Audit (quiescent): a handed-over buffer whose pending bit is clear would wait forever. */
    boolean stranded(int producer, int owner) {
        long row = rows.published(producer);
        return row != 0 && Mailbox2Outbox.handedOver(row + owner * Mailbox2Outbox.BYTES)
                && !pending.isSet(owner, producer);
    }

    /** Audit (quiescent): blocks producer {@code p} holds in outboxes it has not handed over (0 after its flush). */
    int producerHeld(int p) {
        long row = rows.published(p);
        if (row == 0) return 0;
        int top = highWater.getAsInt(), n = 0;
        for (int o = 1; o <= top; o++) n += Mailbox2Outbox.producerHeld(row + o * Mailbox2Outbox.BYTES);
        return n;
    }

    @Override
    public void close() {
        rows.close();
        pending.close();
        stash.close();
    }
}
