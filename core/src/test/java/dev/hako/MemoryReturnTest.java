package dev.hako;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory comes back: caches are bounded, wholly free pages go to the pool and change owner and class, the pool
 * decays to the kernel after the delay (checked with {@code mincore}), trim gives everything back at once, quiet
 * owners' remote frees and parked stores' caches are collected, large blocks reuse arena pages. A hand-driven clock
 * makes the delays deterministic.
 */
class MemoryReturnTest {
    static final long DECAY = 500;

    static final class Clocked implements AutoCloseable {
        final AtomicLong now = new AtomicLong(10_000);
        final HakoAllocator hako;

        Clocked(HakoConfig.Builder config) {
            hako = HakoAllocator.create(config.decayMillis(DECAY).build(), now::get);
        }

        Clocked() {
            this(TestHako.config());
        }

        /** Lets {@code millis} pass and runs a housekeeping pass (twice: the first sees owners go quiet). */
        void after(long millis) {
            hako.housekeep();
            now.addAndGet(millis);
            hako.housekeep();
        }

        HakoStats.Memory memory() {
            return hako.stats().memory();
        }

        /** Resident bytes of the arena's committed part. */
        long resident() {
            long base = TestHako.pageMap(hako).base();
            return Residency.residentBytes(base, hako.stats().committedBytes());
        }

        @Override
        public void close() {
            hako.close();
        }
    }

    /** Random sizes 16 B .. 64 KiB, every page written, as the burst scenario does. */
    static List<Long> burst(Heap heap, long bytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Long> blocks = new ArrayList<>();
        for (long total = 0; total < bytes; ) {
            long size = 16 + rnd.nextLong(SizeClasses.MAX_SIZE - 15);
            long a = heap.malloc(size);
            TestHako.ALL.asSlice(a, size).fill((byte) 1);
            blocks.add(a);
            total += size;
        }
        return blocks;
    }

    @Test
    void aFreedBurstShouldGoBackToTheKernelAfterTheDecay() {
        try (Clocked c = new Clocked()) {
            Heap heap = c.hako.heap();
            List<Long> blocks = burst(heap, 64L << 20, 1);
            long residentAtPeak = c.resident();
            assertTrue(residentAtPeak >= 64L << 20, "the burst is resident: " + residentAtPeak);
            blocks.forEach(heap::free);
            HakoStats.Memory freed = c.memory();
            assertEquals(0, freed.liveBytes());
            assertTrue(freed.cachedBytes() <= 16L << 20, "caches are bounded: " + freed);
            assertTrue(freed.pooledBytes() + freed.freeInPagesBytes() >= 48L << 20, "the pages are free: " + freed);
            c.hako.housekeep();
            c.now.addAndGet(DECAY / 2);
            c.hako.housekeep();
            assertEquals(0, c.memory().decommittedBytes(), "nothing decays before the delay");
            c.now.addAndGet(DECAY / 2);
            c.hako.housekeep();
            // Quiet for the delay: its wholly free pages go to the pool, as old as its quiet, and decay at once.
            HakoStats.Memory decayed = c.memory();
            assertEquals(0, decayed.pooledBytes(), "every pooled page decayed: " + decayed);
            assertTrue(decayed.decommittedBytes() >= freed.pooledBytes());
            assertTrue(decayed.returnedBytes() >= freed.pooledBytes());
            long afterDecay = c.resident();
            assertTrue(afterDecay <= residentAtPeak - (32L << 20), "RSS fell: " + residentAtPeak + " -> " + afterDecay);
            long trimmed = c.hako.trim();
            assertTrue(trimmed > 0, "trim returns what the caches and the kept pages held");
            HakoStats.Memory afterTrim = c.memory();
            assertEquals(0, afterTrim.cachedBytes(), "the caller's cache went back: " + afterTrim);
            assertEquals(0, afterTrim.freeInPagesBytes(), "no page is kept: " + afterTrim);
            assertTrue(c.resident() <= 1L << 20, "almost nothing resident after trim: " + c.resident());
            assertBalanced(c.hako, 0);
        }
    }

