package dev.hako;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hako.TestHako.assertBalanced;
import static dev.hako.TestHako.inThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Owner ids, heap handles, thread exit, adoption, the reaper, and more threads than owner slots. */
class OwnersTest {

    @Test
    void ownerIdsShouldStartAt1WithSharedHeapsFirstAndTagTheirPages() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().virtualHeaps(0).build())) {
            PageMap pages = TestHako.pageMap(hako);
            Heap mine = hako.heap();
            assertFalse(mine.isShared());
            assertEquals(3, mine.ownerId(), "ids 1..2 are the shared heaps; the first platform thread gets 3");
            long a = mine.malloc(100);
            assertEquals(mine.ownerId(), PageMap.ownerOf(pages.tagAt(a)));
            assertEquals(SizeClasses.classOf(100), PageMap.classOf(pages.tagAt(a)));
            long[] fromVirtual = new long[2];
            Thread v = Thread.ofVirtual().start(() -> {
                Heap h = hako.heap();
                fromVirtual[0] = h.ownerId();
                fromVirtual[1] = h.malloc(5000);
                assertTrue(h.isShared());
            });
            v.join();
            assertTrue(fromVirtual[0] >= 1 && fromVirtual[0] <= 2, "virtual threads use ids 1..2: " + fromVirtual[0]);
            assertEquals(fromVirtual[0], PageMap.ownerOf(pages.tagAt(fromVirtual[1])));
            mine.free(a);
            mine.free(fromVirtual[1]); // remote free to a shared heap
            assertBalanced(hako, 0);
        }
    }

    @Test
    void threadExitingWithCachedBlocksShouldHandThemToTheNextThread() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            Set<Long> first = new HashSet<>();
            int[] ids = new int[2];
            inThread("first", () -> {
                Heap h = hako.heap();
                ids[0] = h.ownerId();
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < 512; i++) blocks.add(h.malloc(48)); // 8 whole refill batches
                for (int i = 0; i < 20; i++) blocks.add(h.malloc(3000)); // 2 batches of 10
                blocks.forEach(b -> TestHako.fill(b, 48, 1));
                first.addAll(blocks);
                blocks.forEach(h::free); // cached when the thread exits
            });
            assertEquals(1, hako.flushDeadThreads());
            long carved = assertBalanced(hako, 0).carvedBlocks();
            assertEquals(532, carved);
            Set<Long> second = new HashSet<>();
            inThread("second", () -> {
                Heap h = hako.heap();
                ids[1] = h.ownerId();
                for (int i = 0; i < 512; i++) second.add(h.malloc(48));
                for (int i = 0; i < 20; i++) second.add(h.malloc(3000));
                second.forEach(h::free);
            });
            assertEquals(ids[0], ids[1], "the next thread takes the vacant id");
            assertEquals(first, second, "and gets exactly the blocks the first one left");
            hako.flushDeadThreads();
            assertEquals(carved, assertBalanced(hako, 0).carvedBlocks(), "nothing new carved");
        }
    }

    @Test
    void remoteFreesToAnExitedOwnerShouldBeAdoptedByTheNextHolderOfItsId() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            Heap main = hako.heap(); // attach first, so the workers' id is not ours
            List<Long> blocks = new ArrayList<>();
            int[] ids = new int[2];
            inThread("allocator", () -> {
                Heap h = hako.heap();
                ids[0] = h.ownerId();
                for (int i = 0; i < 256; i++) {
                    long a = h.malloc(200);
                    TestHako.fill(a, 200, i);
                    blocks.add(a);
                }
            });
            assertEquals(1, hako.flushDeadThreads());
            for (int i = 0; i < blocks.size(); i++) {
                TestHako.assertPattern(blocks.get(i), 200, i);
                main.free(blocks.get(i)); // remote: the owner id is vacant, the blocks wait for its next holder
            }
            // A buffering strategy (parcel, the default) may still hold some of them for the owner: closing main's
            // heap publishes them, and the test thread takes main's id (the lowest vacant) back at once.
            main.close();
            assertTrue(hako.heap().ownerId() < ids[0]);
            long carved = assertBalanced(hako, 0).carvedBlocks();
            Set<Long> again = new HashSet<>();
            inThread("adopter", () -> {
                Heap h = hako.heap();
                ids[1] = h.ownerId();
                for (int i = 0; i < 256; i++) again.add(h.malloc(200));
                again.forEach(h::free);
            });
            assertEquals(ids[0], ids[1]);
            assertEquals(new HashSet<>(blocks), again, "the adopter's mallocs drain what waited for its id");
            hako.flushDeadThreads();
            assertEquals(carved, assertBalanced(hako, 0).carvedBlocks());
        }
    }

    @Test
    void closedHeapShouldThrowIllegalStateExceptionAndTheAllocatorShouldGiveANewOne() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap h = hako.heap();
            int id = h.ownerId();
            long a = h.malloc(64);
            TestHako.fill(a, 64, 5);
            long big = h.malloc(1 << 20);
            h.close();
            assertEquals(0, h.ownerId(), "a closed handle holds no id");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.malloc(64));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> h.malloc(70_000));
            assertThrows(IllegalStateException.class, () -> h.calloc(2, 32));
            assertThrows(IllegalStateException.class, () -> h.alignedAlloc(256, 64));
            assertThrows(IllegalStateException.class, () -> h.realloc(0, 64));
            assertThrows(IllegalStateException.class, () -> h.realloc(a, 500));
            assertThrows(IllegalStateException.class, () -> h.free(a));
            h.close(); // twice: no-op
            TestHako.assertPattern(a, 64, 5);

            Heap fresh = hako.heap();
            assertNotSame(h, fresh);
            assertEquals(id, fresh.ownerId(), "the same thread re-attaches and adopts its old id");
            assertEquals(a, fresh.realloc(a, 64), "the old block is still live and still ours");
            fresh.free(a);
            fresh.free(big);
            assertEquals(a, hako.malloc(64), "and its cache came along");
            hako.free(a);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void closeOfASharedHeapShouldBeANoOp() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().virtualHeaps(0).build())) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread v = Thread.ofVirtual().start(() -> {
                try {
                    Heap h = hako.heap();
                    int id = h.ownerId();
                    h.close();
                    assertEquals(id, h.ownerId());
                    h.free(h.malloc(64));
                    assertSame(h, hako.heap());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            v.join();
            assertNull(failure.get());
            assertBalanced(hako, 0);
        }
    }

    @Test
    void staticApiShouldReattachAfterTheThreadClosedItsHeap() throws Exception {
        inThread("static-api", () -> {
            Heap h = Hako.heap();
            long a = Hako.malloc(128);
            h.close();
            assertThrows(IllegalStateException.class, () -> h.malloc(16));
            long b = Hako.malloc(128); // re-attaches through the ThreadLocal
            Heap again = Hako.heap();
            assertNotSame(h, again);
            assertFalse(again.isShared());
            Hako.free(a);
            Hako.free(b);
            MemorySegmentCheck.roundTrip();
        });
    }

    /** The static MemorySegment entry points. */
    static final class MemorySegmentCheck {
        static void roundTrip() {
            var s = Hako.allocate(40);
            assertEquals(40, s.byteSize());
            s.fill((byte) 1);
            Hako.free(s);
            var seg = Hako.segmentAllocator().allocate(0);
            assertEquals(0, seg.byteSize());
            Hako.free(seg);
            assertTrue(Hako.usableSize(Hako.calloc(2, 8)) >= 16);
            long p = Hako.alignedAlloc(1024, 10);
            assertEquals(0, p % 1024);
            p = Hako.realloc(p, 5000);
            Hako.free(p);
            assertSame(Hako.global(), Hako.global());
            assertNotEquals(null, Hako.stats());
        }
    }

    @Test
    void reaperShouldDetachADeadThreadByItself() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().reaperIntervalMillis(2).build())) {
            hako.heap(); // starts the reaper
            int before = hako.stats().ownersInUse();
            inThread("short-lived", () -> hako.free(hako.malloc(64)));
            // liveness, not timing: wait (up to a generous bound) for the reaper to free the id
            for (int i = 0; i < 20_000 && hako.stats().ownersInUse() > before; i++) Thread.sleep(1);
            assertEquals(before, hako.stats().ownersInUse(), "the reaper detached the dead thread's heap");
            assertEquals(0, hako.flushDeadThreads(), "nothing left to reap");
            assertBalanced(hako, 0);
        }
    }

    @Test
    void idsOfExitedThreadsShouldBeReused() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 25; i++) {
                inThread("t" + i, () -> {
                    ids.add(hako.heap().ownerId());
                    hako.free(hako.malloc(64));
                });
                hako.flushDeadThreads();
            }
            assertEquals(Set.of(3), ids);
            assertEquals(3, hako.stats().ownersHighWater());
            assertBalanced(hako, 0);
        }
    }

    @Test
    void threadsBeyondTheOwnerSlotsShouldShareAndLaterThreadsGetExclusiveIdsAgain() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().maxOwners(4).sharedHeaps(2).build())) {
            int n = 7;
            CyclicBarrier allAttached = new CyclicBarrier(n);
            List<Heap> heaps = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        Heap h = hako.heap();
                        synchronized (heaps) {
                            heaps.add(h);
                        }
                        allAttached.await();
                        long a = h.malloc(32);
                        h.free(a);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            long exclusive = heaps.stream().filter(h -> !h.isShared()).count();
            assertEquals(2, exclusive, "ids 3 and 4 go to two threads, the rest share ids 1 and 2");
            assertEquals(Set.of(1, 2), heaps.stream().filter(Heap::isShared).map(Heap::ownerId)
                    .collect(java.util.stream.Collectors.toSet()));
            assertEquals(4, hako.stats().ownersHighWater());
            hako.flushDeadThreads();
            inThread("later", () -> assertFalse(hako.heap().isShared(), "a vacant id is claimed again"));
            hako.flushDeadThreads();
            assertBalanced(hako, 0);
        }
    }

    /**
     * Claims, closes and reaping race: rounds of threads start together (more than there are ids), a fast reaper
     * runs, some threads close their heap and re-attach. At every barrier no two live exclusive heaps share an id.
     */
    @Test
    void concurrentClaimsShouldNeverGiveTwoLiveThreadsTheSameId() throws Exception {
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().maxOwners(8).sharedHeaps(2)
                .reaperIntervalMillis(1).build())) {
            int n = 10;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int round = 0; round < 25; round++) {
                CyclicBarrier barrier = new CyclicBarrier(n);
                Set<Integer> exclusiveIds = ConcurrentHashMap.newKeySet();
                List<Thread> threads = new ArrayList<>();
                int r = round;
                for (int i = 0; i < n; i++) {
                    int me = i;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            Heap h = hako.heap();
                            if ((me + r) % 3 == 0) { // close and come back
                                h.free(h.malloc(48));
                                h.close();
                                h = hako.heap();
                            }
                            barrier.await();
                            if (!h.isShared() && !exclusiveIds.add(h.ownerId())) {
                                throw new AssertionError("id " + h.ownerId() + " held by two live threads");
                            }
                            barrier.await();
                            long a = h.malloc(16 + 16 * me);
                            TestHako.fill(a, 16, me);
                            TestHako.assertPattern(a, 16, me);
                            h.free(a);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                            barrier.reset();
                        }
                    }));
                }
                for (Thread t : threads) t.join();
                assertNull(failure.get());
                assertTrue(hako.stats().ownersHighWater() <= 8);
            }
            hako.flushDeadThreads();
            assertBalanced(hako, 0);
        }
    }

    @Test
    void manyShortLivedVirtualThreadsShouldUseBoundedIdsAndMemory() throws Exception {
        int cap = 4;
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().virtualHeaps(cap).build())) {
            int n = 4000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long[] handoff = new long[n];
            List<Thread> threads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int me = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        Heap h = hako.heap();
                        long[] mine = new long[4];
                        for (int k = 0; k < 4; k++) {
                            mine[k] = h.malloc(16 + 48 * k);
                            TestHako.fill(mine[k], 16 + 48 * k, me);
                        }
                        for (int k = 1; k < 4; k++) {
                            TestHako.assertPattern(mine[k], 16 + 48 * k, me);
                            h.free(mine[k]);
                        }
                        synchronized (handoff) {
                            handoff[me] = mine[0]; // freed later by another virtual thread
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            List<Thread> freers = new ArrayList<>();
            for (int part = 0; part < 8; part++) {
                int p = part;
                freers.add(Thread.ofVirtual().start(() -> {
                    for (int i = p; i < n; i += 8) {
                        TestHako.assertPattern(handoff[i], 16, i);
                        hako.free(handoff[i]);
                    }
                }));
            }
            for (Thread t : freers) t.join();
            HakoStats stats = hako.stats();
            assertTrue(stats.ownersHighWater() <= 2 + cap, "at most " + cap + " ids for virtual threads: "
                    + stats.ownersHighWater());
            assertTrue(stats.ownersInUse() <= 2 + cap);
            long carved = assertBalanced(hako, 0).carvedBlocks();
            // n blocks were live at once (the hand-off); the other 3n were freed at once and reused (without reuse,
            // 4n carved). Each of the 2 + cap heaps also carves refill batches of its own for each of the 4 sizes.
            assertTrue(carved < 2L * n, "blocks are reused across virtual threads, carved=" + carved);
        }
    }

    /**
     * Closing the allocator while the reaper detaches dead threads: the reaper's flush of a producer (batch links
     * and pushes its open groups) must not run after close() has unmapped the arena and the strategy's memory.
     * Before the fix this crashed the JVM (SIGSEGV in the hako-reaper thread) within a few dozen rounds.
     */
    @ParameterizedTest
    @MethodSource("dev.hako.remote.RemoteStrategies#names")
    void closeShouldWaitForAReapInProgress(String remote) throws Exception {
        for (int round = 0; round < 40; round++) {
            HakoAllocator hako = HakoAllocator.create(TestHako.config().remote(remote).reaperIntervalMillis(1).build());
            long[] blocks = new long[64];
            try (OtherThread owner = new OtherThread("owner")) {
                owner.run(() -> {
                    for (int i = 0; i < blocks.length; i++) blocks[i] = hako.malloc(16 + 16 * (i % 8));
                });
            }
            List<Thread> freers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int me = t;
                freers.add(Thread.ofPlatform().start(() -> {
                    for (int i = me; i < blocks.length; i += 6) hako.free(blocks[i]); // held as producer until reaped
                }));
            }
            for (Thread t : freers) t.join();
            hako.close(); // the reaper is likely detaching the freers right now
            hako.close(); // twice: no-op
        }
    }

    @Test
    void closingAHeapAfterTheAllocatorIsClosedShouldDoNothing() throws Exception {
        HakoAllocator hako = TestHako.create();
        Heap h = hako.heap();
        h.free(h.malloc(64));
        hako.close();
        h.close(); // must not flush into unmapped memory
        assertEquals(0, h.ownerId(), "closing the allocator detached every heap");
        assertThrows(IllegalStateException.class, () -> h.malloc(64), "use after close is refused, not a crash");
    }

    @Test
    void shutdownFlushShouldReapDeadThreads() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            hako.heap();
            int before = hako.stats().ownersInUse();
            inThread("dies", () -> hako.free(hako.malloc(64)));
            hako.flushAtShutdown();
            assertTrue(hako.stats().ownersInUse() <= before);
            assertBalanced(hako, 0);
        }
    }
}
