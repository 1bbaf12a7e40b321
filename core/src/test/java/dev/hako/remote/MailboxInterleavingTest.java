package dev.hako.remote;

import dev.hako.memory.NativeMemory;
import dev.hako.remote.StrategyHarness.TestHeap;
import dev.hako.testing.Interleavings;
import dev.hako.testing.Interleavings.Actor;
import dev.hako.testing.Interleavings.Outcome;
import dev.hako.testing.Interleavings.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every interleaving of one producer and one owner on one outbox, stepping the real protocol methods of
 * {@link Mailbox0Outbox}, {@link Mailbox2Outbox} and {@link PendingBits} one shared-memory access at a time
 * (sequentially consistent: the memory-order argument is in docs/remote/mailbox.md). Every end state must
 * account for each freed block exactly once (delivered to the owner, fallen back to the stash, or held by the
 * outbox, as the audit sees it); then a flush and a final collect must deliver everything, and for mailbox2 no
 * handed-over buffer may be left without its pending bit.
 *
 * <p>Negative controls show that the exploration catches the races it is meant to exclude: the archived
 * S147-0 code (modelled here as it was), the same mistake made with our own steps (giving the outbox back
 * before reading it), and for mailbox2 clearing the pending bit after the visit instead of before.
 *
 * <p>Small thresholds (1..3) make every transition reachable in few steps: hand-over, fallback while handed
 * over, give-back, refill, a second hand-over, and the flush; the real thresholds are explored from a
 * pre-filled outbox.
 */
class MailboxInterleavingTest {
    private static final int PRODUCER = 1, OWNER = 2;
    private static Arena arena;
    private static long box;
    private static PendingBits bits;

    @BeforeAll
    static void map() {
        arena = Arena.ofShared();
        box = arena.allocate(1024, 128).address();
        bits = new PendingBits(OWNER);
    }

    @AfterAll
    static void unmap() {
        bits.close();
        arena.close();
    }

    // ================================================================ bookkeeping shared by the runs

    /** Blocks are just distinct addresses here (the protocol never dereferences them); class 1..3. */
    static long block(int i) {
        return 0x10_0000L + 64L * i;
    }

    static int classOf(int i) {
        return 1 + i % 3;
    }

    /** Where the blocks went, and the exactly-once checks. */
    abstract static class Ledger implements Run {
        final List<Long> freed = new ArrayList<>();
        final List<Long> delivered = new ArrayList<>();
        final List<Long> fellBack = new ArrayList<>();
        final Map<Long, Integer> classes = new HashMap<>();

        void freedBlock(int i) {
            freed.add(block(i));
            classes.put(block(i), classOf(i));
        }

        void deliver(long entries, int index) {
            long b = OutboxEntries.block(entries, index);
            Integer c = classes.get(b);
            if (c == null || c != OutboxEntries.sizeClass(entries, index)) {
                throw new AssertionError("entry " + index + " holds " + b + " of class "
                        + OutboxEntries.sizeClass(entries, index) + ", freed with class " + c);
            }
            delivered.add(b);
        }

        /** Each freed block exactly once among {@code delivered + fellBack + alsoHeld}. */
        void assertExactlyOnce(List<Long> alsoHeld, String when) {
            Map<Long, Integer> seen = new HashMap<>();
            for (long b : delivered) seen.merge(b, 1, Integer::sum);
            for (long b : fellBack) seen.merge(b, 1, Integer::sum);
            for (long b : alsoHeld) seen.merge(b, 1, Integer::sum);
            for (long b : freed) {
                int n = seen.getOrDefault(b, 0);
                if (n != 1) throw new AssertionError(when + ": block " + b + " found " + n + " times");
            }
            if (seen.size() != freed.size()) throw new AssertionError(when + ": unknown blocks " + seen.keySet());
        }
    }

    // ================================================================ mailbox0

    /** Producer and owner on one mailbox0 outbox. */
    static final class M0Run extends Ledger {
        final int threshold, frees, collects;
        final boolean giveBackFirst;

