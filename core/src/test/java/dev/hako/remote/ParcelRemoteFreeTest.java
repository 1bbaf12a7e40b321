package dev.hako.remote;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.Heap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.remote.StrategyHarness.TestHeap;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-offs of strategy {@code parcel}: publication, routing, recycling, eviction, the byte budget, the fallback
 * when no parcel can be had, a bounded collect, and no block writes to any number of owners.
 */
class ParcelRemoteFreeTest {
    private static final int[] CLASSES = {0, 3, 64, 127, 131};

    /** Sends {@code n} blocks of rotating classes from {@code producer} to {@code owner}; returns block -> class. */
    private static Map<Long, Integer> send(StrategyHarness h, TestHeap producer, int owner, int n) {
        Map<Long, Integer> sent = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int c = CLASSES[i % CLASSES.length];
            long b = h.block(c);
            sent.put(b, c);
            h.strategy.send(producer, owner, c, b);
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
                if (i % 3 == 2) h.strategy.collectAll(owner); // returns parcels while one is open
            }
            assertEquals(1, parcel.chunksCarved(), "recycled parcels, no new chunk");
            assertTrue(parcelsUsed.size() <= ParcelRemoteFree.CHUNK_PARCELS);
            long open = parcel.openParcel(1, 2);
            int left = ParcelRemoteFree.openCount(open);
            assertEquals(58, left, "200 * 7 entries beyond full parcels, mod " + ParcelLayout.CAPACITY);
            h.strategy.flushProducer(producer); // more than a 256-byte parcel holds: the parcel itself goes
            assertEquals(open, NativeMemory.getLongPlain(parcel.inboundHead(2)));
            assertEquals(1, parcel.chunksCarved());
            h.strategy.collectAll(owner);
            // A few entries travel in a copy of the smallest size that holds them; the 1 KiB parcel stays.
            for (int n : new int[] {1, ParcelLayout.SMALL_CAPACITY, ParcelLayout.SMALL_CAPACITY + 1,
                    ParcelLayout.MEDIUM_CAPACITY}) {
                sent.putAll(send(h, producer, 2, n));
                long kept = parcel.openParcel(1, 2);
                h.strategy.flushProducer(producer);
                long shipped = NativeMemory.getLongPlain(parcel.inboundHead(2));
                assertNotEquals(kept, shipped);
                assertEquals(n, ParcelRemoteFree.count(shipped));
                assertEquals(n <= ParcelLayout.SMALL_CAPACITY ? 64 : 256, ParcelRemoteFree.sizeOf(shipped));
                h.strategy.collectAll(owner);
            }
            assertEquals(3, parcel.chunksCarved(), "one chunk of each size");
            assertDelivered(sent, owner);
            assertTrue(h.held().isEmpty());
        }
    }

    /** More owners than open parcels: a new owner ships the oldest open parcel, whatever its count; none goes loose. */
    @Test
    void evictionShipsTheOldestParcelWhateverItsCount() {
        int owners = 16;
        try (StrategyHarness h = new StrategyHarness(owners,
                context -> new ParcelRemoteFree(context, 4L << 20, 8, 1L << 20))) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1);
            List<Map<Long, Integer>> sent = new ArrayList<>();
            for (int o = 0; o <= owners; o++) sent.add(new HashMap<>());
            // Owners 2..9 fill the 8 open parcels with 10 entries each.
            for (int o = 2; o <= 9; o++) sent.get(o).putAll(send(h, producer, o, 10));
            assertEquals(8, parcel.openParcels(1));
            // Owners 10..13 each ship the oldest (2..5, in opening order), then hold 1..4 entries.
            for (int o = 10; o <= 13; o++) sent.get(o).putAll(send(h, producer, o, o - 9));
            for (int o = 2; o <= 5; o++) assertEquals(0, parcel.openParcel(1, o), "owner " + o + "'s parcel shipped");
            for (int o = 6; o <= 13; o++) assertNotEquals(0, parcel.openParcel(1, o), "owner " + o + "'s parcel open");
            assertEquals(8, parcel.openParcels(1));
            int held = 0;
            for (Map<Long, Integer> m : sent) held += m.size();
            assertEquals(held, h.held().size(), "open and published blocks are all seen once");
            h.strategy.flushProducer(producer); // every open parcel is published, the one-entry one too
            assertEquals(0, parcel.openParcels(1));
            assertEquals(0, parcel.heldBytes(1));
            for (int o = 2; o <= 13; o++) {
                TestHeap owner = h.heap(o);
                h.strategy.collectAll(owner);
                assertDelivered(sent.get(o), owner);
            }
            assertTrue(h.held().isEmpty());
            if (Stats.ENABLED) {
                assertEquals(0, producer.counters[Counter.FALLBACK.ordinal()], "nothing went loose");
                assertEquals(12, producer.counters[Counter.BATCH_PUBLISH.ordinal()], "4 evictions, 8 at the flush");
            }
        }
    }

    /**
     * The budget is shared equally: each open parcel may hold {@code budget >> LEVEL} bytes, {@code 2^LEVEL >= open
     * parcels}. One going over its share ships; when the open count passes a power of two the share halves and
     * the parcels over it ship, oldest first; with nothing open the whole budget is one parcel's again.
     */
    @Test
    void theBudgetGivesEachOpenParcelAnEqualShare() {
        int big = 127; // 2048 bytes
        int small = 0; // 16 bytes
        try (StrategyHarness h = new StrategyHarness(StrategyHarness.MAX_OWNERS,
                context -> new ParcelRemoteFree(context, 4L << 20, 64, 4096))) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1);
            long a = h.block(big), b = h.block(big), c = h.block(small), d = h.block(big), e = h.block(big);
            h.strategy.send(producer, 2, big, a);
            assertEquals(4096, parcel.share(1), "one open parcel: the whole budget");
            h.strategy.send(producer, 3, big, b);
            assertEquals(2048, parcel.share(1), "two: half each");
            assertEquals(4096, parcel.heldBytes(1), "at the budget, nothing shipped");
            h.strategy.send(producer, 4, small, c); // three open: 1024 each, the two 2048-byte parcels go
            assertEquals(2048, parcel.share(1), "one left open: the share grows back a level");
            assertEquals(0, parcel.openParcel(1, 2));
            assertEquals(0, parcel.openParcel(1, 3));
            assertEquals(16, parcel.heldBytes(1));
            h.strategy.send(producer, 4, big, d); // 2064 > 2048: owner 4's parcel goes
            assertEquals(0, parcel.openParcel(1, 4));
            assertEquals(0, parcel.heldBytes(1));
            assertEquals(4096, parcel.share(1), "nothing open: the whole budget again");
            h.strategy.send(producer, 5, big, e);
            assertEquals(1, ParcelRemoteFree.openCount(parcel.openParcel(1, 5)));
            TestHeap owner2 = h.heap(2), owner3 = h.heap(3), owner4 = h.heap(4), owner5 = h.heap(5);
            assertEquals(1, h.strategy.collect(owner2, big));
            assertEquals(List.of(a), owner2.all());
            assertEquals(1, h.strategy.collect(owner3, big));
            assertEquals(1, h.strategy.collect(owner4, big));
            assertEquals(Set.of(c, d), new HashSet<>(owner4.all()));
            assertEquals(0, h.strategy.collect(owner5, big), "owner 5's parcel is still open");
            h.strategy.flushProducer(producer);
            assertEquals(1, h.strategy.collect(owner5, big));
            assertTrue(h.held().isEmpty());
        }
    }

    static Stream<Arguments> fanOuts() {
        // owners, open parcels at most, budget in bytes
        int[][] shapes = {{9, 8, 1 << 20}, {64, 8, 1 << 20}, {64, 64, 8 << 10}, {256, 16, 64 << 10},
                {256, 256, 1 << 20}, {256, 256, 0}};
        return Stream.of(shapes)
                .flatMap(s -> LongStream.of(1, 2, 3).mapToObj(seed -> Arguments.of(seed, s[0], s[1], s[2])));
    }

    /**
     * A fan-out from two producers to many owners in a seeded random order, with collects and flushes in between:
     * at every checkpoint each block sent is either held by the strategy or in its owner's bin, exactly once; open
     * parcels and their bytes stay within the limits; no block is written and none goes loose; at the end every
     * block is in its own owner's bin of its class.
     */
    @ParameterizedTest(name = "seed {0}: {1} owners, {2} open, budget {3}")
    @MethodSource("fanOuts")
    void aFanOutKeepsEveryBlockOnceWithinTheLimits(long seed, int owners, int maxOpen, int budget) {
        long pattern = 0x5A5A_5A5A_5A5A_5A5AL;
        try (StrategyHarness h = new StrategyHarness(owners + 2,
                context -> new ParcelRemoteFree(context, 16L << 20, maxOpen, budget))) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap[] producers = {h.heap(1), h.heap(2)};
            TestHeap[] owner = new TestHeap[owners + 3];
            for (int o = 3; o < owner.length; o++) owner[o] = h.heap(o);
            Map<Long, Integer> ownerOf = new HashMap<>(), classOf = new HashMap<>();
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int step = 1; step <= 4000; step++) {
                int roll = rnd.nextInt(100);
                if (roll < 92) {
                    int p = rnd.nextInt(2), o = 3 + rnd.nextInt(owners), c = CLASSES[rnd.nextInt(CLASSES.length)];
                    long b = h.block(c);
                    NativeMemory.setLongPlain(b, pattern);
                    NativeMemory.setLongPlain(b + 8, pattern);
                    ownerOf.put(b, o);
                    classOf.put(b, c);
                    h.strategy.send(producers[p], o, c, b);
                    assertTrue(parcel.openParcels(p + 1) <= maxOpen, "open parcels within the limit");
                    assertTrue(parcel.heldBytes(p + 1) <= budget, "bytes held within the budget");
                } else if (roll < 99) {
                    h.strategy.collect(owner[3 + rnd.nextInt(owners)], CLASSES[rnd.nextInt(CLASSES.length)]);
                } else {
                    h.strategy.flushProducer(producers[rnd.nextInt(2)]);
                }
                if (step % 500 == 0) assertAccounted(h, owner, ownerOf);
            }
            for (TestHeap p : producers) h.strategy.flushProducer(p);
            for (int o = 3; o < owner.length; o++) h.strategy.collectAll(owner[o]);
            assertAccounted(h, owner, ownerOf);
            assertTrue(h.held().isEmpty(), "nothing held after the flush and the collects");
            for (int p = 1; p <= 2; p++) {
                assertEquals(0, parcel.openParcels(p));
                assertEquals(0, parcel.heldBytes(p));
            }
            for (int o = 3; o < owner.length; o++) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    for (long b : owner[o].bins.get(c)) assertEquals(classOf.get(b), c, "filed under its class");
                }
            }
            for (long b : ownerOf.keySet()) {
                assertEquals(pattern, NativeMemory.getLongPlain(b), "block written");
                assertEquals(pattern, NativeMemory.getLongPlain(b + 8), "block written");
            }
            if (Stats.ENABLED) {
                for (TestHeap p : producers) assertEquals(0, p.counters[Counter.FALLBACK.ordinal()], "none loose");
            }
        }
    }

    /** Every block sent is held by the strategy or in its own owner's bins, exactly once. */
    private static void assertAccounted(StrategyHarness h, TestHeap[] owner, Map<Long, Integer> ownerOf) {
        Map<Long, Integer> seen = new HashMap<>(h.held());
        seen.values().forEach(n -> assertEquals(1, n, "held twice"));
        for (int o = 3; o < owner.length; o++) {
            for (long b : owner[o].all()) {
                assertNull(seen.put(b, 1), () -> "held and delivered, or delivered twice: " + b);
                assertEquals(ownerOf.get(b), o, "delivered to its owner");
            }
        }
        assertEquals(ownerOf.keySet(), seen.keySet(), "every block sent is accounted for");
    }

    /**
     * A parcel pushed twice makes a self-loop in the owner's inbound list: the collect fails with a clear exception
     * instead of looping, and files nothing of that list (no block enters a bin twice).
     */
    @Test
    void aParcelPushedTwiceFailsTheCollectInsteadOfLooping() {
        try (StrategyHarness h = new StrategyHarness(ParcelRemoteFree.NAME)) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            Map<Long, Integer> sent = send(h, producer, 2, 5);
            h.strategy.flushProducer(producer);
            long p = NativeMemory.getLongPlain(parcel.inboundHead(2)); // the parcel just published
            assertEquals(5, ParcelRemoteFree.count(p));
            LinkedStack.push(producer, parcel.inboundHead(2), p, p); // the misuse: p -> p
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.strategy.collectAll(owner));
            assertTrue(e.getMessage().contains("pushed twice"), e.getMessage());
            assertEquals(0, owner.cached());
            assertEquals(5, sent.size());
        }
    }

    /** A foreign address in the inbound list fails the collect with the address, before anything is read from it. */
    @Test
    void anAddressThatIsNoParcelFailsTheCollect() {
        try (StrategyHarness h = new StrategyHarness(ParcelRemoteFree.NAME)) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            long stray = h.block(3);
            LinkedStack.push(producer, parcel.inboundHead(2), stray, stray);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.strategy.collect(owner, 3));
            assertTrue(e.getMessage().contains(Long.toHexString(stray)), e.getMessage());
            assertEquals(0, owner.cached());
        }
    }

    /** With the parcel space used up, blocks travel loose; once parcels come back, parcels are used again. */
    @Test
    void whenNoParcelCanBeHadBlocksTravelLooseAndRecyclingResumes() {
        try (StrategyHarness h = new StrategyHarness(StrategyHarness.MAX_OWNERS,
                context -> new ParcelRemoteFree(context, ParcelRemoteFree.CHUNK_BYTES))) {
            ParcelRemoteFree parcel = (ParcelRemoteFree) h.strategy;
            TestHeap producer = h.heap(1), owner = h.heap(2);
            int n = (ParcelRemoteFree.CHUNK_PARCELS + 3) * ParcelLayout.CAPACITY;
            Map<Long, Integer> sent = send(h, producer, 2, n);
            assertEquals(1, parcel.chunksCarved());
            assertEquals(0, parcel.openParcel(1, 2), "no parcel left to open");
            assertEquals(sent.size(), h.held().size());
            h.strategy.collectAll(owner);
            assertDelivered(sent, owner);
            Map<Long, Integer> more = send(h, producer, 2, 5);
            assertNotEquals(0, parcel.openParcel(1, 2), "a returned parcel is open again");
            h.strategy.flushProducer(producer);
            TestHeap owner2 = h.heap(2);
            h.strategy.collectAll(owner2);
            assertDelivered(more, owner2);
            assertTrue(h.held().isEmpty());
        }
    }

    /**
     * The point of parcels: a remote free, the publication and the flush never write the freed block, so a block
     * nobody touched costs no page fault and its cache line never moves; to any number of owners (with the limits
     * small enough for eviction and the budget to ship parcels all the time in the last row). Checked on a real
     * allocator, before the owners collect, with an audit in between (every block free exactly once: in an owner's
     * cache, an open parcel or an inbound one).
     */
    @ParameterizedTest(name = "{0} owners, {1} open, budget {2}")
    @CsvSource({"1, 256, 1m", "64, 256, 1m", "256, 256, 1m", "256, 16, 16k"})
    void aRemoteFreeToManyOwnersDoesNotWriteTheBlock(int owners, int maxOpen, String budget) throws Exception {
        int perOwner = owners == 1 ? 2 * ParcelLayout.CAPACITY + 48 : 40; // one owner: two full parcels and some
        int producers = 2;
        HakoConfig config = HakoConfig.builder().remote(ParcelRemoteFree.NAME).arenaBytes(4L << 30)
                .maxOwners(owners + producers + 4).sharedHeaps(2).parcelOpen(maxOpen)
                .parcelBudget(HakoConfig.parseBytes(budget)).build();
        HakoAllocator created = HakoAllocator.create(config);
        try (HakoAllocator hako = created) {
            int n = owners * perOwner;
            long[] blocks = new long[n];
            long[] sizes = new long[n];
            byte pattern = (byte) 0x5A;
            CountDownLatch allocated = new CountDownLatch(owners), checked = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> ownerThreads = new ArrayList<>();
            for (int k = 0; k < owners; k++) {
                int me = k;
                ownerThreads.add(Thread.ofPlatform().name("owner-" + k).start(() -> {
                    try {
                        Heap heap = hako.heap();
                        for (int i = me; i < n; i += owners) {
                            sizes[i] = 16 + (i * 37L) % 4000;
                            blocks[i] = heap.malloc(sizes[i]);
                            NativeMemory.fill(blocks[i], sizes[i], pattern);
                        }
                        allocated.countDown();
                        checked.await(); // the owner collects only after the checks
                        List<Long> again = new ArrayList<>();
                        for (int i = me; i < n; i += owners) again.add(heap.malloc(sizes[i]));
                        for (long b : again) heap.free(b);
                        heap.close();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        allocated.countDown();
                    }
                }));
            }
            allocated.await();
            assertNull(failure.get(), () -> "owner failed: " + failure.get());
            // Random owner order, split between two producers.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) order.add(i);
            java.util.Collections.shuffle(order, new java.util.Random(owners));
            List<Thread> producerThreads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int me = p;
                producerThreads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    try {
                        Heap heap = hako.heap();
                        for (int k = me; k < n; k += producers) heap.free(blocks[order.get(k)]);
                        for (int k = me; k < n; k += producers) {
                            int i = order.get(k);
                            if (!StrategyHarness.holds(blocks[i], sizes[i], pattern)) {
                                throw new AssertionError("block " + i + " written by a remote free");
                            }
                        }
                        if (me == 0) heap.close(); // flushProducer publishes its open parcels; the other exits open
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : producerThreads) t.join();
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            AuditReport mid = hako.audit(); // reaps the dead producer (its open parcels are shipped), then counts
            assertTrue(mid.balanced(0), () -> "before the owners collect: " + mid);
            for (int i = 0; i < n; i++) {
                assertTrue(StrategyHarness.holds(blocks[i], sizes[i], pattern), "block " + i + " written by the flush");
            }
            checked.countDown();
            for (Thread t : ownerThreads) t.join();
            assertNull(failure.get(), () -> "failed: " + failure.get());
            hako.flushDeadThreads();
            AuditReport audit = hako.audit();
            assertTrue(audit.balanced(0), audit::toString);
            if (Stats.ENABLED) assertEquals(0, hako.stats().get("fallbacks"), "nothing went loose");
        }
    }

}
