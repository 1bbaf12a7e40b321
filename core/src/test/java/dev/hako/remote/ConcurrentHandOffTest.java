package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.StrategyHarness.TestHeap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Producers publish while the owner collects, from different threads: every block arrives exactly once and in
 * the bin of its own class, and nothing is left held. This is the publication/collection hand-off under real
 * concurrency (CAS races between producers, exchange racing pushes, parcels returned while being refilled).
 */
class ConcurrentHandOffTest {
    private static final int PRODUCERS = 3;
    private static final int BLOCKS = 120_000;
    private static final int[] CLASSES = {0, 1, 7, 31, 127, 128, 140};

    @ParameterizedTest
    @ValueSource(strings = {"batch", "mailbox0", "mailbox2", "inbox", "parcel"})
    void everyBlockArrivesOnceInItsClass(String strategy) throws Exception {
        try (StrategyHarness h = new StrategyHarness(strategy)) {
            long[] block = new long[BLOCKS];
            int[] sizeClass = new int[BLOCKS];
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < BLOCKS; i++) {
                sizeClass[i] = CLASSES[rnd.nextInt(CLASSES.length)];
                block[i] = h.block(sizeClass[i]);
            }
            TestHeap owner = h.heap(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] producers = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++) {
                int me = p;
                producers[p] = Thread.ofPlatform().name("producer-" + p).start(() -> {
                    try {
                        TestHeap producer = h.heap(2 + me);
                        for (int i = me; i < BLOCKS; i += PRODUCERS) h.strategy.free(producer, 1, sizeClass[i], block[i]);
                        h.strategy.flushProducer(producer);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            SplittableRandom ask = new SplittableRandom(11);
            while (anyAlive(producers)) h.strategy.collect(owner, CLASSES[ask.nextInt(CLASSES.length)]);
            for (Thread t : producers) t.join();
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            for (int c = 0; c < SizeClasses.COUNT; c++) h.strategy.collect(owner, c);

            Map<Long, Integer> classOf = new HashMap<>();
            for (int i = 0; i < BLOCKS; i++) classOf.put(block[i], sizeClass[i]);
            Set<Long> seen = new HashSet<>();
            int total = 0;
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                for (long b : owner.bins.get(c)) {
                    total++;
                    seen.add(b);
                    assertEquals(classOf.get(b), c, "block filed under its own class");
                }
            }
            assertEquals(BLOCKS, total, "blocks delivered");
            assertEquals(BLOCKS, seen.size(), "distinct blocks delivered");
            assertEquals(0, h.held().size(), "nothing held after flush and drain");
        }
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) if (t.isAlive()) return true;
        return false;
    }
}
