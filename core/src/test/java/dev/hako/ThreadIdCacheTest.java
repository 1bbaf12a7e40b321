package dev.hako;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The direct-mapped thread-id cache in front of the allocator's ThreadLocal: two live threads whose ids collide in
 * it must each always get their own heap, also after one of them closes its heap and re-attaches.
 */
class ThreadIdCacheTest {
    private static final int SLOTS = 4096; // HakoAllocator.THREAD_TABLE

    @Test
    void collidingThreadsShouldEachGetTheirOwnHeap() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            CyclicBarrier step = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Heap[] first = new Heap[2];
            Runnable[] bodies = new Runnable[2];
            for (int me = 0; me < 2; me++) {
                int i = me;
                bodies[i] = () -> {
                    try {
                        for (int round = 0; round < 20; round++) {
                            // take turns, so each call finds the other thread's heap in the shared slot
                            if (round % 2 == i) step.await();
                            Heap h = hako.heap();
                            if (first[i] == null) first[i] = h;
                            if (round == 10 && i == 0) { // close and re-attach while the other one is cached
                                h.close();
                                h = hako.heap();
                                assertNotSame(first[0], h);
                                first[0] = h;
                            }
                            assertSame(first[i], h, "thread " + i + " round " + round);
                            long a = hako.malloc(32 + 16 * i); // through the cache too
                            TestHako.fill(a, 32, round);
                            TestHako.assertPattern(a, 32, round);
                            h.free(a);
                            if (round % 2 != i) step.await();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        step.reset();
                    }
                };
            }
            Thread a = Thread.ofPlatform().name("collide-a").unstarted(bodies[0]);
            Thread b;
            do {
                b = Thread.ofPlatform().name("collide-b").unstarted(bodies[1]);
            } while (((b.threadId() - a.threadId()) & (SLOTS - 1)) != 0);
            a.start();
            b.start();
            a.join();
            b.join();
            assertNull(failure.get());
            assertNotEquals(first[0].ownerId(), first[1].ownerId());
            hako.flushDeadThreads();
            assertBalanced(hako, 0);
            assertEquals(0, hako.stats().ownersInUse());
        }
    }
}
