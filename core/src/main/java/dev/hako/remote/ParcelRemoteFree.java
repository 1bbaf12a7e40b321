package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import dev.hako.memory.OsMemory;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import static dev.hako.remote.ParcelLayout.CAPACITY;
import static dev.hako.remote.ParcelLayout.EMPTIED;
import static dev.hako.remote.ParcelLayout.EMPTIED_COUNT;
import static dev.hako.remote.ParcelLayout.EMPTIED_TAIL;
import static dev.hako.remote.ParcelLayout.FREE;
import static dev.hako.remote.ParcelLayout.INBOUND;
import static dev.hako.remote.ParcelLayout.LARGE;
import static dev.hako.remote.ParcelLayout.LEVEL;
import static dev.hako.remote.ParcelLayout.LOOSE;
import static dev.hako.remote.ParcelLayout.L_CLASS;
import static dev.hako.remote.ParcelLayout.L_LINK;
import static dev.hako.remote.ParcelLayout.MEDIUM;
import static dev.hako.remote.ParcelLayout.MEDIUM_CAPACITY;
import static dev.hako.remote.ParcelLayout.NEWEST;
import static dev.hako.remote.ParcelLayout.OLDEST;
import static dev.hako.remote.ParcelLayout.OPEN;
import static dev.hako.remote.ParcelLayout.OPENED;
import static dev.hako.remote.ParcelLayout.P_COUNT;
import static dev.hako.remote.ParcelLayout.P_ENTRIES;
import static dev.hako.remote.ParcelLayout.P_FILL;
import static dev.hako.remote.ParcelLayout.P_LINK;
import static dev.hako.remote.ParcelLayout.P_NEWER;
import static dev.hako.remote.ParcelLayout.P_OLDER;
import static dev.hako.remote.ParcelLayout.P_OWNER;
import static dev.hako.remote.ParcelLayout.P_TAG;
import static dev.hako.remote.ParcelLayout.PENDING;
import static dev.hako.remote.ParcelLayout.RETURNS;
import static dev.hako.remote.ParcelLayout.SMALL;
import static dev.hako.remote.ParcelLayout.SMALL_BYTES;
import static dev.hako.remote.ParcelLayout.SMALL_CAPACITY;

/**
 * Strategy {@code parcel}, Hako's own: remote frees travel as <b>arrays of addresses</b>, so the remote path never
 * writes (or reads) a freed block, and one publication carries up to {@value ParcelLayout#CAPACITY} blocks.
 *
 * <ul>
 *   <li><b>Producer</b>: per destination owner an open parcel (a 1 KiB native buffer, {@link ParcelLayout}),
 *       found in O(1) through {@code OPEN[owner]}; a remote free appends {@code block | class << 56} to it with
 *       plain writes. A full parcel is pushed with one CAS onto the owner's inbound stack (the link is in the
 *       parcel's header, not in a block). Open parcels are listed by opening time; two limits keep them small:
 *       at most {@code maxOpen} parcels (a free for another owner ships the oldest first), and at most
 *       {@code budget} bytes of blocks in all of them: each may hold an equal share, {@code budget >> LEVEL} with
 *       {@code 2^LEVEL >= open parcels}, and a parcel that goes over its share ships. When the open count first
 *       exceeds a power of two the share halves and the parcels over it ship, oldest first (a walk that happens
 *       once per doubling); it grows back, one level at a time, as parcels ship. So the fast path compares the
 *       parcel's own bytes with the share: no producer-wide sum is written per free.</li>
 *   <li><b>Shipping</b> a parcel, whatever its count: one with more than {@value ParcelLayout#MEDIUM_CAPACITY}
 *       entries goes itself; fewer are copied into a 64 B or 256 B parcel that goes instead, and the 1 KiB parcel
 *       stays with the producer. So a block in flight costs at most 64 bytes of parcel, and is never written.</li>
 *   <li><b>Owner</b>, on a refill miss: takes its whole inbound stack with one exchange, files every entry into
 *       the cache bin of its class (blocks of other classes than the one asked for count as routed), and gives
 *       each emptied parcel back to its producer's returns stack of its size (one CAS per run of parcels of one
 *       producer and size). The list is checked before anything is filed: a link that is not a parcel, a count out
 *       of range or a list longer than every parcel carved (a cycle: a parcel pushed twice) fails the collect with
 *       an {@link IllegalStateException}, and nothing of that list enters a bin.</li>
 *   <li><b>Recycling</b>: a producer refills a private free list by taking its whole returns stack of that size
 *       with one exchange (MPSC, take-all: no ABA), so parcels circulate and stay cache-hot; only when none has come
 *       back does it carve a {@value #CHUNK_BYTES}-byte chunk of parcels from the parcel space (one atomic add).</li>
 *   <li><b>Loose fallback</b>, only when the parcel space is used up (or the kernel refuses to commit more of it)
 *       and no 1 KiB parcel has come back: the block travels alone, its link and class written into its first two
 *       words, onto the owner's loose list with one CAS. Counted as {@code fallbacks}.</li>
 * </ul>
 *
 * <p>Limits ({@code -D}, read when the allocator is built): {@code hako.parcel.budget} (bytes of blocks a producer
 * keeps in open parcels, default 1 MiB, suffix k/m allowed) and {@code hako.parcel.open} (open parcels per producer,
 * default {@value #DEFAULT_MAX_OPEN}). {@link #flushProducer} ships every open parcel. Whether the producer's own
 * refill miss also ships its open parcels is {@code -Dhako.parcel.missFlush=N} (those with at least N entries;
 * 0 = never, the default). Protocol and measurements: {@code docs/remote/parcel.md}.
 */