        M0Run(int threshold, int prefill, int frees, int collects, boolean giveBackFirst) {
            this.threshold = threshold;
            this.frees = frees;
            this.collects = collects;
            this.giveBackFirst = giveBackFirst;
            NativeMemory.fill(box, Mailbox0Outbox.BYTES, (byte) 0);
            for (int i = 0; i < prefill; i++) { // sequential history before the race
                int slot = Mailbox0Outbox.claim(box);
                assertTrue(slot >= 0);
                freedBlock(1000 + i);
                Mailbox0Outbox.write(box, slot, block(1000 + i), classOf(1000 + i));
                Mailbox0Outbox.publish(box, slot, threshold);
            }
        }

        @Override
        public Actor producer() {
            return new Actor() {
                int i, phase, slot;

                public boolean done() {
                    return i == frees;
                }

                public void step() {
                    switch (phase) {
                        case 0 -> {
                            freedBlock(i);
                            slot = Mailbox0Outbox.claim(box);
                            if (slot < 0) {
                                fellBack.add(block(i)); // the push path: not part of this hand-off
                                i++;
                            } else {
                                phase = 1;
                            }
                        }
                        case 1 -> {
                            Mailbox0Outbox.write(box, slot, block(i), classOf(i));
                            phase = 2;
                        }
                        default -> {
                            Mailbox0Outbox.publish(box, slot, threshold);
                            i++;
                            phase = 0;
                        }
                    }
                }
            };
        }

        @Override
        public Actor owner() {
            return giveBackFirst ? new GiveBackFirstOwner() : new Owner();
        }

        /** The real order: observe, read every entry, give back. */
        final class Owner implements Actor {
            int c, phase, n, j;

            public boolean done() {
                return c == collects;
            }

            public void step() {
                switch (phase) {
                    case 0 -> {
                        n = Mailbox0Outbox.observe(box);
                        if (n == 0) c++;
                        else {
                            j = 0;
                            phase = 1;
                        }
                    }
                    case 1 -> {
                        deliver(Mailbox0Outbox.entries(box), j++);
                        if (j == n) phase = 2;
                    }
                    default -> {
                        Mailbox0Outbox.giveBack(box);
                        c++;
                        phase = 0;
                    }
                }
            }
        }

        /** Negative control: the archived order with our steps (give the outbox back, then read it). */
        final class GiveBackFirstOwner implements Actor {
            int c, phase, n, j;

            public boolean done() {
                return c == collects;
            }

            public void step() {
                switch (phase) {
                    case 0 -> {
                        n = Mailbox0Outbox.observe(box);
                        if (n == 0) c++;
                        else phase = 1;
                    }
                    case 1 -> {
                        Mailbox0Outbox.giveBack(box);
                        j = 0;
                        phase = 2;
                    }
                    default -> {
                        deliver(Mailbox0Outbox.entries(box), j++);
                        if (j == n) {
                            c++;
                            phase = 0;
                        }
                    }
                }
            }
        }

        List<Long> held() {
            List<Long> held = new ArrayList<>();
            Mailbox0Outbox.forEachHeld(box, held::add);
            return held;
        }

        @Override
        public void check() {
            assertExactlyOnce(held(), "end of the race");
            // Then the producer exits and the owner collects once more: everything must arrive.
            Mailbox0Outbox.flush(box);
            int n = Mailbox0Outbox.observe(box);
            for (int j = 0; j < n; j++) deliver(Mailbox0Outbox.entries(box), j);
            if (n > 0) Mailbox0Outbox.giveBack(box);
            if (!held().isEmpty()) throw new AssertionError("still held after flush and collect: " + held());
            assertExactlyOnce(List.of(), "after flush and final collect");
        }
    }

    static Outcome mailbox0(int threshold, int prefill, int frees, int collects, boolean giveBackFirst) {
        return Interleavings.explore(() -> new M0Run(threshold, prefill, frees, collects, giveBackFirst));
    }

