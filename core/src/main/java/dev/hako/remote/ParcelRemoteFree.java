package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import static dev.hako.remote.ParcelLayout.CAPACITY;
import static dev.hako.remote.ParcelLayout.CLOCK;
import static dev.hako.remote.ParcelLayout.FREE;
import static dev.hako.remote.ParcelLayout.INBOUND;
import static dev.hako.remote.ParcelLayout.LOOSE;
import static dev.hako.remote.ParcelLayout.L_CLASS;
import static dev.hako.remote.ParcelLayout.L_LINK;
import static dev.hako.remote.ParcelLayout.OPEN;
import static dev.hako.remote.ParcelLayout.OPEN_MAX;
import static dev.hako.remote.ParcelLayout.PARCEL;
import static dev.hako.remote.ParcelLayout.P_COUNT;
import static dev.hako.remote.ParcelLayout.P_ENTRIES;
import static dev.hako.remote.ParcelLayout.P_LINK;
import static dev.hako.remote.ParcelLayout.P_PRODUCER;
import static dev.hako.remote.ParcelLayout.RETURNS;
import static dev.hako.remote.ParcelLayout.RING;

/**
 * Strategy {@code parcel}, Hako's own: remote frees travel as <b>arrays of addresses</b>, so the remote path never
 * writes (or reads) a freed block, and one publication carries up to 126 blocks.
 *
 * <ul>
 *   <li><b>Producer</b>: per destination owner an open parcel (a 1 KiB native buffer, {@link ParcelLayout});
 *       a remote free appends {@code block | class << 56} to it. A full parcel is pushed with one CAS onto the
 *       owner's inbound stack (the link is in the parcel's header, not in a block). At most
 *       {@link ParcelLayout#OPEN_MAX} parcels are open per producer; a free for another owner evicts one
 *       (round robin) and ships it partial (see the loose fallback).</li>
 *   <li><b>Owner</b>, on a refill miss: takes its whole inbound stack with one exchange, files every entry into
 *       the cache bin of its class (blocks of other classes than the one asked for count as routed), and gives
 *       each emptied parcel back to its producer's returns stack (one CAS per run of parcels from one producer).
 *       </li>
 *   <li><b>Recycling</b>: a producer refills its private free list by taking its whole returns stack with one
 *       exchange (MPSC, take-all: no ABA), so parcels circulate and stay cache-hot; only when none has come back
 *       does it carve a chunk of {@value #CHUNK_PARCELS} fresh parcels from the parcel space (one atomic add).</li>
 *   <li><b>Loose fallback</b>: a parcel holding fewer than {@link #MIN_PUBLISH} entries when it must go (eviction,
 *       flush) is not published: its blocks are linked through themselves (link and class in their first two
 *       words) onto the owner's loose list with one CAS, and the parcel stays with the producer. This bounds the
 *       parcel memory a block can pin to {@code 1 KiB / MIN_PUBLISH}. The same path carries a block when the
 *       parcel space is used up. Counted as {@code fallbacks}.</li>
 * </ul>
 *
 * <p>{@link #flushProducer} publishes every open parcel. Whether the producer's own refill miss also publishes
 * its partial parcels is {@code -Dhako.parcel.missFlush=N} (publish those with at least N entries; 0 = never, the
 * default: see {@code docs/remote/parcel.md} for the measurement). Protocol: {@code docs/remote/parcel.md}.
 */
public final class ParcelRemoteFree extends RemoteFree {
    public static final String NAME = "parcel";
    /** A parcel with fewer entries than this goes loose instead of being published (see the class comment). */
    static final int MIN_PUBLISH = 8;
    /** Fresh parcels carved at once when none came back. */
    static final int CHUNK_PARCELS = 32;
    static final long CHUNK_BYTES = CHUNK_PARCELS * PARCEL;
    /** Minimum fill of a partial parcel published on the producer's own refill miss; 0 = no miss flush. */
    static final int MISS_FLUSH = Integer.getInteger("hako.parcel.missFlush", 0);

    private final int maxOwners;
    private final PageMap pages;
    private final IntSupplier highWater;
    private final long regions;
    private final long regionBytes;
    private final long regionsBytes;
    private final AddressSpace parcelSpace;
    private final long parcelEnd;
    private final AtomicLong parcelCursor;
    /** Set once the parcel space cannot give another chunk; then new parcels come only from recycling. */
    private volatile boolean spaceExhausted;

    public ParcelRemoteFree(RemoteContext context) {
        // Parcels cost 8 bytes per block in flight (plus partial ones); a quarter of the arena is far more than a
        // program can have in flight, and only what is carved is committed.
        this(context, Math.max(4L << 20, (context.pages().size() / 4) & -(1L << 20)));
    }

