package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The parcel hand-off ({@code docs/remote/parcel.md}, "Who writes what": the parcel's entries and count, and the
 * {@code INBOUND(o)} head), with the production code of both sides: the producer appends entries to its open parcel
 * ({@link ParcelRemoteFree#send}) and ships it ({@link ParcelRemoteFree#flushProducer}: count written plainly, then
 * the release CAS on the owner's inbound head); the owner's refill miss ({@link ParcelRemoteFree#collect}) takes the
 * stack with the acquire exchange, checks the list and files every entry.
 *
 * <p>Parcels are recycled: the owner gives each emptied parcel back to the producer (release CAS on its
 * {@code RETURNS} head), which takes it back (acquire exchange) to fill it for a later state. A stale entry therefore
 * shows up as another state's block, and a stale count as a parcel the check refuses.
 *
 * <p>Results: {@code r1} entries the owner's collect filed, {@code r2} entries a later collect (the arbiter) filed,
 * {@code r3} 1 if exactly the sent blocks were filed, in order and with their classes, 0 if not, -1 if the owner
 * refused the parcel list (a count or link it saw stale).
 *
 * <p>One strategy instance per forked JVM; the producer is always id 1 (jcstress runs the producer actor on one
 * thread at a time, as a heap's thread), each live state has an owner id of its own, so states never see each
 * other's parcels. Blocks are addresses of a committed arena that this path never touches. Lives in
 * {@code dev.hako.remote} to reach the package-private strategy constructor (the core is on the class path).
 */
public final class ParcelHandOffTest {
    private ParcelHandOffTest() {}

    /** Owner ids for live states, plus one producer id; see {@link IdPool}. */
    private static final int MAX_OWNERS = 12_288;
    private static final ParcelRemoteFree PARCELS = new ParcelRemoteFree(
            new RemoteContext(MAX_OWNERS, Fixtures.PAGES, () -> MAX_OWNERS), 64L << 20);
    private static final IdPool OWNERS = new IdPool(Fixtures.PRODUCER + 1, MAX_OWNERS);

    /** Classes the entries cycle through (the class travels in the entry's top byte). */
    private static final int[] CLASSES = {0, 5, 64, 127};
    private static final int MAX_ENTRIES = 40;
    /** States in flight never reuse each other's block addresses: 32,768 slots of 40 blocks of 16 bytes. */
    private static final int SLOTS = 1 << 15;
    private static final AtomicLong SERIAL = new AtomicLong();

    static {
        if ((long) SLOTS * MAX_ENTRIES * 16 > Fixtures.ARENA.size()) throw new AssertionError("arena too small");
        if (SizeClasses.size(CLASSES[3]) * MAX_ENTRIES > ParcelRemoteFree.DEFAULT_BUDGET) {
            throw new AssertionError("entries over the budget would ship early");
        }
    }

    abstract static class HandOff {
        private final int owner = OWNERS.take();
        private final long[] blocks;
        private final RecordingHeap ownerHeap;
        private boolean refused;

        HandOff(int entries) {
            long slot = SERIAL.getAndIncrement() & (SLOTS - 1);
            blocks = new long[entries];
            for (int i = 0; i < entries; i++) blocks[i] = Fixtures.ARENA.base() + (slot * MAX_ENTRIES + i) * 16;
            ownerHeap = new RecordingHeap(owner, blocks, entries, false);
        }

        final void producerActor() {
            for (int i = 0; i < blocks.length; i++) {
                PARCELS.send(Fixtures.PRODUCER_HEAP, owner, CLASSES[i % CLASSES.length], blocks[i]);
            }
            PARCELS.flushProducer(Fixtures.PRODUCER_HEAP);
        }

        final void ownerActor(III_Result r) {
            try {
                PARCELS.collect(ownerHeap, CLASSES[0]);
            } catch (IllegalStateException corrupt) {
                refused = true;
            }
            r.r1 = ownerHeap.count;
        }

        final void arbiter(III_Result r) {
            if (refused) { // the owner's region may hold half a hand-off: its id is not reused
                r.r3 = -1;
                return;
            }
            int before = ownerHeap.count;
            try {
                PARCELS.collectAll(ownerHeap);
            } catch (IllegalStateException corrupt) {
                r.r3 = -1;
                return;
            }
            r.r2 = ownerHeap.count - before;
            r.r3 = verdict();
            OWNERS.giveBack(owner);
        }

        private int verdict() {
            if (ownerHeap.count != blocks.length) return 0;
            for (int i = 0; i < blocks.length; i++) {
                if (ownerHeap.filed[i] != blocks[i] || ownerHeap.filedClasses[i] != CLASSES[i % CLASSES.length]) {
                    return 0;
                }
            }
            return 1;
        }
    }

    /** Three entries: shipping copies them into a 64-byte parcel (the common shape of a flush). */
    @JCStressTest
    @Description("parcel: three entries shipped in a 64-byte copy (count and entries plain, then the release CAS on"
            + " INBOUND); the owner's acquire exchange must see them all")
    @Outcome(id = "0, 3, 1", expect = Expect.ACCEPTABLE, desc = "the owner looked before the parcel was shipped")
    @Outcome(id = "3, 0, 1", expect = Expect.ACCEPTABLE, desc = "the owner took the parcel and filed its entries")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "a stale or lost entry")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the parcel seen, its count or link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class SmallCopy extends HandOff {
        public SmallCopy() {
            super(3);
        }

        @Actor
        public void producer() {
            producerActor();
        }

        @Actor
        public void owner(III_Result r) {
            ownerActor(r);
        }

        @Arbiter
        public void later(III_Result r) {
            arbiter(r);
        }
    }

    /** Forty entries: more than a 256-byte parcel holds, so the 1 KiB parcel the producer filled ships itself. */
    @JCStressTest
    @Description("parcel: forty entries, the 1 KiB parcel itself shipped (count written at shipping, then the release"
            + " CAS on INBOUND); the owner's acquire exchange must see them all")
    @Outcome(id = "0, 40, 1", expect = Expect.ACCEPTABLE, desc = "the owner looked before the parcel was shipped")
    @Outcome(id = "40, 0, 1", expect = Expect.ACCEPTABLE, desc = "the owner took the parcel and filed its entries")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "a stale or lost entry")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the parcel seen, its count or link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class WholeParcel extends HandOff {
        public WholeParcel() {
            super(MAX_ENTRIES);
        }

        @Actor
        public void producer() {
            producerActor();
        }

        @Actor
        public void owner(III_Result r) {
            ownerActor(r);
        }

        @Arbiter
        public void later(III_Result r) {
            arbiter(r);
        }
    }

    /**
     * The other direction ({@code RETURNS(p)}): the owner reads an emptied parcel's entry, then gives the parcel
     * back with {@link LinkedStack#push}'s release CAS; the producer takes its returns with {@link
     * LinkedStack#takeAll}'s acquire exchange and refills the parcel. The owner's read must not see the refill: the
     * release orders the read before the return. (The two tests above also recycle parcels between states, through
     * the strategy's own code; this one isolates the pair.) Results: {@code r1} the entry the owner read, {@code
     * r2} 1 if the producer got the parcel back and refilled it.
     */
    @JCStressTest
    @Description("parcel RETURNS: the owner's read of an entry happens before its release CAS that returns the"
            + " parcel; the producer's refill after its acquire exchange must not be seen by that read")
    @Outcome(id = {"1, 0", "1, 1"}, expect = Expect.ACCEPTABLE, desc = "the owner read the entry it was sent")
    @Outcome(id = "2, 1", expect = Expect.FORBIDDEN, desc = "the owner read the producer's refill of a parcel it had"
            + " already returned")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class ReturnThenRefill {
        private static final long SENT = 1, REFILL = 2;
        private final MemorySegment memory = Fixtures.perState(256, 128);
        private final long returns = memory.address();
        private final long parcel = returns + 128;

        public ReturnThenRefill() {
            NativeMemory.setLongPlain(parcel + ParcelLayout.P_ENTRIES, SENT);
            NativeMemory.setIntPlain(parcel + ParcelLayout.P_COUNT, 1);
        }

        @Actor
        public void owner(JJ_Result r) {
            r.r1 = NativeMemory.getLongPlain(parcel + ParcelLayout.P_ENTRIES);
            LinkedStack.push(Fixtures.PRODUCER_HEAP, returns, parcel, parcel);
        }

        @Actor
        public void producer(JJ_Result r) {
            long back = LinkedStack.takeAll(returns);
            if (back == 0) return;
            NativeMemory.setLongPlain(back + ParcelLayout.P_ENTRIES, REFILL);
            r.r2 = 1;
        }
    }
}
