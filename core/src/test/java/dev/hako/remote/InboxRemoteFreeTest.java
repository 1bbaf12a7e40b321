package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.StrategyHarness.TestHeap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-offs of strategy {@code inbox}: the threshold flush, its grouping, the table-overflow path. */
class InboxRemoteFreeTest {

    @Test
    void nothingIsPublishedBeforeTheThresholdAndEverythingAtIt() {
        try (StrategyHarness h = new StrategyHarness(InboxRemoteFree.NAME)) {
            TestHeap producer = h.heap(1);
            TestHeap[] owners = {h.heap(2), h.heap(3), h.heap(4)};
            int[] classes = {0, 9, 130};
            List<Set<Long>> expected = new ArrayList<>();
            for (int i = 0; i < owners.length * classes.length; i++) expected.add(new HashSet<>());
            for (int i = 0; i < InboxRemoteFree.FLUSH_AT; i++) {
                int o = i % owners.length, c = (i / owners.length) % classes.length;
                long b = h.block(classes[c]);
                expected.get(o * classes.length + c).add(b);
                if (i == InboxRemoteFree.FLUSH_AT - 1) {
                    for (TestHeap owner : owners) {
                        for (int cls : classes) assertEquals(0, h.strategy.collect(owner, cls), "still buffered");
                    }
                    assertEquals(InboxRemoteFree.FLUSH_AT - 1, h.held().size(), "the audit sees the buffer");
                }
                h.strategy.send(producer, owners[o].id, classes[c], b);
            }
            for (int o = 0; o < owners.length; o++) {
                for (int c = 0; c < classes.length; c++) {
                    Set<Long> want = expected.get(o * classes.length + c);
                    assertEquals(want.size(), h.strategy.collect(owners[o], classes[c]));
                    assertEquals(want, Set.copyOf(owners[o].bins.get(classes[c])));
                }
            }
            assertTrue(h.held().isEmpty());
        }
    }

    /** Five keys with one home slot overflow its 4 probes: the rest go singly, none is lost. */
    @Test
    void keysBeyondTheProbeWindowArePushedSingly() {
        try (StrategyHarness h = new StrategyHarness(InboxRemoteFree.NAME)) {
            List<int[]> colliding = new ArrayList<>(); // (owner, class) pairs with the same home slot
            int target = -1;
            for (int home = 0; home < InboxLayout.SLOTS && colliding.size() < 5; home++) {
                colliding.clear();
                for (int owner = 2; owner <= StrategyHarness.MAX_OWNERS; owner++) {
                    for (int c = 0; c < SizeClasses.COUNT; c++) {
                        if (InboxLayout.home(InboxLayout.key(owner, c)) == home) colliding.add(new int[] {owner, c});
                    }
                }
                target = home;
            }
            assertTrue(colliding.size() >= 5, "need 5 keys sharing home slot " + target);
            TestHeap producer = h.heap(1);
            List<long[]> sent = new ArrayList<>(); // owner, class, block
            for (int i = 0; i < InboxRemoteFree.FLUSH_AT; i++) {
                int[] k = colliding.get(i % 5);
                long b = h.block(k[1]);
                sent.add(new long[] {k[0], k[1], b});
                h.strategy.send(producer, k[0], k[1], b);
            }
            assertEquals(sent.size(), h.held().size(), "held once each, buffered or published");
            TestHeap[] heaps = new TestHeap[StrategyHarness.MAX_OWNERS + 1];
            for (int[] k : colliding.subList(0, 5)) {
                if (heaps[k[0]] == null) heaps[k[0]] = h.heap(k[0]);
                h.strategy.collect(heaps[k[0]], k[1]);
            }
            Set<Long> want = new HashSet<>(), got = new HashSet<>();
            for (long[] s : sent) want.add(s[2]);
            int total = 0;
            for (TestHeap heap : heaps) {
                if (heap == null) continue;
                got.addAll(heap.all());
                total += heap.cached();
            }
            assertEquals(want, got, "the flush published all of it, grouped or singly");
            assertEquals(sent.size(), total);
            assertTrue(h.held().isEmpty());
        }
    }

    @Test
    void flushProducerPublishesAPartialBuffer() {
        try (StrategyHarness h = new StrategyHarness(InboxRemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            long a = h.block(4), b = h.block(4), c = h.block(140);
            h.strategy.send(producer, 2, 4, a);
            h.strategy.send(producer, 2, 4, b);
            h.strategy.send(producer, 2, 140, c);
            assertEquals(0, h.strategy.collect(producer, 4), "a producer's own miss does not flush (hz4)");
            assertEquals(0, h.strategy.collect(owner, 4));
            h.strategy.flushProducer(producer);
            assertEquals(2, h.strategy.collect(owner, 4));
            assertEquals(1, h.strategy.collect(owner, 140));
            assertEquals(Set.of(a, b, c), Set.copyOf(owner.all()));
        }
    }
}