    /** With a parcel space of {@code parcelSpaceBytes} (a multiple of the OS page; tests use a small one). */
    ParcelRemoteFree(RemoteContext context, long parcelSpaceBytes) {
        long arenaEnd = context.pages().base() + context.pages().size();
        if (Long.compareUnsigned(arenaEnd, 1L << ParcelLayout.CLASS_SHIFT) > 0) {
            throw new IllegalStateException("parcel entries need arena addresses below 2^56; arena ends at 0x"
                    + Long.toHexString(arenaEnd));
        }
        this.maxOwners = context.maxOwners();
        this.pages = context.pages();
        this.highWater = context.ownersHighWater();
        this.regionBytes = ParcelLayout.regionBytes(maxOwners);
        this.regionsBytes = (maxOwners + 1) * regionBytes;
        this.regions = OsMemory.mapReadWriteNoReserve(regionsBytes);
        if (regions == 0) throw new OutOfMemoryError("Hako: cannot map parcel regions (" + regionsBytes + " bytes)");
        try {
            this.parcelSpace = new AddressSpace(parcelSpaceBytes, OsMemory.OS_PAGE, 1L << 20);
        } catch (RuntimeException | OutOfMemoryError e) {
            OsMemory.unmap(regions, regionsBytes);
            throw e;
        }
        this.parcelEnd = parcelSpace.base() + parcelSpace.size();
        this.parcelCursor = new AtomicLong(parcelSpace.base());
    }

    @Override
    public String name() {
        return NAME;
    }

    private long region(int id) {
        return regions + id * regionBytes;
    }

    // ================================================================ producer

    @Override
    public void free(RemoteHeap producer, int owner, int sizeClass, long block) {
        long region = region(producer.ownerId());
        long slot = region + OPEN + ((long) owner << 3);
        long parcel = NativeMemory.getLongPlain(slot);
        if (parcel == 0) {
            open(producer, region, owner, sizeClass, block);
            return;
        }
        int n = NativeMemory.getIntPlain(parcel + P_COUNT);
        NativeMemory.setLongPlain(parcel + P_ENTRIES + ((long) n << 3), ParcelLayout.entry(block, sizeClass));
        NativeMemory.setIntPlain(parcel + P_COUNT, ++n);
        if (n == CAPACITY) {
            NativeMemory.setLongPlain(slot, 0L);
            leaveRing(region, owner);
            publish(producer, owner, parcel, n);
        }
    }

    /** Opens a parcel for {@code owner} (evicting one if {@code OPEN_MAX} are open) holding {@code block}. */
    private void open(RemoteHeap producer, long region, int owner, int sizeClass, long block) {
        long ringSlot = 0;
        for (int k = 0; k < OPEN_MAX; k++) {
            long r = region + RING + 4L * k;
            if (NativeMemory.getIntPlain(r) == 0) {
                ringSlot = r;
                break;
            }
        }
        if (ringSlot == 0) {
            int k = NativeMemory.getIntPlain(region + CLOCK);
            NativeMemory.setIntPlain(region + CLOCK, (k + 1) & (OPEN_MAX - 1));
            ringSlot = region + RING + 4L * k;
            int victim = NativeMemory.getIntPlain(ringSlot);
            long victimSlot = region + OPEN + ((long) victim << 3);
            long victimParcel = NativeMemory.getLongPlain(victimSlot);
            NativeMemory.setLongPlain(victimSlot, 0L);
            NativeMemory.setIntPlain(ringSlot, 0);
            ship(producer, region, victim, victimParcel);
        }
        long parcel = takeEmptyParcel(producer, region);
        if (parcel == 0) { // no parcel to be had: this block travels alone
            sendLoose(producer, owner, block, sizeClass);
            return;
        }
        NativeMemory.setLongPlain(parcel + P_ENTRIES, ParcelLayout.entry(block, sizeClass));
        NativeMemory.setIntPlain(parcel + P_COUNT, 1);
        NativeMemory.setLongPlain(region + OPEN + ((long) owner << 3), parcel);
        NativeMemory.setIntPlain(ringSlot, owner);
    }

    private static void leaveRing(long region, int owner) {
        for (int k = 0; k < OPEN_MAX; k++) {
            long r = region + RING + 4L * k;
            if (NativeMemory.getIntPlain(r) == owner) {
                NativeMemory.setIntPlain(r, 0);
                return;
            }
        }
        throw new IllegalStateException("parcel ring lost owner " + owner);
    }

