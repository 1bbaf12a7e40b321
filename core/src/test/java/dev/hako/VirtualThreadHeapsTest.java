package dev.hako;

import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual threads hold exclusive heaps, at most {@code virtualHeaps} at once; the others share. They can be
 * unmounted anywhere and die without a hook: every block must still be accounted for once they have ended.
 */
class VirtualThreadHeapsTest {
    static List<String> strategies() {
        return RemoteStrategies.names();
    }

    private static HakoAllocator withCap(int cap) {
        return HakoAllocator.create(TestHako.config().virtualHeaps(cap).build());
    }

    @Test
    void virtualThreadsShouldHoldExclusiveHeapsUpToTheCapAndShareBeyond() throws Exception {
        int cap = 3, n = 10;
        try (HakoAllocator hako = withCap(cap)) {
            CyclicBarrier together = new CyclicBarrier(n);
            Set<Integer> exclusiveIds = ConcurrentHashMap.newKeySet();
            Set<Integer> sharedIds = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int me = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        Heap h = hako.heap();
                        if (h.isShared()) sharedIds.add(h.ownerId());
                        else assertTrue(exclusiveIds.add(h.ownerId()), "id " + h.ownerId() + " held twice");
                        together.await(); // all alive at once: the cap is reached for real
                        long a = hako.malloc(48 + me);
                        TestHako.fill(a, 48 + me, me);
                        together.await();
                        TestHako.assertPattern(a, 48 + me, me);
                        hako.free(a);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        together.reset();
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            assertEquals(Set.of(3, 4, 5), exclusiveIds, "the cap's worth of ids after the shared heaps' 1..2");
            assertTrue(Set.of(1, 2).containsAll(sharedIds) && !sharedIds.isEmpty(), "the rest share: " + sharedIds);
            assertEquals(5, hako.stats().ownersHighWater());
            assertBalanced(hako, 0);
            assertEquals(2, hako.stats().ownersInUse(), "the audit reaped the dead threads: only the shared ids");
        }
    }