    /** {threshold, entries already in, frees, collects}: every transition, several hand-over cycles. */
    @Test
    void mailbox0LosesAndDuplicatesNothingInAnyInterleaving() {
        for (int[] p : new int[][] {{1, 0, 6, 3}, {2, 1, 8, 4}, {3, 2, 9, 3}}) {
            Outcome o = mailbox0(p[0], p[1], p[2], p[3], false);
            assertNull(o.failure(), () -> "threshold " + p[0] + ": " + o);
            assertTrue(o.schedules() > 1000, o::toString);
        }
    }

    @Test
    void mailbox0AtTheSeedsThresholdLosesNothing() {
        // 7 entries already in: the first free notifies; the owner drains while the producer falls back, then
        // the producer refills the outbox it got back; the flush hands the rest over.
        int t = Mailbox0RemoteFree.THRESHOLD;
        Outcome o = mailbox0(t, t - 1, 6, 2, false);
        assertNull(o.failure(), o::toString);
        assertTrue(o.schedules() > 1000, o::toString);
    }

    @Test
    void negativeControlGivingTheOutboxBackBeforeReadingItIsCaught() {
        Outcome o = mailbox0(2, 0, 5, 2, true);
        assertTrue(o.failed(), "the exploration must catch the give-back-first order: " + o);
    }

    // ================================================================ the archived S147-0, as it was

    /**
     * The archived hz3 S147-0 outbox, modelled step by step from its description: {@code notify} and
     * {@code count} words, 16 entries. Producer: if notify, fall back; if full, push all 16 out; write
     * entry[count]; count++; at the threshold set notify. Owner: exchange notify to 0; read count and the
     * entries; zero the count.
     */
    static final class ArchivedRun extends Ledger {
        static final long NOTIFY = 0, COUNT = 128, ENTRIES = 256;
        final int threshold, frees, collects;

        ArchivedRun(int threshold, int frees, int collects) {
            this.threshold = threshold;
            this.frees = frees;
            this.collects = collects;
            NativeMemory.fill(box, 512, (byte) 0);
        }

        @Override
        public Actor producer() {
            return new Actor() {
                int i, phase;

                public boolean done() {
                    return i == frees;
                }

                public void step() {
                    switch (phase) {
                        case 0 -> {
                            freedBlock(i);
                            if (NativeMemory.getLongAcquire(box + NOTIFY) != 0) {
                                fellBack.add(block(i));
                                i++;
                            } else {
                                phase = 1;
                            }
                        }
                        case 1 -> {
                            long n = NativeMemory.getLongPlain(box + COUNT);
                            if (n == 16) { // full: every entry goes out by the push path
                                for (int j = 0; j < 16; j++) fellBack.add(OutboxEntries.block(box + ENTRIES, j));
                                n = 0;
                            }
                            OutboxEntries.write(box + ENTRIES, (int) n, block(i), classOf(i));
                            NativeMemory.setLongPlain(box + COUNT, n + 1);
                            phase = n + 1 >= threshold ? 2 : 0;
                            if (phase == 0) i++;
                        }
                        default -> {
                            NativeMemory.setLongRelease(box + NOTIFY, 1);
                            i++;
                            phase = 0;
                        }
                    }
                }
            };
        }

        @Override
        public Actor owner() {
            return new Actor() {
                int c, phase, n, j;

                public boolean done() {
                    return c == collects;
                }

                public void step() {
                    switch (phase) {
                        case 0 -> {
                            if (NativeMemory.xchgLongAcquire(box + NOTIFY, 0) == 0) c++;
                            else phase = 1;
                        }
                        case 1 -> {
                            n = (int) NativeMemory.getLongPlain(box + COUNT);
                            j = 0;
                            phase = n == 0 ? 3 : 2;
                        }
                        case 2 -> {
                            deliver(box + ENTRIES, j++);
                            if (j == n) phase = 3;
                        }
                        default -> {
                            NativeMemory.setLongPlain(box + COUNT, 0);
                            c++;
                            phase = 0;
                        }
                    }
                }
            };
        }

        @Override
        public void check() {
            List<Long> held = new ArrayList<>();
            OutboxEntries.forEach(box + ENTRIES, (int) NativeMemory.getLongPlain(box + COUNT), held::add);
            assertExactlyOnce(held, "end of the race");
        }
    }