    /** Pushes a parcel onto {@code owner}'s inbound stack: one release CAS publishes the header and entries. */
    private void publish(RemoteHeap producer, int owner, long parcel, int n) {
        LinkedStack.push(producer, region(owner) + INBOUND, parcel, parcel);
        if (Stats.ENABLED) {
            producer.count(Counter.BATCH_PUBLISH, 1);
            producer.count(Counter.BATCH_BLOCKS, n);
        }
    }

    /** A parcel that must go now (eviction, flush): published if it holds enough, else its blocks go loose. */
    private void ship(RemoteHeap producer, long region, int owner, long parcel) {
        int n = NativeMemory.getIntPlain(parcel + P_COUNT);
        if (n >= MIN_PUBLISH) {
            publish(producer, owner, parcel, n);
            return;
        }
        long first = 0, last = 0;
        for (int i = n - 1; i >= 0; i--) {
            long e = NativeMemory.getLongPlain(parcel + P_ENTRIES + ((long) i << 3));
            long b = ParcelLayout.blockOf(e);
            NativeMemory.setLongPlain(b + L_CLASS, ParcelLayout.classOf(e));
            if (first == 0) {
                last = b;
            } else {
                NativeMemory.setLongPlain(b + L_LINK, first);
            }
            first = b;
        }
        LinkedStack.push(producer, region(owner) + LOOSE, first, last);
        if (Stats.ENABLED) producer.count(Counter.FALLBACK, n);
        NativeMemory.setLongPlain(parcel + P_LINK, NativeMemory.getLongPlain(region + FREE));
        NativeMemory.setLongPlain(region + FREE, parcel);
    }

    private void sendLoose(RemoteHeap producer, int owner, long block, int sizeClass) {
        NativeMemory.setLongPlain(block + L_CLASS, sizeClass);
        LinkedStack.push(producer, region(owner) + LOOSE, block, block);
        if (Stats.ENABLED) producer.count(Counter.FALLBACK, 1);
    }

    /** An empty parcel of this producer's: its free list, else what owners gave back, else a fresh chunk. */
    private long takeEmptyParcel(RemoteHeap producer, long region) {
        long parcel = NativeMemory.getLongPlain(region + FREE);
        if (parcel == 0) {
            parcel = LinkedStack.takeAll(region + RETURNS);
            if (parcel != 0) {
                if (Stats.ENABLED) producer.count(Counter.CAS_ATTEMPT, 1);
            } else {
                parcel = carveChunk(producer);
                if (parcel == 0) return 0;
            }
        }
        NativeMemory.setLongPlain(region + FREE, NativeMemory.getLongPlain(parcel + P_LINK));
        return parcel;
    }

    /** Carves {@value #CHUNK_PARCELS} parcels for {@code producer}, linked as a list; 0 when the space is used up. */
    private long carveChunk(RemoteHeap producer) {
        if (spaceExhausted) return 0;
        long start = parcelCursor.getAndAdd(CHUNK_BYTES);
        if (Stats.ENABLED) producer.count(Counter.CAS_ATTEMPT, 1);
        if (start + CHUNK_BYTES > parcelEnd) {
            spaceExhausted = true;
            return 0;
        }
        try {
            parcelSpace.commitThrough(start + CHUNK_BYTES);
        } catch (OutOfMemoryError e) { // the kernel refused: carry blocks loose rather than fail a free
            spaceExhausted = true;
            return 0;
        }
        int id = producer.ownerId();
        for (int k = 0; k < CHUNK_PARCELS; k++) {
            long p = start + k * PARCEL;
            NativeMemory.setIntPlain(p + P_PRODUCER, id);
            NativeMemory.setLongPlain(p + P_LINK, k + 1 < CHUNK_PARCELS ? p + PARCEL : 0L);
        }
        return start;
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        if (shipOpen(producer, 1) && Stats.ENABLED) producer.count(Counter.PRODUCER_FLUSH, 1);
    }

    /** Ships every open parcel holding at least {@code minEntries}; returns whether any went. */
    private boolean shipOpen(RemoteHeap producer, int minEntries) {
        long region = region(producer.ownerId());
        boolean any = false;
        for (int k = 0; k < OPEN_MAX; k++) {
            long r = region + RING + 4L * k;
            int owner = NativeMemory.getIntPlain(r);
            if (owner == 0) continue;
            long slot = region + OPEN + ((long) owner << 3);
            long parcel = NativeMemory.getLongPlain(slot);
            if (NativeMemory.getIntPlain(parcel + P_COUNT) < minEntries) continue;
            NativeMemory.setLongPlain(slot, 0L);
            NativeMemory.setIntPlain(r, 0);
            ship(producer, region, owner, parcel);
            any = true;
        }
        return any;
    }