public final class ParcelRemoteFree extends RemoteFree {
    public static final String NAME = "parcel";
    /** Bytes of blocks a producer's open parcels may hold (see {@code docs/remote/parcel.md} for the choice). */
    static final long DEFAULT_BUDGET = 1L << 20;
    /** Open parcels per producer: a fan-out to this many owners keeps a parcel open for each (256 KiB). */
    static final int DEFAULT_MAX_OPEN = 256;
    /** Parcels are carved in chunks of this many bytes (32 large, 128 medium or 512 small ones). */
    static final long CHUNK_BYTES = 32L << 10;
    static final int CHUNK_PARCELS = (int) (CHUNK_BYTES / ParcelLayout.LARGE_BYTES);
    /** Minimum fill of an open parcel shipped on the producer's own refill miss; 0 = no miss flush. */
    private final int missFlush;

    private final int maxOwners;
    private final PageMap pages;
    private final IntSupplier highWater;
    private final int maxOpen;
    private final long budget;
    private final long regions;
    private final long regionBytes;
    private final long regionsBytes;
    private final AddressSpace parcelSpace;
    private final long parcelBase;
    private final long parcelEnd;
    private final AtomicLong parcelCursor;
    /** Set once the parcel space cannot give another chunk; then new parcels come only from recycling. */
    private volatile boolean spaceExhausted;

    public ParcelRemoteFree(RemoteContext context) {
        // Parcels cost at most 64 bytes per block in flight (plus the open ones); a quarter of the arena is far
        // more than a program can have in flight, and only what is carved is committed.
        this(context, Math.max(4L << 20, (context.pages().size() / 4) & -(1L << 20)), context.parcelOpen(),
                context.parcelBudget());
    }

    /** With a parcel space of {@code parcelSpaceBytes} (a multiple of the OS page; tests use a small one). */
    ParcelRemoteFree(RemoteContext context, long parcelSpaceBytes) {
        this(context, parcelSpaceBytes, DEFAULT_MAX_OPEN, DEFAULT_BUDGET);
    }