    @Test
    void deadVirtualThreadsShouldHandTheirIdsAndCachesToTheNext() throws Exception {
        int cap = 2;
        try (HakoAllocator hako = withCap(cap)) {
            ConcurrentLinkedQueue<long[]> kept = new ConcurrentLinkedQueue<>(); // {address, size, seed}
            Set<Integer> ids = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int round = 0; round < 60; round++) {
                int r = round;
                Thread.ofVirtual().start(() -> {
                    try {
                        Heap h = hako.heap();
                        assertFalse(h.isShared(), "ids of dead virtual threads are reaped at the cap");
                        ids.add(h.ownerId());
                        for (int i = 0; i < 200; i++) {
                            long size = 16 + 16 * (i % 40);
                            long a = h.malloc(size);
                            TestHako.fill(a, size, r * 1000L + i);
                            if (i % 10 == 0) kept.add(new long[] {a, size, r * 1000L + i}); // outlives the thread
                            else h.free(a); // cached when the thread dies
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }).join();
            }
            assertNull(failure.get());
            assertTrue(Set.of(3, 4).containsAll(ids), "ids " + ids);
            assertTrue(hako.stats().ownersHighWater() <= 2 + cap);
            AuditReport before = assertBalanced(hako, kept.size());
            // 60 threads, 180 frees each, but the blocks were adopted with the ids: a few stores' worth was carved
            assertTrue(before.carvedBlocks() < 3 * 40 * 64 + kept.size(), "carved " + before.carvedBlocks());
            for (long[] b : kept) { // remote frees to ids whose threads died
                TestHako.assertPattern(b[0], b[1], b[2]);
                hako.free(b[0]);
            }
            assertBalanced(hako, 0);
        }
    }

    /**
     * Seeded random work on many virtual threads at once, more than the cap: each keeps a working set of patterned
     * blocks, parks now and then (so it is unmounted and may come back on another carrier), hands some blocks to
     * others (remote frees, also to threads that have died) and ends with blocks still held by the hand-off queue
     * and blocks cached in its heap. A global set catches a block handed out twice at once; every freer checks the
     * pattern; afterwards the audit must find every block free.
     */
    @ParameterizedTest
    @MethodSource("strategies")
    void seededRandomWorkOnManyVirtualThreadsShouldAccountForEveryBlock(String remote) throws Exception {
        int cap = 4, threads = 150, ops = 1500;
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().remote(remote).virtualHeaps(cap).build())) {
            Set<Long> live = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<long[]> handOff = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                all.add(Thread.ofVirtual().start(() -> {
                    try {
                        randomWork(hako, new SplittableRandom(42L * 1_000_003 + me), me, ops, live, handOff);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : all) t.join();
            assertNull(failure.get());
            assertTrue(hako.stats().ownersHighWater() <= 2 + cap, "bounded ids: " + hako.stats().ownersHighWater());
            assertEquals(handOff.size(), live.size(), "what the threads still held went to the hand-off queue");
            assertBalanced(hako, live.size() - largeIn(handOff)); // the audit counts page blocks
            for (long[] b; (b = handOff.poll()) != null; ) {
                TestHako.assertPattern(b[0], b[1], b[2]);
                assertTrue(live.remove(b[0]));
                hako.free(b[0]);
            }
            assertTrue(live.isEmpty());
            assertBalanced(hako, 0);
        }
    }

    private static long largeIn(ConcurrentLinkedQueue<long[]> blocks) {
        return blocks.stream().filter(b -> b[3] > dev.hako.layout.SizeClasses.MAX_SIZE).count();
    }

    private static void randomWork(HakoAllocator hako, SplittableRandom rnd, int me, int ops, Set<Long> live,
                                   ConcurrentLinkedQueue<long[]> handOff) {
        Heap heap = hako.heap();
        long[][] slots = new long[16][];
        long serial = 0;
        for (int i = 0; i < ops; i++) {
            int k = rnd.nextInt(slots.length);
            if (rnd.nextInt(50) == 0) LockSupport.parkNanos(rnd.nextInt(20_000)); // unmounted here
            if (rnd.nextInt(100) < 5) { // free a block another thread handed off (perhaps a dead one's)
                long[] b = handOff.poll();
                if (b != null) release(hako, heap, rnd, b, live);
            }
            if (slots[k] == null) {
                long size = rnd.nextInt(100) == 0 ? 70_000 + rnd.nextInt(50_000) : 1 + rnd.nextInt(4096);
                long a = rnd.nextBoolean() ? heap.malloc(size) : hako.malloc(size);
                if (!live.add(a)) throw new AssertionError(String.format("block 0x%x handed out twice", a));
                long seed = (long) me << 32 | serial++;
                TestHako.fill(a, Math.min(size, 256), seed);
                slots[k] = new long[] {a, Math.min(size, 256), seed, size}; // patterned prefix, then the size
            } else if (rnd.nextInt(100) < 20) {
                handOff.add(slots[k]); // freed later by another thread, or by the test
                slots[k] = null;
            } else {
                release(hako, heap, rnd, slots[k], live);
                slots[k] = null;
            }
        }
        // Ends holding some blocks in the hand-off queue and its cache full of others: no exit hook runs.
        for (long[] b : slots) if (b != null) handOff.add(b);
    }

    private static void release(HakoAllocator hako, Heap heap, SplittableRandom rnd, long[] b, Set<Long> live) {
        TestHako.assertPattern(b[0], b[1], b[2]);
        if (!live.remove(b[0])) throw new AssertionError(String.format("block 0x%x freed but not live", b[0]));
        if (rnd.nextBoolean()) heap.free(b[0]);
        else hako.free(b[0]);
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void exchangeBetweenVirtualThreadsWithHeapsOfTheirOwnShouldBalance(String remote) throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().remote(remote).virtualHeaps(3).build())) {
            ExchangeRun.Result r = new ExchangeRun(hako, ExchangeRun.Options.of(6, 3000, 70).churn(200)
                    .virtualThreads().seed(5)).run();
            assertTrue(r.sharedSeen().contains(false), "virtual threads get exclusive heaps");
            assertTrue(hako.stats().ownersHighWater() <= 2 + 3, "ids " + r.ownerIds());
            hako.flushDeadThreads();
            assertBalanced(hako, 0);
        }
    }

