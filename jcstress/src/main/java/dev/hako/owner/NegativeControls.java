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
 * NEGATIVE CONTROL, not part of the normal run (see {@code dev.hako.remote.NegativeControls}): the owner slot's
 * hand-over of {@code OwnerSlotTest.HandOver} with a plain state word (plain store to release, plain read to claim),
 * graded the same way.
 */
public final class NegativeControls {
    private NegativeControls() {}

    private static final int CLASS = 7;
    private static final long BLOCK = 0x7000_0000_1230L;

    /**
     * Expected on x86: rarely or never caught. The hardware keeps stores in order and loads in order (TSO); only
     * C2 could move the claimant's plain reads of the store and bins above its plain read of the state word (they
     * are different fields and arrays), or the holder's plain state store above its bin writes.
     */
    @JCStressTest
    @Description("NEGATIVE CONTROL: owner slot with a plain state word (x86: not expected to be caught)")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the claim came while the holder still held the id")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "claimed after the release: the bins as left")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "claimed, but the store or its bins seen stale (empty)")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class PlainSlot {
        private int state = OwnerSlot.CLAIMED;
        private CacheStore store;

        @Actor
        public void holderDetaches() {
            CacheStore s = store == null ? store = new CacheStore() : store;
            Bins.cache(s, CLASS, BLOCK);
            state = OwnerSlot.VACANT;
        }

        @Actor
        public void nextClaims(II_Result r) {
            if (state != OwnerSlot.VACANT) return;
            state = OwnerSlot.CLAIMED;
            r.r1 = 1;
            CacheStore s = store == null ? store = new CacheStore() : store;
            long top = Bins.top(s, CLASS);
            r.r2 = Bins.count(s, CLASS) == 0 ? 0 : top == BLOCK ? 1 : -1;
        }
    }
}