    /**
     * @param maxOpen open parcels per producer at most (&gt;= 1)
     * @param budget  bytes of blocks a producer's open parcels may hold (&gt;= 0; 0 ships every block at once)
     */
    ParcelRemoteFree(RemoteContext context, long parcelSpaceBytes, int maxOpen, long budget) {
        if (maxOpen < 1) throw new IllegalArgumentException("hako.parcel.open must be >= 1, was " + maxOpen);
        if (budget < 0) throw new IllegalArgumentException("hako.parcel.budget must be >= 0, was " + budget);
        this.missFlush = context.parcelMissFlush();
        if (context.maxOwners() > ParcelLayout.ID_MASK) {
            throw new IllegalArgumentException("parcel tags hold owner ids below 2^24, not " + context.maxOwners());
        }
        long arenaEnd = context.pages().base() + context.pages().size();
        if (Long.compareUnsigned(arenaEnd, 1L << ParcelLayout.CLASS_SHIFT) > 0) {
            throw new IllegalStateException("parcel entries need arena addresses below 2^56; arena ends at 0x"
                    + Long.toHexString(arenaEnd));
        }
        this.maxOwners = context.maxOwners();
        this.pages = context.pages();
        this.highWater = context.ownersHighWater();
        this.maxOpen = maxOpen;
        this.budget = budget;
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
        this.parcelBase = parcelSpace.base();
        this.parcelEnd = parcelBase + parcelSpace.size();
        this.parcelCursor = new AtomicLong(parcelBase);
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
    public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
        long region = region(producer.ownerId());
        long parcel = NativeMemory.getLongPlain(region + OPEN + ((long) owner << 3));
        if (parcel == 0) {
            open(producer, region, owner, sizeClass, block);
            return;
        }
        long fill = NativeMemory.getLongPlain(parcel + P_FILL);
        NativeMemory.setLongPlain(parcel + P_ENTRIES + ((long) (int) fill << 3), ParcelLayout.entry(block, sizeClass));
        long next = fill + ParcelLayout.fillOf(SizeClasses.size(sizeClass));
        NativeMemory.setLongPlain(parcel + P_FILL, next);
        long share = budget >>> NativeMemory.getIntPlain(region + LEVEL);
        // One sign test for both: the parcel is now full (it held CAPACITY - 1), or it holds more than its share.
        if (((CAPACITY - 2 - (int) fill) | (share - ParcelLayout.bytesOf(next))) < 0) ship(producer, region, parcel);
    }

    /** Opens a parcel for {@code owner} holding {@code block} (shipping the oldest if {@code maxOpen} are open). */
    private void open(RemoteHeap producer, long region, int owner, int sizeClass, long block) {
        if (NativeMemory.getIntPlain(region + OPENED) >= maxOpen) {
            ship(producer, region, NativeMemory.getLongPlain(region + OLDEST));
        }
        long parcel = takeEmpty(producer, region, LARGE);
        if (parcel == 0) { // no parcel to be had: this block travels alone
            sendLoose(producer, owner, block, sizeClass);
            return;
        }
        int size = SizeClasses.size(sizeClass);
        NativeMemory.setLongPlain(parcel + P_FILL, ParcelLayout.fillOf(size));
        NativeMemory.setLongPlain(parcel + P_ENTRIES, ParcelLayout.entry(block, sizeClass));
        NativeMemory.setIntPlain(parcel + P_OWNER, owner);
        long newest = NativeMemory.getLongPlain(region + NEWEST);
        NativeMemory.setLongPlain(parcel + P_OLDER, newest);
        NativeMemory.setLongPlain(parcel + P_NEWER, 0L);
        NativeMemory.setLongPlain(newest != 0 ? newest + P_NEWER : region + OLDEST, parcel);
        NativeMemory.setLongPlain(region + NEWEST, parcel);
        NativeMemory.setLongPlain(region + OPEN + ((long) owner << 3), parcel);
        int opened = NativeMemory.getIntPlain(region + OPENED) + 1;
        NativeMemory.setIntPlain(region + OPENED, opened);
        int level = NativeMemory.getIntPlain(region + LEVEL);
        if (opened > 1 << level) {
            raiseLevel(producer, region, level + 1);
        } else if (size > budget >>> level) {
            ship(producer, region, parcel);
        }
    }

    /**
     * More parcels are open than the shares allow: each may now hold half as much, and those holding more go
     * (oldest first). Happens when the open count first exceeds a power of two, so the walk costs O(1) per open.
     */
    private void raiseLevel(RemoteHeap producer, long region, int level) {
        NativeMemory.setIntPlain(region + LEVEL, level);
        long share = budget >>> level;
        for (long p = NativeMemory.getLongPlain(region + OLDEST); p != 0; ) {
            long newer = NativeMemory.getLongPlain(p + P_NEWER);
            if (ParcelLayout.bytesOf(NativeMemory.getLongPlain(p + P_FILL)) > share) ship(producer, region, p);
            p = newer;
        }
    }

