package dev.hako.remote;

import dev.hako.remote.StrategyHarness.TestHeap;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mailboxes driven by hand, one producer and one or two owners: when an outbox is handed over, what a
 * flush publishes, where a collect puts each block, what an audit sees in between, and what a new holder of a
 * producer id inherits.
 */
class MailboxLifecycleTest {

    /** The hand-over point of each strategy (mailbox0: notify threshold; mailbox2: a full buffer). */
    static int handOverAt(String name) {
        return name.equals(Mailbox0RemoteFree.NAME) ? Mailbox0RemoteFree.THRESHOLD : Mailbox2RemoteFree.CAPACITY;
    }

    static Set<Long> once(List<Long> blocks) {
        Set<Long> s = new HashSet<>(blocks);
        assertEquals(blocks.size(), s.size(), "a block delivered twice");
        return s;
    }

    static void assertHeldOnce(StrategyHarness h, int expected) {
        Map<Long, Integer> held = h.held();
        held.forEach((b, n) -> assertEquals(1, n, "held twice: " + b));
        assertEquals(expected, held.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void theOwnerGetsNothingBeforeTheHandOverAndEverythingAfter(String name) {
        try (StrategyHarness h = new StrategyHarness(name)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            int at = handOverAt(name);
            for (int i = 0; i < at - 1; i++) h.strategy.send(producer, 2, 3, h.block(3));
            assertEquals(0, h.strategy.collect(owner, 3), "an outbox being filled is the producer's");
            assertHeldOnce(h, at - 1);
            h.strategy.send(producer, 2, 3, h.block(3));
            assertEquals(at, h.strategy.collect(owner, 3));
            assertEquals(at, once(owner.bins.get(3)).size());
            assertHeldOnce(h, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void theFlushHandsPartOutboxesOver(String name) {
        try (StrategyHarness h = new StrategyHarness(name)) {
            TestHeap producer = h.heap(1), owner = h.heap(2), other = h.heap(3);
            long a = h.block(3), b = h.block(3), c = h.block(7);
            h.strategy.send(producer, 2, 3, a);
            h.strategy.send(producer, 2, 3, b);
            h.strategy.send(producer, 3, 7, c);
            h.strategy.flushProducer(producer);
            assertEquals(2, h.strategy.collect(owner, 3));
            assertEquals(Set.of(a, b), once(owner.bins.get(3)));
            assertEquals(1, h.strategy.collect(other, 7));
            assertEquals(List.of(c), other.bins.get(7));
            if (Stats.ENABLED) assertEquals(1, producer.counters[Counter.PRODUCER_FLUSH.ordinal()]);
            h.strategy.flushProducer(producer);
            assertHeldOnce(h, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void blocksOfOtherClassesAreRoutedToTheirBinsAndFallbacksArriveToo(String name) {
        try (StrategyHarness h = new StrategyHarness(name)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Map<Long, Integer> sent = new HashMap<>();
            int[] classes = {0, 5, 64, 127, 130, 147};
            for (int i = 0; i < 300; i++) { // far more than the outboxes hold: most fall back while they wait
                int c = classes[i % classes.length];
                long blk = h.block(c);
                sent.put(blk, c);
                h.strategy.send(producer, 2, c, blk);
                if (i % 50 == 49) h.strategy.collect(owner, 5);
            }
            assertHeldOnce(h, 300 - owner.cached());
            h.strategy.flushProducer(producer);
            for (int c : classes) h.strategy.collect(owner, c);
            assertEquals(sent.keySet(), once(owner.all()));
            for (int c : classes) {
                for (long blk : owner.bins.get(c)) assertEquals(c, sent.get(blk), "in the bin of its own class");
            }
            assertHeldOnce(h, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void aNewHolderOfTheProducerIdInheritsItsOutboxes(String name) {
        try (StrategyHarness h = new StrategyHarness(name)) {
            TestHeap first = h.heap(1), owner = h.heap(2);
            Set<Long> sent = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                long b = h.block(4);
                sent.add(b);
                h.strategy.send(first, 2, 4, b);
            }
            // No flush: the id passes to a new heap (as when a thread claims a vacant id) that fills the same outbox.
            TestHeap second = h.heap(1);
            for (int i = 0; i < 40; i++) {
                long b = h.block(4);
                sent.add(b);
                h.strategy.send(second, 2, 4, b);
            }
            h.strategy.flushProducer(second);
            h.strategy.collect(owner, 4);
            assertEquals(sent, once(owner.bins.get(4)));
            assertHeldOnce(h, 0);
        }
    }

    @Test
    void mailbox2NeverLeavesAHandedOverBufferWithoutItsPendingBit() {
        try (StrategyHarness h = new StrategyHarness(Mailbox2RemoteFree.NAME)) {
            Mailbox2RemoteFree m = (Mailbox2RemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            for (int i = 0; i < 100; i++) {
                h.strategy.send(producer, 2, 1, h.block(1));
                assertFalse(m.stranded(1, 2), "after free " + i);
                if (i % 7 == 0) {
                    h.strategy.collect(owner, 1);
                    assertFalse(m.stranded(1, 2), "after the collect at " + i);
                }
            }
        }
    }

    @Test
    void mailbox2FillsTheOtherBufferWhileOneWaitsAndFallsBackOnlyWhenBothWait() {
        try (StrategyHarness h = new StrategyHarness(Mailbox2RemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            int cap = Mailbox2RemoteFree.CAPACITY;
            for (int i = 0; i < 2 * cap; i++) h.strategy.send(producer, 2, 1, h.block(1));
            assertHeldOnce(h, 2 * cap); // both buffers handed over, nothing on the stash
            h.strategy.send(producer, 2, 1, h.block(1)); // both wait: falls back
            assertEquals(2 * cap + 1, h.strategy.collect(owner, 1));
            for (int i = 0; i < cap; i++) h.strategy.send(producer, 2, 1, h.block(1));
            assertEquals(cap, h.strategy.collect(owner, 1), "buffers are reused after the owner gave them back");
            if (Stats.ENABLED) {
                assertEquals(1, producer.counters[Counter.FALLBACK.ordinal()]);
                assertEquals(3, producer.counters[Counter.NOTIFY.ordinal()]);
            }
        }
    }

    @Test
    void mailbox0FallsBackWhileNotifiedAndReusesTheOutboxOnceGivenBack() {
        try (StrategyHarness h = new StrategyHarness(Mailbox0RemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            int t = Mailbox0RemoteFree.THRESHOLD;
            for (int i = 0; i < t + 3; i++) h.strategy.send(producer, 2, 1, h.block(1));
            assertEquals(t + 3, h.strategy.collect(owner, 1), "8 from the outbox, 3 fallbacks from the stash");
            for (int i = 0; i < t; i++) h.strategy.send(producer, 2, 1, h.block(1));
            assertEquals(t, h.strategy.collect(owner, 1));
            if (Stats.ENABLED) {
                assertEquals(3, producer.counters[Counter.FALLBACK.ordinal()]);
                assertEquals(2, producer.counters[Counter.NOTIFY.ordinal()]);
            }
        }
    }
}
