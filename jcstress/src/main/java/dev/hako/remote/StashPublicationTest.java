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
 * The {@code OwnerStash} head's publication ({@code docs/CONCURRENCY.md}: the head and the block's first word), with
 * the production code of both sides: the producer writes a block plainly (its payload and, inside
 * {@link LinkedStack#pushBlocks}, its safe-linked link) and publishes it with the release CAS on the head; the owner
 * takes the whole list with {@link LinkedStack#drainBlocks}'s acquire exchange, walks the links (each checked with
 * {@link RemoteHeap#owns} before it is read) and files the blocks, reading each one's payload as its next malloc
 * would.
 *
 * <p>The stack already holds block A when the actors start (published by the thread that built the state, which
 * jcstress orders before the actors), so the owner always takes something and the walk always follows a link that
 * the producer may just have written: B's link to A.
 *
 * <p>Results: {@code r1} blocks the owner filed, {@code r2} blocks left for the arbiter (a later collect),
 * {@code r3} 1 if every block was filed once with its payload, 0 if a block came with a stale payload, -1 if the
 * walk met a link that is not one of the owner's blocks (a stale link: the drain refuses the list).
 *
 * <p>Lives in {@code dev.hako.remote} to reach the package-private {@link LinkedStack}: the jcstress jar holds the
 * core's classes on the class path (one unnamed module), which is fine for tests.
 */
public final class StashPublicationTest {
    private StashPublicationTest() {}

    private static final int CLASS = 1;
    private static final long PAYLOAD_A = 0xA11CE_0000_0001L;
    private static final long PAYLOAD_B = 0xB0B00_0000_0002L;
    private static final long PAYLOAD_C = 0xC0C00_0000_0003L;

    /** One state: a stash head on its own 128-byte line, then three 32-byte blocks. */
    abstract static class Stack {
        private final MemorySegment memory = Fixtures.perState(256, 128);
        final long head = memory.address();
        final long a = head + 128, b = head + 160, c = head + 192;
        private final RecordingHeap owner;
        private final int sent;
        private boolean corrupt;
        private int byOwner;

        Stack(int sent) {
            this.sent = sent;
            owner = new RecordingHeap(Fixtures.OWNER, new long[] {a, b, c}, 3, true);
            NativeMemory.setLongPlain(a + 8, PAYLOAD_A);
            LinkedStack.pushBlocks(Fixtures.PRODUCER_HEAP, head, a, a);
        }

        /** The owner's collect: returns how many blocks it filed. */
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
            byOwner = drain();
            r.r1 = byOwner;
        }

        final void arbiter(III_Result r) {
            r.r2 = corrupt ? 0 : drain();
            r.r3 = corrupt ? -1 : verdict();
        }

        private int verdict() {
            if (owner.count != sent) return 0;
            long seen = 0;
            for (int i = 0; i < owner.count; i++) {
                long block = owner.filed[i];
                long expected = block == a ? PAYLOAD_A : block == b ? PAYLOAD_B : block == c ? PAYLOAD_C : -1;
                int bit = block == a ? 1 : block == b ? 2 : 4;
                if (owner.payloads[i] != expected || (seen & bit) != 0) return 0;
                seen |= bit;
            }
            return 1;
        }
    }

    @JCStressTest
    @Description("push: a block published with the release CAS on the stash head; the owner's acquire exchange"
            + " must see its link and payload")
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "the owner took A alone; B came after its exchange")
    @Outcome(id = "2, 0, 1", expect = Expect.ACCEPTABLE, desc = "the owner took B and A")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "a block taken with a stale payload, or lost")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the head seen, the link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class OneBlock extends Stack {
        public OneBlock() {
            super(2);
        }

        @Actor
        public void producer() {
            NativeMemory.setLongPlain(b + 8, PAYLOAD_B);
            LinkedStack.pushBlocks(Fixtures.PRODUCER_HEAP, head, b, b);
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
     * batch and inbox: a group of blocks linked before the push (the non-tail link written when the group was
     * built, the tail's inside the CAS loop), published with one release CAS.
     */
    @JCStressTest
    @Description("batch/inbox: a chain B -> C published with one release CAS; the owner must see both links and"
            + " payloads")
    @Outcome(id = "1, 2, 1", expect = Expect.ACCEPTABLE, desc = "the owner took A alone; the chain came after")
    @Outcome(id = "3, 0, 1", expect = Expect.ACCEPTABLE, desc = "the owner took B, C and A")
    @Outcome(id = ".*, .*, 0", expect = Expect.FORBIDDEN, desc = "a block taken with a stale payload, or lost")
    @Outcome(id = ".*, .*, -1", expect = Expect.FORBIDDEN, desc = "the head seen, a link stale")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class Chain extends Stack {
        public Chain() {
            super(3);
        }

        @Actor
        public void producer() {
            NativeMemory.setLongPlain(b + 8, PAYLOAD_B);
            NativeMemory.setLongPlain(c + 8, PAYLOAD_C);
            LinkedStack.setLink(b, c);
            LinkedStack.pushBlocks(Fixtures.PRODUCER_HEAP, head, b, c);
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
