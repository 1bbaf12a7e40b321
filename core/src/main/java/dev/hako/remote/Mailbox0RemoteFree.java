package dev.hako.remote;

import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.function.IntSupplier;

/**
 * Strategy {@code mailbox0}, the seed's S147-0 reverse mailbox, with its hand-off made race-free.
 *
 * <p>Producer: per owner an outbox of 16 {block, class} entries ({@link Mailbox0Outbox}); a remote free is a few
 * plain stores into it (no atomic). At 8 entries the producer hands the outbox to the owner (a release store: the
 * notify) and, until the owner gives it back, falls back to the push path (one CAS onto the owner's
 * {@link OwnerStash} list for the class, {@link LinkedStack}). Owner: on every refill miss it scans every
 * producer id ever used ({@code ownersHighWater}), takes each outbox handed to it, puts every entry into the bin
 * of its own class (other classes are routed, not re-pushed), gives the outbox back, then takes its stash list
 * for the class. Thread exit hands every partly filled outbox over, so nothing waits in a producer that is gone;
 * the owner's scan covers every id, live or not, so it is collected.
 *
 * <p>Protocol, shared words and why the modes suffice: {@code docs/remote/mailbox.md}.
 */
public final class Mailbox0RemoteFree extends RemoteFree {
    public static final String NAME = "mailbox0";
    /** The seed's notify threshold. */
    static final int THRESHOLD = 8;

    private final IntSupplier highWater;
    private final ProducerRows rows;
    private final FallbackStash stash;

    public Mailbox0RemoteFree(RemoteContext context) {
        int maxOwners = context.maxOwners();
        this.highWater = context.ownersHighWater();
        this.rows = new ProducerRows(maxOwners, Mailbox0Outbox.BYTES);
        this.stash = new FallbackStash(maxOwners, context.pages());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
        long row = rows.own(producer.ownerId());
        if (row == 0) { // no outbox could be mapped: the fallback carries the block
            stash.push(producer, owner, sizeClass, block);
            return;
        }
        long box = row + owner * Mailbox0Outbox.BYTES;
        int index = Mailbox0Outbox.claim(box);
        if (index < 0) {
            stash.push(producer, owner, sizeClass, block);
            return;
        }
        Mailbox0Outbox.write(box, index, block, sizeClass);
        if (Mailbox0Outbox.publish(box, index, THRESHOLD) && Stats.ENABLED) producer.count(Counter.NOTIFY, 1);
    }

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        int me = owner.ownerId();
        long offset = me * Mailbox0Outbox.BYTES;
        int top = highWater.getAsInt();
        int wanted = 0, visited = 0, empty = 0, drains = 0, drained = 0;
        for (int p = 1; p <= top; p++) {
            long row = rows.published(p);
            if (row == 0 || p == me) continue;
            visited++;
            long box = row + offset;
            int n = Mailbox0Outbox.observe(box);
            if (n == 0) {
                empty++;
                continue;
            }
            wanted += OutboxEntries.deliver(owner, Mailbox0Outbox.entries(box), n, sizeClass);
            Mailbox0Outbox.giveBack(box);
            drains++;
            drained += n;
        }
        int fromStash = stash.drain(owner, sizeClass);
        if (Stats.ENABLED) FallbackStash.countCollect(owner, visited, empty, drains, drained, fromStash);
        return wanted + fromStash;
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        long row = rows.published(producer.ownerId());
        if (row == 0) return;
        int top = highWater.getAsInt();
        int flushed = 0;
        for (int o = 1; o <= top; o++) {
            if (Mailbox0Outbox.flush(row + o * Mailbox0Outbox.BYTES) > 0) flushed++;
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
            for (int o = 1; o <= top; o++) Mailbox0Outbox.forEachHeld(row + o * Mailbox0Outbox.BYTES, visitor);
        }
        stash.forEachHeld(visitor);
    }

    /** Audit (quiescent): blocks producer {@code p} holds in outboxes it has not handed over (0 after its flush). */
    int producerHeld(int p) {
        long row = rows.published(p);
        if (row == 0) return 0;
        int top = highWater.getAsInt(), n = 0;
        for (int o = 1; o <= top; o++) n += Mailbox0Outbox.producerHeld(row + o * Mailbox0Outbox.BYTES);
        return n;
    }

    @Override
    public void close() {
        rows.close();
        stash.close();
    }
}