    @Test
    void negativeControlTheArchivedS1470RaceIsCaught() {
        Outcome o = Interleavings.explore(() -> new ArchivedRun(2, 4, 1));
        assertTrue(o.failed(), "the exploration must catch the archived race: " + o);
        assertTrue(o.failure().getMessage().contains("found 0 times"), o::toString);
    }

    // ================================================================ mailbox2

    /** How the owner treats the pending bit. */
    enum M2Owner { REAL, GIVE_BACK_FIRST, CLEAR_BIT_AFTER_VISIT }

    /** Producer and owner on one mailbox2 outbox pair and the owner's pending word. */
    static final class M2Run extends Ledger {
        final int capacity, frees, collects;
        final M2Owner ownerKind;
        final TestHeap counted = new TestHeap(PRODUCER);
        final long word = bits.word(OWNER, 0);
        final long mine = 1L << PRODUCER;

        M2Run(int capacity, int prefill, int frees, int collects, M2Owner ownerKind) {
            this.capacity = capacity;
            this.frees = frees;
            this.collects = collects;
            this.ownerKind = ownerKind;
            NativeMemory.fill(box, Mailbox2Outbox.BYTES, (byte) 0);
            NativeMemory.setLongPlain(word, 0);
            for (int i = 0; i < prefill; i++) {
                int slot = Mailbox2Outbox.claim(box);
                assertTrue(slot >= 0);
                freedBlock(1000 + i);
                Mailbox2Outbox.write(box, slot, block(1000 + i), classOf(1000 + i));
                if (Mailbox2Outbox.publish(box, slot, capacity)) bits.set(counted, OWNER, PRODUCER);
            }
        }

        @Override
        public Actor producer() {
            return new Actor() {
                int i, phase, slot;

                public boolean done() {
                    return i == frees;
                }

                public void step() {
                    switch (phase) {
                        case 0 -> {
                            freedBlock(i);
                            slot = Mailbox2Outbox.claim(box);
                            if (slot < 0) {
                                fellBack.add(block(i));
                                i++;
                            } else {
                                phase = 1;
                            }
                        }
                        case 1 -> {
                            Mailbox2Outbox.write(box, slot, block(i), classOf(i));
                            phase = 2;
                        }
                        case 2 -> {
                            if (Mailbox2Outbox.publish(box, slot, capacity)) {
                                phase = 3;
                            } else {
                                i++;
                                phase = 0;
                            }
                        }
                        default -> {
                            bits.set(counted, OWNER, PRODUCER);
                            i++;
                            phase = 0;
                        }
                    }
                }
            };
        }

        @Override
        public Actor owner() {
            return new Actor() {
                int c, phase, k, n, j;

                public boolean done() {
                    return c == collects;
                }

                private void nextBuffer() {
                    if (++k < 2) {
                        phase = 1;
                    } else if (ownerKind == M2Owner.CLEAR_BIT_AFTER_VISIT) {
                        phase = 4;
                    } else {
                        c++;
                        phase = 0;
                    }
                }

                public void step() {
                    switch (phase) {
                        case 0 -> { // take the pending word (the control only peeks here and clears at the end)
                            long w = ownerKind == M2Owner.CLEAR_BIT_AFTER_VISIT ? NativeMemory.getLongOpaque(word)
                                    : bits.take(OWNER, 0);
                            if ((w & mine) == 0) {
                                c++;
                            } else {
                                k = 0;
                                phase = 1;
                            }
                        }
                        case 1 -> {
                            n = Mailbox2Outbox.observe(box, k);
                            j = 0;
                            if (n == 0) nextBuffer();
                            else phase = ownerKind == M2Owner.GIVE_BACK_FIRST ? 3 : 2;
                        }
                        case 2 -> { // read one entry
                            deliver(Mailbox2Outbox.entries(box, k), j++);
                            if (j == n) {
                                if (ownerKind == M2Owner.GIVE_BACK_FIRST) nextBuffer();
                                else phase = 3;
                            }
                        }
                        case 3 -> { // give back
                            Mailbox2Outbox.giveBack(box, k);
                            if (ownerKind == M2Owner.GIVE_BACK_FIRST) phase = 2;
                            else nextBuffer();
                        }
                        default -> { // the control's late clear
                            NativeMemory.xchgLongAcquire(word, 0);
                            c++;
                            phase = 0;
                        }
                    }
                }
            };
        }

