package dev.hako.remote;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.Heap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.remote.StrategyHarness.TestHeap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-offs of strategy {@code parcel}: publication, routing, recycling, eviction, fallback, no block writes. */
class ParcelRemoteFreeTest {
    private static final int[] CLASSES = {0, 3, 64, 127, 131};

    /** Sends {@code n} blocks of rotating classes from {@code producer} to {@code owner}; returns block -> class. */
    private static Map<Long, Integer> send(StrategyHarness h, TestHeap producer, int owner, int n) {
        Map<Long, Integer> sent = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int c = CLASSES[i % CLASSES.length];
            long b = h.block(c);
            sent.put(b, c);
            h.strategy.free(producer, owner, c, b);
        }
        return sent;
    }

    /** Every block of {@code expected} is in {@code owner}'s bin of its class, and nothing else is. */
    private static void assertDelivered(Map<Long, Integer> expected, TestHeap owner) {
        Map<Long, Integer> got = new HashMap<>();
        for (int c = 0; c < SizeClasses.COUNT; c++) {
            for (long b : owner.bins.get(c)) assertNull(got.put(b, c), () -> "delivered twice: " + b);
        }
        assertEquals(expected, got);
    }

    @Test
    void aFullParcelIsPublishedOnceAndEveryEntryRoutedToItsClass() {
        try (StrategyHarness h = new StrategyHarness(ParcelRemoteFree.NAME)) {
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Map<Long, Integer> sent = send(h, producer, 2, ParcelLayout.CAPACITY - 1);
            assertEquals(0, h.strategy.collect(owner, 3), "an open parcel is the producer's");
            assertEquals(sent.keySet(), h.held().keySet(), "the audit sees the open parcel");
            Map<Long, Integer> last = send(h, producer, 2, 1);
            sent.putAll(last);
            int ofClass3 = (int) sent.values().stream().filter(c -> c == 3).count();
            assertEquals(ofClass3, h.strategy.collect(owner, 3), "returns the asked class, files all of them");
            assertDelivered(sent, owner);
            assertTrue(h.held().isEmpty());
        }
    }

    /**
     * Parcels circulate: the owner gives emptied parcels back while the producer fills and publishes others, the
     * producer takes them back when its free list runs dry, and one chunk of parcels serves 200 parcels' traffic.
     */
    @Test
    void emptiedParcelsGoBackToTheirProducerWhileItPublishesOthers() {
        try (StrategyHarness h = new StrategyHarness(ParcelRemoteFree.NAME)) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Map<Long, Integer> sent = new HashMap<>();
            Set<Long> parcelsUsed = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                // A full parcel and then some: a partial parcel is open whenever the owner collects.
                sent.putAll(send(h, producer, 2, ParcelLayout.CAPACITY + 7));
                long open = parcel.openParcel(1, 2);
                if (open != 0) parcelsUsed.add(open); // 0 only when a send ended on a full parcel
                if (i % 3 == 2) h.strategy.collect(owner, 0); // returns parcels while one is open
            }
            h.strategy.flushProducer(producer);
            h.strategy.collect(owner, 0);
            assertDelivered(sent, owner);
            assertEquals(1, parcel.chunksCarved(), "recycled parcels, no new chunk");
            assertTrue(parcelsUsed.size() <= ParcelRemoteFree.CHUNK_PARCELS);
            assertTrue(h.held().isEmpty());
        }
    }

    /** More owners than open parcels: eviction publishes a parcel; one holding too few entries goes loose. */
    @Test
    void evictionPublishesFullEnoughParcelsAndSendsSmallOnesLoose() {
        int owners = 16;
        try (StrategyHarness h = new StrategyHarness(owners, ParcelRemoteFree::new)) {
            TestHeap producer = h.heap(1);
            List<Map<Long, Integer>> sent = new ArrayList<>();
            for (int o = 0; o <= owners; o++) sent.add(new HashMap<>());
            // Owners 2..9 fill the 8 open parcels with 10 entries each (>= MIN_PUBLISH).
            for (int o = 2; o <= 9; o++) sent.get(o).putAll(send(h, producer, o, 10));
            // Owners 10..13 each evict one of them, then hold 3 entries (< MIN_PUBLISH).
            for (int o = 10; o <= 13; o++) sent.get(o).putAll(send(h, producer, o, 3));
            int held = 0;
            for (Map<Long, Integer> m : sent) held += m.size();
            assertEquals(held, h.held().size(), "open, published and loose blocks are all seen once");
            h.strategy.flushProducer(producer); // 10..13 go loose, the rest are published
            for (int o = 2; o <= 13; o++) {
                TestHeap owner = h.heap(o);
                h.strategy.collect(owner, 0);
                assertDelivered(sent.get(o), owner);
            }
            assertTrue(h.held().isEmpty());
            // The loose blocks carried their link and class in their first words; the others were not written.
            // (Here only the delivery matters; aRemoteFreeDoesNotWriteTheBlock checks the bytes.)
        }
    }

    /** With the parcel space used up, blocks travel loose; once parcels come back, parcels are used again. */
    @Test
    void whenNoParcelCanBeHadBlocksTravelLooseAndRecyclingResumes() {
        try (StrategyHarness h = new StrategyHarness(StrategyHarness.MAX_OWNERS,
                context -> new ParcelRemoteFree(context, ParcelRemoteFree.CHUNK_BYTES))) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Map<Long, Integer> sent = send(h, producer, 2, (ParcelRemoteFree.CHUNK_PARCELS + 3) * ParcelLayout.CAPACITY);
            assertEquals(1, parcel.chunksCarved());
            assertEquals(0, parcel.openParcel(1, 2), "no parcel left to open");
            assertEquals(sent.size(), h.held().size());
            h.strategy.collect(owner, 0);
            assertDelivered(sent, owner);
            Map<Long, Integer> more = send(h, producer, 2, 5);
            assertNotEquals(0, parcel.openParcel(1, 2), "a returned parcel is open again");
            h.strategy.flushProducer(producer);
            TestHeap owner2 = h.heap(2);
            h.strategy.collect(owner2, 0);
            assertDelivered(more, owner2);
            assertTrue(h.held().isEmpty());
        }
    }

    /**
     * The point of parcels: a remote free, the publication and the flush never write the freed block, so a block
     * nobody touched costs no page fault and its cache line never moves. Checked on a real allocator, before the
     * owner collects.
     */
    @Test
    void aRemoteFreeDoesNotWriteTheBlock() throws Exception {
        HakoConfig config = HakoConfig.builder().remote(ParcelRemoteFree.NAME).arenaBytes(1L << 30).maxOwners(16)
                .sharedHeaps(2).build();
        try (HakoAllocator hako = HakoAllocator.create(config)) {
            int n = 2 * ParcelLayout.CAPACITY + 48; // two full parcels and a partial one
            long[] blocks = new long[n];
            long[] sizes = new long[n];
            byte pattern = (byte) 0x5A;
            CountDownLatch allocated = new CountDownLatch(1), checked = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread owner = Thread.ofPlatform().name("owner").start(() -> {
                try {
                    Heap heap = hako.heap();
                    for (int i = 0; i < n; i++) {
                        sizes[i] = 16 + (i * 37L) % 4000;
                        blocks[i] = heap.malloc(sizes[i]);
                        NativeMemory.fill(blocks[i], sizes[i], pattern);
                    }
                    allocated.countDown();
                    checked.await(); // the owner collects only after the checks
                    List<Long> again = new ArrayList<>();
                    for (int i = 0; i < n; i++) again.add(heap.malloc(sizes[i]));
                    for (long b : again) heap.free(b);
                    heap.close();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    allocated.countDown();
                }
            });
            allocated.await();
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                Heap heap = hako.heap();
                for (long b : blocks) heap.free(b); // remote: full parcels published, the rest open
                for (int i = 0; i < n; i++) {
                    if (!StrategyHarness.holds(blocks[i], sizes[i], pattern)) {
                        failure.compareAndSet(null, new AssertionError("block " + i + " written by a remote free"));
                    }
                }
                heap.close(); // flushProducer publishes the partial parcel
            });
            producer.join();
            for (int i = 0; i < n; i++) {
                assertTrue(StrategyHarness.holds(blocks[i], sizes[i], pattern), "block " + i + " written by the flush");
            }
            checked.countDown();
            owner.join();
            assertNull(failure.get(), () -> "failed: " + failure.get());
            hako.flushDeadThreads();
            AuditReport audit = hako.audit();
            assertTrue(audit.balanced(0), audit::toString);
        }
    }
}
