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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                        for (int i = me; i < BLOCKS; i += PRODUCERS) h.strategy.send(producer, 1, sizeClass[i], block[i]);
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

    /**
     * The fan-out shape: producers free to many owners at once, each owner collecting in its own thread. For
     * {@code parcel} with small limits (4 open parcels, an 8 KiB budget) eviction and budget shipping run all the
     * time, so small parcels are published while their owners collect and return others.
     */
    @ParameterizedTest
    @ValueSource(strings = {"push", "batch", "inbox", "parcel"})
    void everyBlockArrivesOnceAtItsOwnerInAFanOut(String strategy) throws Exception {
        int owners = 24, blocks = 60_000;
        int firstOwner = PRODUCERS + 1;
        try (StrategyHarness h = new StrategyHarness(PRODUCERS + owners, context -> strategy.equals("parcel")
                ? new ParcelRemoteFree(context, 16L << 20, 4, 8 << 10) : RemoteStrategies.create(strategy, context))) {
            long[] block = new long[blocks];
            int[] sizeClass = new int[blocks];
            int[] ownerOf = new int[blocks];
            SplittableRandom rnd = new SplittableRandom(13);
            for (int i = 0; i < blocks; i++) {
                sizeClass[i] = CLASSES[rnd.nextInt(CLASSES.length)];
                ownerOf[i] = firstOwner + rnd.nextInt(owners);
                block[i] = h.block(sizeClass[i]);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] producers = new Thread[PRODUCERS];
            for (int p = 0; p < PRODUCERS; p++) {
                int me = p;
                producers[p] = Thread.ofPlatform().name("producer-" + p).start(() -> {
                    try {
                        TestHeap producer = h.heap(1 + me);
                        for (int i = me; i < blocks; i += PRODUCERS) {
                            h.strategy.send(producer, ownerOf[i], sizeClass[i], block[i]);
                        }
                        h.strategy.flushProducer(producer);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            TestHeap[] owner = new TestHeap[firstOwner + owners];
            Thread[] collectors = new Thread[owners];
            for (int k = 0; k < owners; k++) {
                TestHeap me = owner[firstOwner + k] = h.heap(firstOwner + k);
                collectors[k] = Thread.ofPlatform().name("owner-" + k).start(() -> {
                    try {
                        SplittableRandom ask = new SplittableRandom(me.id);
                        while (anyAlive(producers)) h.strategy.collect(me, CLASSES[ask.nextInt(CLASSES.length)]);
                        for (int c = 0; c < SizeClasses.COUNT; c++) h.strategy.collect(me, c);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
            for (Thread t : producers) t.join();
            for (Thread t : collectors) t.join();
            assertNull(failure.get(), () -> "failed: " + failure.get());

            Map<Long, Integer> index = new HashMap<>();
            for (int i = 0; i < blocks; i++) index.put(block[i], i);
            Set<Long> seen = new HashSet<>();
            for (int o = firstOwner; o < owner.length; o++) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    for (long b : owner[o].bins.get(c)) {
                        int i = index.get(b);
                        assertTrue(seen.add(b), "delivered twice");
                        assertEquals(ownerOf[i], o, "delivered to its owner");
                        assertEquals(sizeClass[i], c, "filed under its class");
                    }
                }
            }
            assertEquals(blocks, seen.size(), "every block delivered");
            assertEquals(0, h.held().size(), "nothing held after flush and drain");
        }
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) if (t.isAlive()) return true;
        return false;
    }
}