    /**
     * Ships an open parcel, whatever its count: it leaves the open list and {@code OPEN[owner]}, its bytes leave
     * the budget, and one release CAS pushes it (or, holding few entries, a small copy of it) onto the owner's
     * inbound stack.
     */
    private void ship(RemoteHeap producer, long region, long parcel) {
        long older = NativeMemory.getLongPlain(parcel + P_OLDER);
        long newer = NativeMemory.getLongPlain(parcel + P_NEWER);
        NativeMemory.setLongPlain(older != 0 ? older + P_NEWER : region + OLDEST, newer);
        NativeMemory.setLongPlain(newer != 0 ? newer + P_OLDER : region + NEWEST, older);
        int opened = NativeMemory.getIntPlain(region + OPENED) - 1;
        NativeMemory.setIntPlain(region + OPENED, opened);
        // Fewer open parcels: larger shares, one level at a time with a level of slack (no walk going down).
        int level = NativeMemory.getIntPlain(region + LEVEL);
        if (opened == 0) {
            NativeMemory.setIntPlain(region + LEVEL, 0);
        } else if (level >= 2 && opened <= 1 << (level - 2)) {
            NativeMemory.setIntPlain(region + LEVEL, level - 1);
        }
        long fill = NativeMemory.getLongPlain(parcel + P_FILL);
        int owner = NativeMemory.getIntPlain(parcel + P_OWNER);
        NativeMemory.setLongPlain(region + OPEN + ((long) owner << 3), 0L);
        int n = ParcelLayout.entriesOf(fill);
        long out = parcel;
        long copy = n <= MEDIUM_CAPACITY ? takeEmpty(producer, region, n <= SMALL_CAPACITY ? SMALL : MEDIUM) : 0;
        if (copy != 0) { // few entries travel in a small copy; the large parcel stays with the producer
            for (long i = 0, end = (long) n << 3; i < end; i += 8) {
                NativeMemory.setLongPlain(copy + P_ENTRIES + i, NativeMemory.getLongPlain(parcel + P_ENTRIES + i));
            }
            NativeMemory.setLongPlain(parcel + P_LINK, NativeMemory.getLongPlain(region + FREE + 8L * LARGE));
            NativeMemory.setLongPlain(region + FREE + 8L * LARGE, parcel);
            out = copy;
        }
        NativeMemory.setIntPlain(out + P_COUNT, n);
        LinkedStack.push(producer, region(owner) + INBOUND, out, out);
        if (Stats.ENABLED) {
            producer.count(Counter.BATCH_PUBLISH, 1);
            producer.count(Counter.BATCH_BLOCKS, n);
        }
    }

    private void sendLoose(RemoteHeap producer, int owner, long block, int sizeClass) {
        NativeMemory.setLongPlain(block + L_CLASS, sizeClass);
        LinkedStack.push(producer, region(owner) + LOOSE, block, block);
        if (Stats.ENABLED) producer.count(Counter.FALLBACK, 1);
    }

    /** An empty parcel of this size: the free list, else what owners gave back, else a fresh chunk; 0 if none. */
    private long takeEmpty(RemoteHeap producer, long region, int size) {
        long free = region + FREE + 8L * size;
        long parcel = NativeMemory.getLongPlain(free);
        if (parcel == 0) {
            parcel = LinkedStack.takeAll(region + RETURNS + 8L * size);
            if (parcel != 0) {
                if (Stats.ENABLED) producer.count(Counter.CAS_ATTEMPT, 1);
            } else {
                parcel = carveChunk(producer, size);
                if (parcel == 0) return 0;
            }
        }
        NativeMemory.setLongPlain(free, NativeMemory.getLongPlain(parcel + P_LINK));
        return parcel;
    }

    /** Carves a chunk of parcels of one size for {@code producer}, linked as a list; 0 when the space is used up. */
    private long carveChunk(RemoteHeap producer, int size) {
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
        int tag = ParcelLayout.tag(producer.ownerId(), size);
        long step = ParcelLayout.bytes(size);
        long end = start + CHUNK_BYTES;
        for (long p = start; p < end; p += step) {
            NativeMemory.setIntPlain(p + P_TAG, tag);
            NativeMemory.setLongPlain(p + P_LINK, p + step < end ? p + step : 0L);
        }
        return start;
    }

