package dev.hako;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared {@link HakoArena} filled by many threads and closed by one: every block comes back (through the
 * remote-free path for the blocks of other threads), none twice, and a close racing allocations loses nothing.
 * Runs again in checked mode (tag {@code checked-too}), where a block freed twice throws.
 */
@Tag("checked-too")
class SharedHakoArenaTest {
    private static final int THREADS = 8;

    @ParameterizedTest
    @MethodSource("dev.hako.remote.RemoteStrategies#names")
    void shouldFreeBlocksOfManyThreadsWhenOneThreadCloses(String remote) throws Exception {
        try (HakoAllocator hako = TestHako.create(remote)) {
            HakoArena arena = HakoArena.ofShared(hako);
            int perThread = 3000;
            MemorySegment[][] segments = new MemorySegment[THREADS][perThread];
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().name("filler-" + t).start(() -> {
                    try {
                        start.await();
                        Random random = new Random(id);
                        for (int i = 0; i < perThread; i++) {
                            long size = i % 500 == 0 ? 100_000 : 16 + random.nextInt(241);
                            MemorySegment s = arena.allocate(size, 1L << random.nextInt(7));
                            s.fill((byte) (id * 31 + i));
                            segments[id][i] = s;
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            // Every thread's segments are readable here (shared) and hold what their thread wrote.
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < perThread; i++) {
                    MemorySegment s = segments[t][i];
                    byte expected = (byte) (t * 31 + i);
                    assertEquals(expected, s.get(ValueLayout.JAVA_BYTE, 0));
                    assertEquals(expected, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1));
                }
            }
            arena.close();
            assertThrows(IllegalStateException.class, () -> segments[3][5].get(ValueLayout.JAVA_BYTE, 0));
            assertBalanced(hako, 0);
        }
    }

    @Test
    void shouldLoseNoBlockWhenCloseRacesAllocations() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            for (int round = 0; round < 20; round++) {
                HakoArena arena = HakoArena.ofShared(hako);
                CountDownLatch started = new CountDownLatch(THREADS);
                AtomicLong allocated = new AtomicLong();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    threads.add(Thread.ofPlatform().name("racer-" + t).start(() -> {
                        started.countDown();
                        long n = 0;
                        try {
                            while (true) {
                                MemorySegment s = arena.allocate(16 + (n % 200), 8);
                                n++;
                                s.set(ValueLayout.JAVA_LONG, 0, id);
                            }
                        } catch (IllegalStateException closed) {
                            // the expected end: allocate after close, or an access after close
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                        allocated.addAndGet(n);
                    }));
                }
                started.await();
                Thread.sleep(round % 4); // sometimes close before the racers get going, sometimes amid them
                arena.close();
                for (Thread t : threads) t.join();
                assertNull(failure.get());
                assertBalanced(hako, 0);
            }
        }
    }

    @Test
    void shouldServeVirtualThreads() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            HakoArena shared = HakoArena.ofShared(hako);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < 50; t++) {
                int id = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (HakoArena confined = HakoArena.ofConfined(hako)) {
                        for (int i = 0; i < 100; i++) {
                            MemorySegment mine = confined.allocateFrom(ValueLayout.JAVA_INT, i);
                            MemorySegment ours = shared.allocateFrom(ValueLayout.JAVA_INT, id);
                            Thread.yield();
                            assertEquals(i, mine.get(ValueLayout.JAVA_INT, 0));
                            assertEquals(id, ours.get(ValueLayout.JAVA_INT, 0));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertNull(failure.get());
            assertTrue(hako.audit().liveBlocks() >= 50 * 100, "the shared arena's blocks are live until it closes");
            shared.close();
            assertBalanced(hako, 0);
        }
    }
}
