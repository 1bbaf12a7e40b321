package dev.hako;

import dev.hako.memory.OsMemory;
import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel says no (glibc's tst-malloc-thread-fail and tst-malloc-too-large are the model): {@code mmap},
 * {@code mprotect}, {@code madvise} and {@code munmap} fail at chosen calls through {@link OsMemory#injectFaults}.
 * Every public call then either succeeds or throws its documented error, no block is handed out twice or lost, and
 * the audit balances afterwards.
 */
@Isolated // the injector is process-wide
class FaultInjectionTest {

    @AfterEach
    void noFaults() {
        OsMemory.injectFaults(null);
    }

    @Test
    void aRefusedCommitShouldFailTheMallocAndChangeNothing() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < 100; i++) live.add(heap.malloc(64)); // the first segment is committed
            OsMemory.injectFaults((call, a, b) -> call == OsMemory.Call.MPROTECT);
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> {
                for (int i = 0; i < 200_000; i++) live.add(heap.malloc(4096)); // needs more segments
            });
            assertTrue(e.getMessage().contains("refused to commit"), e.getMessage());
            OsMemory.injectFaults(null);
            live.add(heap.malloc(4096)); // works again
            assertBalanced(hako, live.size());
            live.forEach(heap::free);
            assertBalanced(hako, 0);
        }
    }

    @Test
    void aRefusedMadviseShouldKeepPagesDirtyAndLoseNothing() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 50_000; i++) blocks.add(heap.malloc(256));
            blocks.forEach(heap::free);
            OsMemory.injectFaults((call, a, b) -> call == OsMemory.Call.MADVISE);
            assertEquals(0, hako.trim(), "nothing went back to the kernel");
            HakoStats.Memory m = hako.stats().memory();
            assertTrue(m.pooledBytes() > 10L << 20, "the pages stay in the pool, dirty: " + m);
            assertEquals(0, m.decommittedBytes());
            assertBalanced(hako, 0);
            OsMemory.injectFaults(null);
            assertTrue(hako.trim() >= m.pooledBytes(), "a later trim returns them");
            for (int i = 0; i < 1000; i++) blocks.set(i, heap.malloc(256)); // purged pages are reused
            for (int i = 0; i < 1000; i++) heap.free(blocks.get(i));
            assertBalanced(hako, 0);
        }
    }

    @Test
    void aRefusedMunmapShouldKeepTheLargeBlockRecordedAndNameTheCause() {
        try (HakoAllocator hako = TestHako.create()) {
            long huge = hako.malloc(64L << 20); // above the arena's large-block limit: a mapping of its own
            long usable = hako.usableSize(huge);
            OsMemory.injectFaults((call, a, b) -> call == OsMemory.Call.MUNMAP);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> hako.free(huge));
            assertTrue(e.getMessage().contains("munmap") && e.getMessage().contains("stays allocated"), e.getMessage());
            assertEquals(usable, hako.usableSize(huge), "still recorded");
            assertEquals(64L << 20, hako.stats().memory().largeMappedBytes(), "still counted");
            OsMemory.injectFaults(null);
            hako.free(huge);
            assertEquals(0, hako.stats().largeBytes());
        }
    }

    @Test
    void aRefusedMmapShouldFailTheLargeMallocWithOutOfMemory() {
        try (HakoAllocator hako = TestHako.create()) {
            OsMemory.injectFaults((call, a, b) -> call == OsMemory.Call.MMAP);
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> hako.malloc(64L << 20));
            assertTrue(e.getMessage().contains("refused to map"), e.getMessage());
            long inArena = hako.malloc(1 << 20); // the arena needs no mmap
            OsMemory.injectFaults(null);
            hako.free(inArena);
            assertEquals(0, hako.stats().largeBytes());
            assertBalanced(hako, 0);
        }
    }

    static List<String> strategies() {
        return RemoteStrategies.names();
    }

    /**
     * Random traffic on two threads (local and remote frees, every size kind) while every fourth system call is
     * refused: each call succeeds or throws OutOfMemoryError / IllegalStateException, contents survive, and once
     * the faults stop everything frees and the books balance.
     */
    @ParameterizedTest
    @MethodSource("strategies")
    void randomTrafficUnderRefusedCallsShouldLoseNothing(String remote) throws Exception {
        SplittableRandom rnd = new SplittableRandom(remote.hashCode());
        AtomicLong calls = new AtomicLong();
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().remote(remote).decayMillis(0).build());
             OtherThread other = new OtherThread("other")) {
            List<long[]> live = new ArrayList<>();
            AtomicLong refused = new AtomicLong();
            OsMemory.injectFaults((call, a, b) -> {
                boolean refuse = calls.incrementAndGet() % 4 == 0;
                if (refuse) refused.incrementAndGet();
                return refuse;
            });
            int failures = 0;
            for (int i = 0; i < 4000; i++) {
                boolean onOther = rnd.nextInt(3) == 0;
                if (live.isEmpty() || rnd.nextInt(100) < 55) {
                    long size = switch (rnd.nextInt(10)) {
                        case 0 -> 70_000 + rnd.nextInt(400_000);
                        case 1 -> (40L << 20) + rnd.nextInt(1 << 20);
                        default -> 1 + rnd.nextInt(4000);
                    };
                    long seed = i;
                    try {
                        long a = onOther ? other.call(() -> hako.malloc(size)) : hako.malloc(size);
                        TestHako.fill(a, Math.min(size, 4096), seed);
                        live.add(new long[] {a, size, seed});
                    } catch (OutOfMemoryError expected) {
                        failures++;
                    }
                } else {
                    long[] b = live.remove(rnd.nextInt(live.size()));
                    TestHako.assertPattern(b[0], Math.min(b[1], 4096), b[2]);
                    try {
                        if (onOther) other.run(() -> hako.free(b[0]));
                        else hako.free(b[0]);
                    } catch (IllegalStateException refusedUnmap) {
                        live.add(b); // the block stays the program's; it is freed again below
                        failures++;
                    }
                }
                if (i % 500 == 0) hako.trim(); // decay under refused madvise
            }
            OsMemory.injectFaults(null);
            assertTrue(failures > 0, "the injector refused something");
            long smallLive = live.stream().filter(b -> b[1] <= 65536).count();
            assertBalanced(hako, smallLive);
            for (long[] b : live) {
                TestHako.assertPattern(b[0], Math.min(b[1], 4096), b[2]);
                hako.free(b[0]);
            }
            assertBalanced(hako, 0);
            assertEquals(0, hako.stats().largeBytes());
            System.out.printf("[FAULTS] remote=%s os_calls=%d refused=%d failed_api_calls=%d lost=0 handed_twice=0%n",
                    remote, calls.get(), refused.get(), failures);
        }
    }
}