    @Override
    public void flushProducer(RemoteHeap producer) {
        if (shipOpen(producer, 1) && Stats.ENABLED) producer.count(Counter.PRODUCER_FLUSH, 1);
    }

    /** Ships every open parcel holding at least {@code minEntries}, oldest first; returns whether any went. */
    private boolean shipOpen(RemoteHeap producer, int minEntries) {
        long region = region(producer.ownerId());
        boolean any = false;
        for (long p = NativeMemory.getLongPlain(region + OLDEST); p != 0; ) {
            long newer = NativeMemory.getLongPlain(p + P_NEWER);
            if (ParcelLayout.entriesOf(NativeMemory.getLongPlain(p + P_FILL)) >= minEntries) {
                ship(producer, region, p);
                any = true;
            }
            p = newer;
        }
        return any;
    }

    // ================================================================ owner

    @Override
    public int collect(RemoteHeap owner, int sizeClass) {
        if (missFlush > 0 && shipOpen(owner, missFlush) && Stats.ENABLED) owner.count(Counter.PRODUCER_FLUSH, 1);
        return drain(owner, sizeClass);
    }

    @Override
    public long collectAll(RemoteHeap owner) {
        return drain(owner, -1);
    }

    /**
     * Files waiting blocks into {@code owner}: the loose list whole, then parcels, lazily. Parcels taken from the
     * inbound stack (checked whole first) wait in the owner's pending chain, and a refill miss of {@code sizeClass}
     * files parcels from it only until one has brought a block of that class: a large inbound backlog then waits as
     * compact parcels instead of overflowing every bin to the pages and coming back through them. {@code -1} files
     * everything (the housekeeper, trim). Emptied parcels go back to their producers in runs, once 32 have gathered
     * or nothing is pending. Returns how many blocks of {@code sizeClass} were filed (-1: how many in all).
     */
    private int drain(RemoteHeap owner, int sizeClass) {
        long region = region(owner.ownerId());
        long parcels = NativeMemory.getLongPlain(region + PENDING);
        long loose = LinkedStack.takeAll(region + LOOSE);
        boolean taken = false;
        if (parcels == 0) {
            parcels = LinkedStack.takeAll(region + INBOUND);
            taken = parcels != 0;
        }
        if ((parcels | loose) == 0) {
            if (Stats.ENABLED) owner.count(Counter.DRAIN_EMPTY, 1);
            return 0;
        }
        int wanted = 0;
        long delivered = 0;
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
        if (taken) checkParcels(owner.ownerId(), parcels);
        long p = parcels;
        try {
            for (;;) {
                while (p != 0 && (sizeClass < 0 || wanted == 0)) {
                    long next = NativeMemory.getLongPlain(p + P_LINK);
                    int n = NativeMemory.getIntPlain(p + P_COUNT);
                    for (int i = 0; i < n; i++) {
                        long e = NativeMemory.getLongPlain(p + P_ENTRIES + ((long) i << 3));
                        int c = ParcelLayout.classOf(e);
                        owner.acceptFree(c, ParcelLayout.blockOf(e));
                        if (c == sizeClass) wanted++;
                    }
                    delivered += n;
                    emptied(region, p);
                    p = next;
                }
                // The pending chain ran out and more is wanted: what arrived since is taken too (once per call).
                if (p != 0 || taken || (sizeClass >= 0 && wanted > 0)) break;
                p = LinkedStack.takeAll(region + INBOUND);
                if (p == 0) break;
                taken = true;
                checkParcels(owner.ownerId(), p);
            }
        } catch (RuntimeException corrupt) { // a block refused: nothing after it is filed, the rest is dropped
            NativeMemory.setLongPlain(region + PENDING, 0L);
            throw corrupt;
        }
        NativeMemory.setLongPlain(region + PENDING, p);
        if (p == 0 || NativeMemory.getLongPlain(region + EMPTIED_COUNT) >= RETURN_BATCH) giveBackEmptied(owner, region);
        if (Stats.ENABLED) {
            if (taken) owner.count(Counter.DRAIN, 1);
            owner.count(Counter.DRAINED_BLOCKS, delivered);
            owner.count(Counter.ROUTED, delivered - wanted);
        }
        return sizeClass < 0 ? (int) delivered : wanted;
    }

