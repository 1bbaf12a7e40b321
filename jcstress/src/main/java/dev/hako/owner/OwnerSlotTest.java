package dev.hako.owner;

import dev.hako.cache.Bins;
import dev.hako.cache.CacheStore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link OwnerSlot#state} ({@code docs/CONCURRENCY.md}): the release store of {@code VACANT} and the acquire CAS of
 * the next claim hand an id's {@link CacheStore} (a plain field of the slot, created by the first holder) and its
 * plain bins from one holder to the next: a thread that adopts an id, or the housekeeper claiming a parked store.
 * Lives in {@code dev.hako.owner} to reach the package-private slot (the core is on the class path).
 */
public final class OwnerSlotTest {
    private OwnerSlotTest() {}

    private static final int CLASS = 7;
    private static final long BLOCK = 0x7000_0000_1230L;

    /**
     * The holder (which claimed the slot when the state was built: jcstress orders that before the actors) creates
     * the store, caches a block and detaches; the next claimant, if its claim succeeds, must find that block.
     * Results: {@code r1} 1 if the claim succeeded; {@code r2} 1 if the claimant found the bin as left, 0 if it
     * found it empty (a stale store field or count), -1 if it found another block.
     */
    @JCStressTest
    @Description("owner slot: release store of VACANT, acquire CAS of the next claim; the new holder must see the"
            + " store and the bins the last one left")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the claim came while the holder still held the id")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "claimed after the release: the bins as left")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "claimed, but the store or its bins seen stale (empty)")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class HandOver {
        private final OwnerSlot slot = new OwnerSlot(1);

        public HandOver() {
            if (!slot.tryClaim()) throw new AssertionError("a new slot is vacant");
        }

        @Actor
        public void holderDetaches() {
            Bins.cache(slot.store(), CLASS, BLOCK);
            slot.release();
        }

        @Actor
        public void nextClaims(II_Result r) {
            if (!slot.tryClaim()) return;
            r.r1 = 1;
            CacheStore store = slot.store();
            long top = Bins.top(store, CLASS);
            r.r2 = Bins.count(store, CLASS) == 0 ? 0 : top == BLOCK ? 1 : -1;
        }
    }

    /** Two threads claim a vacant id: exactly one gets it. Results: each claimant's {@code tryClaim}. */
    @JCStressTest
    @Description("owner slot: two claims of a vacant id; exactly one succeeds")
    @Outcome(id = {"1, 0", "0, 1"}, expect = Expect.ACCEPTABLE, desc = "one claimant holds the id")
    @Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "both hold it: two heaps on one store")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class ClaimRace {
        private final OwnerSlot slot = new OwnerSlot(1);

        @Actor
        public void first(II_Result r) {
            r.r1 = slot.tryClaim() ? 1 : 0;
        }

        @Actor
        public void second(II_Result r) {
            r.r2 = slot.tryClaim() ? 1 : 0;
        }
    }
}
