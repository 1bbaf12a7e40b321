package dev.hako;

import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing: every public method of a closed allocator throws {@link IllegalStateException} and nothing touches
 * unmapped memory; a close refuses while other live threads hold heaps; a heap is closed by its own thread only.
 */
class ClosedAllocatorTest {

    @Test
    void everyCallOnAClosedAllocatorShouldThrow() {
        HakoAllocator hako = TestHako.create();
        Heap heap = hako.heap();
        long p = heap.malloc(64);
        long big = heap.malloc(1 << 20);
        hako.close();
        List<Runnable> calls = List.of(() -> hako.audit(), () -> hako.stats(), () -> hako.trim(),
                () -> hako.flushDeadThreads(), () -> hako.usableSize(p), () -> hako.malloc(16), () -> hako.free(p),
                () -> hako.free(big), () -> hako.calloc(1, 16), () -> hako.realloc(p, 128), () -> hako.heap(),
                () -> heap.malloc(16), () -> heap.free(p), () -> heap.usableSize(p), () -> heap.realloc(p, 8),
                () -> hako.alignedAlloc(64, 64), () -> hako.allocate(32), () -> heap.free(big));
        for (Runnable call : calls) assertThrows(IllegalStateException.class, call::run);
        hako.close(); // a second close does nothing
    }

    @Test
    void flushDeadThreadsShouldCountOnlyHeapsItDetached() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            TestHako.inThread("dies", () -> hako.free(hako.malloc(64)));
            assertEquals(1, hako.flushDeadThreads());
            assertEquals(0, hako.flushDeadThreads(), "nothing left to detach");
        }
    }

    @Test
    void closeShouldRefuseWhileAnotherLiveThreadHoldsAHeap() throws Exception {
        HakoAllocator hako = TestHako.create();
        CountDownLatch attached = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread user = Thread.ofPlatform().name("holder").start(() -> {
            try {
                Heap h = hako.heap();
                long p = h.malloc(100);
                attached.countDown();
                release.await();
                h.free(p); // still works: the refused close changed nothing
                h.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        attached.await();
        hako.free(hako.malloc(10));
        IllegalStateException e = assertThrows(IllegalStateException.class, hako::close);
        assertTrue(e.getMessage().contains("1 live thread") && e.getMessage().contains("holder"), e.getMessage());
        hako.free(hako.malloc(10)); // the caller's heap too is as it was
        release.countDown();
        user.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        TestHako.assertBalanced(hako, 0);
        hako.close();
    }

    @Test
    void aHeapShouldBeClosedOnlyByItsOwnThread() throws Exception {
        try (HakoAllocator hako = TestHako.create(); OtherThread other = new OtherThread("other")) {
            Heap mine = hako.heap();
            long p = mine.malloc(64);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.run(mine::close));
            assertTrue(e.getMessage().contains("own thread"), e.getMessage());
            mine.free(p); // untouched by the refused close
            mine.close();
            assertThrows(IllegalStateException.class, () -> mine.malloc(8));
        }
    }

    @Test
    void freeingAHeapSegmentShouldBeRejected() {
        try (HakoAllocator hako = TestHako.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> hako.free(MemorySegment.ofArray(new byte[64])));
            assertTrue(e.getMessage().contains("not a native segment"), e.getMessage());
            MemorySegment s = hako.allocate(64);
            hako.free(s);
        }
    }

    /**
     * Rounds of the two races below: 20 in CI; {@code -Dhako.test.crashRounds=1000} for the crash target
     * (a crash would kill the test JVM, so a passing run is that many rounds without one).
     */
    private static final int CRASH_ROUNDS = Integer.getInteger("hako.test.crashRounds", 20);

    /**
     * Two threads loop malloc, write, free (local and remote); the main thread closes the allocator meanwhile. The
     * close must refuse (the threads hold heaps) and nothing may crash; once they stop, it closes.
     */
    @ParameterizedTest
    @MethodSource("strategies")
    void closeRacingWithUseShouldNeverTouchUnmappedMemory(String remote) throws Exception {
        for (int round = 0; round < CRASH_ROUNDS; round++) closeRacingWithUse(remote, round);
        System.out.printf("[CRASH_ROUNDS] race=close-during-use remote=%s rounds=%d crashes=0%n", remote, CRASH_ROUNDS);
    }

    private static void closeRacingWithUse(String remote, int round) throws Exception {
        HakoAllocator hako = TestHako.create(remote);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.ConcurrentLinkedQueue<Long> handoff = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> users = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            users.add(Thread.ofPlatform().start(() -> {
                try {
                    Heap h = hako.heap();
                    for (int i = 0; !stop.get(); i++) {
                        long p = h.malloc(16 + (i % 300));
                        TestHako.ALL.set(java.lang.foreign.ValueLayout.JAVA_LONG, p, i);
                        if (i % 3 == 0) handoff.add(p);
                        else h.free(p);
                        Long q = handoff.poll();
                        if (q != null) h.free(q);
                    }
                    h.close();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        Thread.sleep(5 + round % 30);
        assertThrows(IllegalStateException.class, hako::close);
        stop.set(true);
        for (Thread u : users) u.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        for (Long q; (q = handoff.poll()) != null; ) hako.free(q);
        TestHako.assertBalanced(hako, 0);
        hako.close();
    }

    static List<String> strategies() {
        return RemoteStrategies.names();
    }

    /** An application's shutdown hook closing the allocator while Hako's own shutdown flush runs. */
    @ParameterizedTest
    @MethodSource("strategies")
    void closeRacingWithTheShutdownFlushShouldNotCrash(String remote) throws Exception {
        for (int round = 0; round < CRASH_ROUNDS; round++) {
            HakoAllocator hako = TestHako.create(remote);
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < 2000; i++) mine.add(hako.malloc(16 + i % 500));
            Thread v = Thread.ofVirtual().start(() -> mine.forEach(hako::free)); // remote frees, reaped by close
            v.join();
            CountDownLatch go = new CountDownLatch(1);
            Thread flush = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    hako.flushAtShutdown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            go.countDown();
            hako.close();
            flush.join();
        }
        System.out.printf("[CRASH_ROUNDS] race=shutdown-flush remote=%s rounds=%d crashes=0%n", remote, CRASH_ROUNDS);
    }
}