    /** Emptied parcels gathered before they go back to their producers (fewer CAS per parcel). */
    static final int RETURN_BATCH = 32;

    /** Appends an emptied parcel to the owner's chain of parcels to give back (filing order keeps runs together). */
    private static void emptied(long region, long parcel) {
        NativeMemory.setLongPlain(parcel + P_LINK, 0L);
        long tail = NativeMemory.getLongPlain(region + EMPTIED_TAIL);
        if (tail == 0) NativeMemory.setLongPlain(region + EMPTIED, parcel);
        else NativeMemory.setLongPlain(tail + P_LINK, parcel);
        NativeMemory.setLongPlain(region + EMPTIED_TAIL, parcel);
        NativeMemory.setLongPlain(region + EMPTIED_COUNT, NativeMemory.getLongPlain(region + EMPTIED_COUNT) + 1);
    }

    /** Gives the emptied parcels back: consecutive parcels of one producer and size go with one push. */
    private void giveBackEmptied(RemoteHeap owner, long region) {
        int runTag = 0;
        long runHead = 0, runTail = 0;
        for (long p = NativeMemory.getLongPlain(region + EMPTIED); p != 0; ) {
            long next = NativeMemory.getLongPlain(p + P_LINK);
            int tag = NativeMemory.getIntPlain(p + P_TAG);
            if (tag != runTag) {
                if (runHead != 0) giveBack(owner, runTag, runHead, runTail);
                runTag = tag;
                runHead = p;
            }
            runTail = p;
            p = next;
        }
        if (runHead != 0) giveBack(owner, runTag, runHead, runTail);
        NativeMemory.setLongPlain(region + EMPTIED, 0L);
        NativeMemory.setLongPlain(region + EMPTIED_TAIL, 0L);
        NativeMemory.setLongPlain(region + EMPTIED_COUNT, 0L);
    }

    /** Pushes a run of emptied parcels of one producer and size onto that producer's returns stack of the size. */
    private void giveBack(RemoteHeap owner, int tag, long first, long last) {
        LinkedStack.push(owner, region(tag & ParcelLayout.ID_MASK) + RETURNS + 8L * (tag >>> ParcelLayout.ID_BITS),
                first, last);
    }

    /**
     * Checks a taken parcel list before anything is filed from it: every link is a parcel of the parcel space (a
     * known size, aligned to it, of a known producer) holding 1..capacity entries, and the list is no longer than
     * the number of parcels that can exist (a longer one has a cycle: a parcel was pushed twice). A list that fails
     * is not filed at all, so no block enters a bin twice.
     */
    private void checkParcels(int owner, long parcels) {
        // Any parcel published to this owner was carved before its push, which the exchange has seen.
        long top = Math.min(parcelCursor.get(), parcelEnd);
        long bound = (top - parcelBase) / SMALL_BYTES;
        long seen = 0;
        for (long p = parcels; p != 0; p = NativeMemory.getLongPlain(p + P_LINK)) {
            long offset = p - parcelBase;
            int tag = Long.compareUnsigned(offset, top - parcelBase) < 0 && (offset & (SMALL_BYTES - 1)) == 0
                    ? NativeMemory.getIntPlain(p + P_TAG) : -1;
            int size = tag >>> ParcelLayout.ID_BITS, producer = tag & ParcelLayout.ID_MASK;
            if (tag == -1 || size > LARGE || (offset & (ParcelLayout.bytes(size) - 1)) != 0 || producer < 1
                    || producer > maxOwners) {
                throw new IllegalStateException("owner " + owner + "'s inbound parcel list holds 0x"
                        + Long.toHexString(p) + ", which is not a parcel: the list is corrupt");
            }
            int n = NativeMemory.getIntPlain(p + P_COUNT);
            if (n < 1 || n > ParcelLayout.capacity(size)) {
                throw new IllegalStateException("owner " + owner + "'s inbound parcel 0x" + Long.toHexString(p)
                        + " holds " + n + " entries (1.." + ParcelLayout.capacity(size) + " expected): the list is"
                        + " corrupt");
            }
            if (++seen > bound) {
                throw new IllegalStateException("owner " + owner + "'s inbound parcel list is longer than every parcel"
                        + " that can exist (" + bound + "): a parcel was pushed twice (a producer's state used by two"
                        + " threads at once?)");
            }
        }
    }