    @Test
    void closeShouldRefuseWhileALiveVirtualThreadHoldsAHeap() throws Exception {
        HakoAllocator hako = withCap(4);
        CountDownLatch attached = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(1);
        long[] block = new long[1];
        Thread v = Thread.ofVirtual().start(() -> {
            block[0] = hako.malloc(100); // an exclusive heap: the thread could be inside a malloc at any time
            attached.countDown();
            try {
                end.await(); // parked: unmounted, alive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        attached.await();
        IllegalStateException e = assertThrows(IllegalStateException.class, hako::close);
        assertTrue(e.getMessage().contains("1 live thread"), e.getMessage());
        hako.free(block[0]); // the allocator is still open
        end.countDown();
        v.join();
        hako.close(); // the dead thread's heap is reaped by close
        assertThrows(IllegalStateException.class, () -> hako.malloc(16));
    }

    /** A virtual thread on a shared heap is never in the thread-id table: every call goes through the ThreadLocal. */
    @Test
    void virtualThreadsPastTheCapShouldWorkThroughTheThreadLocal() throws Exception {
        try (HakoAllocator hako = withCap(0)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    assertTrue(hako.heap().isShared());
                    for (int i = 0; i < 1000; i++) {
                        long a = hako.calloc(1, 16 + i % 300);
                        TestHako.fill(a, 16, i);
                        long moved = hako.realloc(a, 600);
                        assertEquals(-1, TestHako.checkMoved(moved, a, 16, i), "realloc kept the bytes");
                        a = moved;
                        assertTrue(hako.usableSize(a) >= 600);
                        hako.free(a);
                        hako.free(hako.alignedAlloc(256, 100));
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }).join();
            assertNull(failure.get());
            assertEquals(2, hako.stats().ownersHighWater());
            assertBalanced(hako, 0);
        }
    }

    /** More threads than ids: platform and virtual threads compete for the ids, the rest share, all stays correct. */
    @Test
    void platformAndVirtualThreadsBeyondTheIdsShouldShare() throws Exception {
        HakoConfig config = TestHako.config().maxOwners(5).sharedHeaps(2).virtualHeaps(8).build();
        try (HakoAllocator hako = HakoAllocator.create(config)) {
            int n = 12;
            CyclicBarrier together = new CyclicBarrier(n);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Set<Boolean> shared = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int me = i;
                Runnable body = () -> {
                    try {
                        shared.add(hako.heap().isShared());
                        together.await();
                        for (int k = 0; k < 500; k++) {
                            long a = hako.malloc(16 + (k * 7 + me) % 2000);
                            TestHako.fill(a, 16, me * 1000L + k);
                            TestHako.assertPattern(a, 16, me * 1000L + k);
                            hako.free(a);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        together.reset();
                    }
                };
                threads.add(me % 2 == 0 ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            assertEquals(Set.of(true, false), shared);
            assertTrue(hako.stats().ownersHighWater() <= 5);
            assertBalanced(hako, 0);
        }
    }

    /** The static API on a virtual thread takes the same fast path as on a platform thread: its own heap. */
    @Test
    void staticApiOnAVirtualThreadShouldUseItsOwnHeap() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                Heap h = Hako.heap();
                assertFalse(h.isShared(), "the process-wide allocator's cap is 4 x cores");
                long a = Hako.malloc(72);
                TestHako.fill(a, 72, 9);
                long b = h.malloc(72);
                assertNotEquals(a, b);
                TestHako.assertPattern(a, 72, 9);
                Hako.free(a);
                assertEquals(a, h.malloc(72), "the static free went to the same heap's cache");
                h.free(a);
                Hako.free(b);
                h.close();
                assertFalse(Hako.heap().isShared(), "it re-attaches after a close");
                Hako.free(Hako.malloc(72));
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        assertNull(failure.get());
    }
}
