package dev.hako.remote;

import dev.hako.remote.StrategyHarness.TestHeap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The mailboxes' hand-offs with real threads and JIT-compiled code: three producers free distinct blocks to one
 * owner as fast as they can while the owner collects in a loop; after the producers exit and are flushed, the
 * owner's final collects must have received every block exactly once, in the bin of its class. (The
 * interleaving test covers every order of the protocol's steps; this one runs the compiled code concurrently.)
 */
class MailboxHammerTest {
    private static final int PRODUCERS = 3;
    private static final int PER_PRODUCER = 60_000;
    private static final int OWNER = 2;

    @ParameterizedTest
    @ValueSource(strings = {"mailbox0", "mailbox2"})
    void everyBlockArrivesExactlyOnce(String name) throws Exception {
        try (StrategyHarness h = new StrategyHarness(name)) {
            int[] producerIds = {1, 3, 4};
            long[][] blocks = new long[PRODUCERS][PER_PRODUCER];
            for (int p = 0; p < PRODUCERS; p++) {
                for (int i = 0; i < PER_PRODUCER; i++) blocks[p][i] = h.block(i & 1);
            }
            TestHeap owner = h.heap(OWNER);
            TestHeap[] producers = new TestHeap[PRODUCERS];
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread collector = Thread.ofPlatform().start(() -> {
                try {
                    for (int c = 0; producing.get(); c ^= 1) h.strategy.collect(owner, c);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int me = p;
                producers[p] = h.heap(producerIds[p]);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < PER_PRODUCER; i++) h.strategy.free(producers[me], OWNER, i & 1, blocks[me][i]);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            producing.set(false);
            collector.join();
            assertNull(failure.get());
            for (TestHeap p : producers) h.strategy.flushProducer(p); // as the reaper would, after they died
            h.strategy.collect(owner, 0);
            h.strategy.collect(owner, 1);

            Set<Long> got = new HashSet<>();
            for (int c = 0; c < 2; c++) {
                for (long b : owner.bins.get(c)) {
                    assertEquals(c, classOf(blocks, b), "in the bin of its class");
                    if (!got.add(b)) throw new AssertionError("delivered twice: " + b);
                }
            }
            assertEquals(PRODUCERS * PER_PRODUCER, got.size(), "delivered");
            assertEquals(0, h.held().size(), "still held");
        }
    }

    /** The class a block was freed with (blocks alternate class 0 and 1 in each producer's sequence). */
    private static int classOf(long[][] blocks, long b) {
        for (long[] row : blocks) {
            int i = java.util.Arrays.binarySearch(row, b);
            if (i >= 0) return i & 1;
        }
        throw new AssertionError("not a block of the test: " + b);
    }
}
