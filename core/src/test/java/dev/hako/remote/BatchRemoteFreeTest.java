package dev.hako.remote;

import dev.hako.remote.StrategyHarness.TestHeap;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-offs of strategy {@code batch}: when a group is pushed, and that every block is in one place. */
class BatchRemoteFreeTest {
    private static final int C = 3; // 64-byte blocks

    @Test
    void aGroupIsPushedWhenItFillsAndNotBefore() {
        try (StrategyHarness h = new StrategyHarness(BatchRemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            for (int i = 0; i < BatchRemoteFree.GROUP_BLOCKS - 1; i++) h.strategy.send(producer, 2, C, h.block(C));
            assertEquals(0, h.strategy.collect(owner, C), "an open group is the producer's");
            assertEquals(BatchRemoteFree.GROUP_BLOCKS - 1, h.held().size(), "but the audit sees it");
            h.strategy.send(producer, 2, C, h.block(C));
            assertEquals(BatchRemoteFree.GROUP_BLOCKS, h.strategy.collect(owner, C));
            assertEquals(Set.copyOf(owner.bins.get(C)).size(), BatchRemoteFree.GROUP_BLOCKS);
            assertTrue(h.held().isEmpty());
        }
    }

    @Test
    void aBlockForAnotherOwnerPushesTheOpenGroupOfItsClass() {
        try (StrategyHarness h = new StrategyHarness(BatchRemoteFree.NAME)) {
            TestHeap producer = h.heap(1), a = h.heap(2), b = h.heap(3);
            long x = h.block(C), y = h.block(C), z = h.block(C);
            h.strategy.send(producer, 2, C, x);
            h.strategy.send(producer, 2, C, y);
            h.strategy.send(producer, 3, C, z);
            assertEquals(2, h.strategy.collect(a, C));
            assertEquals(Set.of(x, y), Set.copyOf(a.bins.get(C)));
            assertEquals(0, h.strategy.collect(b, C), "z waits in the new open group");
            h.strategy.flushProducer(producer);
            assertEquals(1, h.strategy.collect(b, C));
            assertEquals(List.of(z), b.bins.get(C));
        }
    }

    @Test
    void theProducersOwnRefillMissPushesEverythingItHolds() {
        try (StrategyHarness h = new StrategyHarness(BatchRemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Set<Long> sent = new HashSet<>();
            for (int c : new int[] {0, 5, 64, 127, 130, 147}) {
                for (int i = 0; i < 3; i++) {
                    long blk = h.block(c);
                    sent.add(blk);
                    h.strategy.send(producer, 2, c, blk);
                }
            }
            assertEquals(0, h.strategy.collect(producer, 9), "nothing for the producer itself");
            Map<Long, Integer> held = h.held();
            assertEquals(sent, held.keySet());
            for (int c : new int[] {0, 5, 64, 127, 130, 147}) assertEquals(3, h.strategy.collect(owner, c));
            assertEquals(sent, Set.copyOf(owner.all()));
            assertTrue(h.held().isEmpty());
        }
    }
}