    // ================================================================ audit, tests, close

    @Override
    public void forEachHeld(BlockVisitor visitor) {
        int top = Math.min(maxOwners, highWater.getAsInt());
        long bound = (Math.min(parcelCursor.get(), parcelEnd) - parcelBase) / SMALL_BYTES;
        for (int id = 1; id <= top; id++) {
            long region = region(id);
            long seen = 0;
            for (long p = NativeMemory.getLongAcquire(region + INBOUND); p != 0; p = NativeMemory.getLongPlain(p)) {
                if (seen++ > bound) throw new IllegalStateException("owner " + id + "'s inbound parcels form a cycle");
                visitEntries(p, NativeMemory.getIntPlain(p + P_COUNT), visitor);
            }
            LinkedStack.forEach(region + LOOSE, visitor);
            seen = 0;
            for (long p = NativeMemory.getLongPlain(region + PENDING); p != 0; p = NativeMemory.getLongPlain(p)) {
                if (seen++ > bound) throw new IllegalStateException("owner " + id + "'s pending parcels form a cycle");
                visitEntries(p, NativeMemory.getIntPlain(p + P_COUNT), visitor);
            }
            seen = 0;
            for (long p = NativeMemory.getLongPlain(region + OLDEST); p != 0; p = newer(p)) {
                if (seen++ > bound) throw new IllegalStateException("producer " + id + "'s open parcels form a cycle");
                visitEntries(p, ParcelLayout.entriesOf(NativeMemory.getLongPlain(p + P_FILL)), visitor);
            }
        }
    }

    private static long newer(long openParcel) {
        return NativeMemory.getLongPlain(openParcel + P_NEWER);
    }

    private static void visitEntries(long parcel, int n, BlockVisitor visitor) {
        for (int i = 0; i < n; i++) {
            visitor.visit(ParcelLayout.blockOf(NativeMemory.getLongPlain(parcel + P_ENTRIES + ((long) i << 3))));
        }
    }

    /** The open parcel of {@code producer} for {@code owner}, 0 if none (tests; caller guarantees quiescence). */
    long openParcel(int producer, int owner) {
        return NativeMemory.getLongPlain(region(producer) + OPEN + ((long) owner << 3));
    }

    /** The address of {@code owner}'s inbound head (tests read it and push onto it directly). */
    long inboundHead(int owner) {
        return region(owner) + INBOUND;
    }

    /** Open parcels of {@code producer} (tests; quiescent). */
    int openParcels(int producer) {
        return NativeMemory.getIntPlain(region(producer) + OPENED);
    }

    /** Bytes of blocks in {@code producer}'s open parcels (tests; quiescent). */
    long heldBytes(int producer) {
        long held = 0;
        for (long p = NativeMemory.getLongPlain(region(producer) + OLDEST); p != 0; p = newer(p)) {
            held += ParcelLayout.bytesOf(NativeMemory.getLongPlain(p + P_FILL));
        }
        return held;
    }

    /** What each of {@code producer}'s open parcels may hold now (tests; quiescent). */
    long share(int producer) {
        return budget >>> NativeMemory.getIntPlain(region(producer) + LEVEL);
    }

    /** Entries of a shipped parcel (tests; quiescent). */
    static int count(long parcel) {
        return NativeMemory.getIntPlain(parcel + P_COUNT);
    }

    /** Entries of an open parcel (tests; quiescent). */
    static int openCount(long parcel) {
        return ParcelLayout.entriesOf(NativeMemory.getLongPlain(parcel + P_FILL));
    }

    /** The size in bytes of a parcel (tests). */
    static long sizeOf(long parcel) {
        return ParcelLayout.bytes(NativeMemory.getIntPlain(parcel + P_TAG) >>> ParcelLayout.ID_BITS);
    }

    /** Chunks carved from the parcel space so far (tests: recycling keeps this flat). */
    long chunksCarved() {
        return (Math.min(parcelCursor.get(), parcelEnd) - parcelBase) / CHUNK_BYTES;
    }

    @Override
    public void close() {
        parcelSpace.close();
        OsMemory.unmap(regions, regionsBytes);
    }
}