        List<Long> held() {
            List<Long> held = new ArrayList<>();
            Mailbox2Outbox.forEachHeld(box, held::add);
            return held;
        }

        /** The strategy's collect for one producer, composed from the same steps. */
        void collectAll() {
            if ((bits.take(OWNER, 0) & mine) == 0) return;
            for (int k = 0; k < 2; k++) {
                int n = Mailbox2Outbox.observe(box, k);
                if (n == 0) continue;
                for (int j = 0; j < n; j++) deliver(Mailbox2Outbox.entries(box, k), j);
                Mailbox2Outbox.giveBack(box, k);
            }
        }

        @Override
        public void check() {
            if (Mailbox2Outbox.handedOver(box) && (NativeMemory.getLongPlain(word) & mine) == 0) {
                throw new AssertionError("a buffer is handed over but the pending bit is clear: it would wait forever");
            }
            assertExactlyOnce(held(), "end of the race");
            if (Mailbox2Outbox.flush(box) > 0) bits.set(counted, OWNER, PRODUCER);
            collectAll();
            if (!held().isEmpty()) throw new AssertionError("still held after flush and collect: " + held());
            assertExactlyOnce(List.of(), "after flush and final collect");
        }
    }

    static Outcome mailbox2(int capacity, int prefill, int frees, int collects, M2Owner owner) {
        return Interleavings.explore(() -> new M2Run(capacity, prefill, frees, collects, owner));
    }

    /** {capacity, entries already in, frees, collects}. */
    @Test
    void mailbox2LosesAndDuplicatesNothingAndStrandsNoBufferInAnyInterleaving() {
        for (int[] p : new int[][] {{1, 0, 3, 2}, {2, 1, 4, 2}, {3, 2, 4, 1}}) {
            Outcome o = mailbox2(p[0], p[1], p[2], p[3], M2Owner.REAL);
            assertNull(o.failure(), () -> "capacity " + p[0] + ": " + o);
            assertTrue(o.schedules() > 1000, o::toString);
        }
    }

    @Test
    void mailbox2AtTheSeedsBufferSizeLosesNothing() {
        // Buffer 0 one short of full: the first free hands it over, the next ones fill buffer 1 meanwhile.
        int cap = Mailbox2RemoteFree.CAPACITY;
        Outcome o = mailbox2(cap, cap - 1, 4, 1, M2Owner.REAL);
        assertNull(o.failure(), o::toString);
        assertTrue(o.schedules() > 1000, o::toString);
    }

    @Test
    void negativeControlsForMailbox2AreCaught() {
        Outcome early = mailbox2(1, 0, 3, 2, M2Owner.GIVE_BACK_FIRST);
        assertTrue(early.failed(), "giving a buffer back before reading it must be caught: " + early);
        Outcome late = mailbox2(1, 0, 3, 2, M2Owner.CLEAR_BIT_AFTER_VISIT);
        assertTrue(late.failed(), "clearing the pending bit after the visit must be caught: " + late);
        assertTrue(late.failure().getMessage().contains("pending bit is clear"), late::toString);
    }

    @Test
    void theSchedulerVisitsEveryInterleaving() {
        // Two programs of 3 and 2 independent steps: C(5, 2) = 10 interleavings.
        Outcome o = Interleavings.explore(() -> new Run() {
            final int[] left = {3, 2};

            Actor actor(int who) {
                return new Actor() {
                    public boolean done() {
                        return left[who] == 0;
                    }

                    public void step() {
                        left[who]--;
                    }
                };
            }

            public Actor producer() {
                return actor(0);
            }

            public Actor owner() {
                return actor(1);
            }

            public void check() {}
        });
        assertEquals(10, o.schedules());
        assertFalse(o.failed());
    }
}
