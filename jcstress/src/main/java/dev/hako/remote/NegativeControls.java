package dev.hako.remote;

import dev.hako.memory.NativeMemory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.lang.foreign.MemorySegment;

/**
 * NEGATIVE CONTROLS, not part of the normal run ({@code ./hako jcstress} leaves out every test whose name holds
 * {@code NegativeControls}; {@code ./hako jcstress --negative-controls} runs only them, and reports a FAILED test as
 * the expected result). Each breaks the stash publication of {@link StashPublicationTest} on purpose, with the same
 * owner side (the production {@link LinkedStack#drainBlocks}) and the same outcome grading, to show what the test
 * can and cannot see on this machine. The stack starts empty, so that a broken push cannot also duplicate a block
 * (which would be caught for another reason than ordering).
 */
public final class NegativeControls {
    private NegativeControls() {}

    private static final int CLASS = 1;
    private static final long PAYLOAD = 0xB0B00_0000_0002L;

    abstract static class EmptyStack {
        private final MemorySegment memory = Fixtures.perState(256, 128);
        final long head = memory.address();
        final long b = head + 128;
        private final RecordingHeap owner = new RecordingHeap(Fixtures.OWNER, new long[] {b}, 1, true);
        private boolean corrupt;

        final int drain() {
            int before = owner.count;
            try {
                LinkedStack.drainBlocks(owner, head, CLASS, Fixtures.PAGES);
            } catch (IllegalStateException staleLink) {
                corrupt = true;
            }
            return owner.count - before;
        }

        final void ownerActor(III_Result r) {
            r.r1 = drain();
        }

        final void arbiter(III_Result r) {
            r.r2 = corrupt ? 0 : drain();
            r.r3 = corrupt ? -1 : owner.count == 1 && owner.payloads[0] == PAYLOAD ? 1 : 0;
        }
    }

    /**
     * A program-order bug: the head is published (release CAS) before the block's link and payload are written.
     * Expected: caught (forbidden outcomes), whatever the hardware, since the bug is in the program order itself.
     */
    @JCStressTest
    @Description("NEGATIVE CONTROL: head published before the link and payload are written (expected: caught)")
    @Outcome(id = {"0, 1, 1", "1, 0, 1"}, expect = Expect.ACCEPTABLE, desc = "the block arrived whole")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "the block taken with a stale payload")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the head seen, the link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class HeadBeforeLink extends EmptyStack {
        @Actor
        public void producer() {
            NativeMemory.caxLongRelease(head, 0L, b);
            LinkedStack.setLink(b, 0L);
            NativeMemory.setLongPlain(b + 8, PAYLOAD);
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
     * The release CAS weakened to a plain store of the head (link and payload still written before it). The Java
     * memory model allows the owner to see the head and a stale link or payload. Expected on x86: not caught. The
     * hardware keeps stores in order (TSO) and the owner's reads of the block depend on the address it read from
     * the head; C2 keeps the order of these stores too, as all three are raw native-memory accesses of one alias
     * class. The test can only catch this on a weakly ordered CPU (AArch64, POWER).
     */
    @JCStressTest
    @Description("NEGATIVE CONTROL: head published with a plain store instead of the release CAS (x86: not"
            + " expected to be caught)")
    @Outcome(id = {"0, 1, 1", "1, 0, 1"}, expect = Expect.ACCEPTABLE, desc = "the block arrived whole")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "the block taken with a stale payload")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the head seen, the link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class PlainHeadStore extends EmptyStack {
        @Actor
        public void producer() {
            NativeMemory.setLongPlain(b + 8, PAYLOAD);
            LinkedStack.setLink(b, 0L);
            NativeMemory.setLongPlain(head, b);
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
}