    @Test
    void pagesShouldChangeOwnerAndClass() throws Exception {
        try (Clocked c = new Clocked()) {
            List<Long> small = new ArrayList<>();
            TestHako.inThread("small-64", () -> {
                Heap heap = c.hako.heap();
                for (int i = 0; i < 100_000; i++) small.add(heap.malloc(64));
                small.forEach(heap::free);
                heap.close();
            });
            long committed = c.hako.stats().committedBytes();
            assertTrue(c.memory().pooledBytes() >= 5L << 20, "the closed heap's free pages are in the pool");
            TestHako.inThread("large-1k", () -> {
                Heap heap = c.hako.heap();
                List<Long> big = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) big.add(heap.malloc(1024));
                assertTrue(big.stream().anyMatch(small::contains), "another owner's pages serve another class");
                big.forEach(heap::free);
                heap.close();
            });
            assertEquals(committed, c.hako.stats().committedBytes(), "no new memory was committed");
            assertBalanced(c.hako, 0);
        }
    }

    @Test
    void aCacheShouldHoldAtMostItsCapPerClass() {
        try (Clocked c = new Clocked()) {
            Heap heap = c.hako.heap();
            for (long size : new long[] {16, 64, 1024, 2048, 8192, 65536}) {
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) blocks.add(heap.malloc(size));
                blocks.forEach(heap::free);
                int cls = SizeClasses.classOf(size);
                long cap = (long) SizeClasses.cacheCap(cls) * SizeClasses.size(cls);
                long cached = c.memory().cachedBytes();
                assertTrue(cached <= cap, size + " B: " + cached + " cached, cap " + cap);
                assertTrue(cached >= cap / 2 - SizeClasses.size(cls), "an overflow keeps half the cap");
                c.hako.trim();
            }
            assertBalanced(c.hako, 0);
        }
    }

    static List<String> strategies() {
        return RemoteStrategies.names();
    }

    /** The handoff scenario: a producer allocates, a consumer frees, the producer stays alive and idle. */
    @ParameterizedTest
    @MethodSource("strategies")
    void remoteFreesToAQuietOwnerShouldBeCollectedIntoItsPages(String remote) throws Exception {
        try (Clocked c = new Clocked(TestHako.config().remote(remote))) {
            CountDownLatch allocated = new CountDownLatch(1), done = new CountDownLatch(1);
            List<Long> blocks = new ArrayList<>();
            Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                Heap heap = c.hako.heap();
                for (int i = 0; i < 50_000; i++) blocks.add(heap.malloc(16 + (i % 64) * 16));
                allocated.countDown();
                try {
                    done.await(); // alive and idle: no malloc, no free
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            allocated.await();
            TestHako.inThread("consumer", () -> {
                Heap heap = c.hako.heap();
                blocks.forEach(heap::free);
                heap.close(); // publishes what the strategy holds for the consumer
            });
            HakoStats.Memory before = c.memory();
            assertTrue(before.liveBytes() > 10L << 20, "remote frees wait for the owner: " + before);
            c.after(DECAY);
            HakoStats.Memory collected = c.memory();
            assertTrue(collected.liveBytes() < 1L << 20, "collected into the owner's pages: " + collected);
            c.after(DECAY);
            assertTrue(c.memory().decommittedBytes() >= 10L << 20, "and decayed: " + c.memory());
            done.countDown();
            producer.join();
            assertBalanced(c.hako, 0);
        }
    }

    @Test
    void aDeadThreadsCacheShouldGoBackAfterTheDecay() throws Exception {
        try (Clocked c = new Clocked()) {
            TestHako.inThread("exits", () -> {
                Heap heap = c.hako.heap();
                List<Long> blocks = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) blocks.add(heap.malloc(16 + (i % 128) * 16));
                blocks.forEach(heap::free); // caches keep their caps' worth; no close
            });
            assertTrue(c.memory().cachedBytes() > 1L << 20, "the dead thread's cache still holds blocks");
            c.hako.flushDeadThreads();
            c.after(DECAY);
            assertEquals(0, c.memory().cachedBytes(), "the parked store's cache went back to its pages");
            assertEquals(0, c.memory().freeInPagesBytes(), "and its pages to the pool");
            assertBalanced(c.hako, 0);
        }
    }

    @Test
    void threadChurnShouldKeepCommittedMemoryBounded() throws Exception {
        try (Clocked c = new Clocked(TestHako.config().maxOwners(64))) {
            for (int round = 0; round < 75; round++) {
                List<Thread> alive = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = round * 4L + t;
                    alive.add(Thread.ofPlatform().start(() -> {
                        Heap heap = c.hako.heap();
                        burst(heap, 2L << 20, seed).forEach(heap::free); // 2 MiB each, no close
                    }));
                }
                for (Thread t : alive) t.join();
                if (round % 10 == 9) c.after(DECAY);
            }
            HakoStats stats = c.hako.stats();
            assertTrue(stats.ownersHighWater() <= 2 + 8, "ids are reused: " + stats.ownersHighWater());
            assertTrue(stats.committedBytes() <= 64L << 20, "300 threads x 2 MiB stay bounded: " + stats.line());
            assertBalanced(c.hako, 0);
        }
    }

    @Test
    void largeBlocksShouldReuseArenaPagesWithoutNewMappings() {
        try (Clocked c = new Clocked()) {
            Heap heap = c.hako.heap();
            long first = heap.malloc(256 << 10);
            heap.free(first);
            for (int i = 0; i < 1000; i++) {
                long a = heap.malloc(256 << 10);
                assertEquals(first, a, "the same pages come back");
                TestHako.ALL.asSlice(a, 256 << 10).fill((byte) i);
                heap.free(a);
            }
            assertEquals(0, c.memory().largeMappedBytes(), "no mapping of its own");
            assertEquals(0, c.hako.stats().largeBytes());
            long z = heap.calloc(1, 256 << 10);
            assertEquals(-1, TestHako.firstNonZero(z, 256 << 10), "calloc zeroes a reused large block");
            heap.free(z);
            c.after(DECAY);
            assertEquals(0, c.resident() > (1 << 20) ? 1 : 0, "the large block's pages decayed too");
            assertBalanced(c.hako, 0);
        }
    }
}