    // ================================================================ owner

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        if (MISS_FLUSH > 0 && shipOpen(owner, MISS_FLUSH) && Stats.ENABLED) owner.count(Counter.PRODUCER_FLUSH, 1);
        return drain(owner, sizeClass);
    }

    @Override
    public long collectAll(RemoteHeap owner) {
        return drain(owner, -1);
    }

    /** Files every waiting block into {@code owner}; returns how many are of {@code sizeClass} (-1: how many in all). */
    private int drain(RemoteHeap owner, int sizeClass) {
        long region = region(owner.ownerId());
        long parcels = LinkedStack.takeAll(region + INBOUND);
        long loose = LinkedStack.takeAll(region + LOOSE);
        if ((parcels | loose) == 0) {
            if (Stats.ENABLED) owner.count(Counter.DRAIN_EMPTY, 1);
            return 0;
        }
        int wanted = 0;
        long delivered = 0;
        // Parcels go back to their producers in runs: consecutive parcels of one producer are already linked.
        int runProducer = 0;
        long runHead = 0, runTail = 0;
        for (long p = parcels; p != 0; ) {
            long next = NativeMemory.getLongPlain(p + P_LINK);
            int n = NativeMemory.getIntPlain(p + P_COUNT);
            for (int i = 0; i < n; i++) {
                long e = NativeMemory.getLongPlain(p + P_ENTRIES + ((long) i << 3));
                int c = ParcelLayout.classOf(e);
                owner.acceptFree(c, ParcelLayout.blockOf(e));
                if (c == sizeClass) wanted++;
            }
            delivered += n;
            int from = NativeMemory.getIntPlain(p + P_PRODUCER);
            if (from != runProducer) {
                if (runHead != 0) LinkedStack.push(owner, region(runProducer) + RETURNS, runHead, runTail);
                runProducer = from;
                runHead = p;
            }
            runTail = p;
            p = next;
        }
        if (runHead != 0) LinkedStack.push(owner, region(runProducer) + RETURNS, runHead, runTail);
        long bound = pages.blockBound();
        for (long b = loose, seen = 0; b != 0; seen++) {
            if (seen >= bound) throw LinkedStack.cycle(owner.ownerId(), sizeClass);
            long next = NativeMemory.getLongPlain(b + L_LINK);
            int c = (int) NativeMemory.getLongPlain(b + L_CLASS);
            owner.acceptFree(c, b);
            if (c == sizeClass) wanted++;
            delivered++;
            b = next;
        }
        if (Stats.ENABLED) {
            owner.count(Counter.DRAIN, 1);
            owner.count(Counter.DRAINED_BLOCKS, delivered);
            owner.count(Counter.ROUTED, delivered - wanted);
        }
        return sizeClass < 0 ? (int) delivered : wanted;
    }

    // ================================================================ audit, tests, close

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        int top = Math.min(maxOwners, highWater.getAsInt());
        for (int id = 1; id <= top; id++) {
            long region = region(id);
            for (long p = NativeMemory.getLongAcquire(region + INBOUND); p != 0; p = NativeMemory.getLongPlain(p)) {
                visitEntries(p, visitor);
            }
            LinkedStack.forEach(region + LOOSE, visitor);
            for (int k = 0; k < OPEN_MAX; k++) {
                int owner = NativeMemory.getIntPlain(region + RING + 4L * k);
                if (owner != 0) visitEntries(NativeMemory.getLongPlain(region + OPEN + ((long) owner << 3)), visitor);
            }
        }
    }

    private static void visitEntries(long parcel, BlockVisitor visitor) {
        int n = NativeMemory.getIntPlain(parcel + P_COUNT);
        for (int i = 0; i < n; i++) {
            visitor.visit(ParcelLayout.blockOf(NativeMemory.getLongPlain(parcel + P_ENTRIES + ((long) i << 3))));
        }
    }

    /** The open parcel of {@code producer} for {@code owner}, 0 if none (tests; caller guarantees quiescence). */
    long openParcel(int producer, int owner) {
        return NativeMemory.getLongPlain(region(producer) + OPEN + ((long) owner << 3));
    }

    /** Chunks carved from the parcel space so far (tests: recycling keeps this flat). */
    long chunksCarved() {
        return (Math.min(parcelCursor.get(), parcelEnd) - parcelSpace.base()) / CHUNK_BYTES;
    }

    @Override
    public void close() {
        parcelSpace.close();
        OsMemory.unmap(regions, regionsBytes);
    }
}
