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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** An unstarted platform thread whose id falls on the same table entry as {@code other}'s. */
    private static Thread collidingWith(Thread other, String name, Runnable body) {
        for (;;) {
            Thread t = Thread.ofPlatform().name(name).unstarted(body);
            if (((t.threadId() - other.threadId()) & (SLOTS - 1)) == 0) return t;
        }
    }

    /**
     * The static API reads the same table from a static final: two live threads on one entry, taking turns, each
     * always reaches its own heap (a static free lands in the caller's bin, so the caller's next malloc returns
     * it); a thread that comes after a dead one on the same entry never gets the dead one's heap.
     */
    @Test
    void staticApiShouldServeCollidingThreadsTheirOwnHeaps() throws Exception {
        CyclicBarrier step = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Heap[] heaps = new Heap[3];
        Runnable[] bodies = new Runnable[2];
        for (int me = 0; me < 2; me++) {
            int i = me;
            bodies[i] = () -> {
                try {
                    heaps[i] = Hako.heap();
                    for (int round = 0; round < 20; round++) {
                        if (round % 2 == i) step.await();
                        long a = Hako.malloc(48 + 16 * i);
                        TestHako.fill(a, 48, round);
                        TestHako.assertPattern(a, 48, round);
                        Hako.free(a);
                        long b = heaps[i].malloc(48 + 16 * i);
                        assertEquals(a, b, "thread " + i + " round " + round + ": the static free went elsewhere");
                        heaps[i].free(b);
                        assertSame(heaps[i], Hako.heap());
                        if (round % 2 != i) step.await();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    step.reset();
                }
            };
        }
        Thread a = Thread.ofPlatform().name("static-a").unstarted(bodies[0]);
        Thread b = collidingWith(a, "static-b", bodies[1]);
        a.start();
        b.start();
        a.join();
        b.join();
        assertNull(failure.get());
        assertNotSame(heaps[0], heaps[1]);
        Thread later = collidingWith(a, "static-later", () -> {
            Hako.free(Hako.malloc(64));
            heaps[2] = Hako.heap();
        });
        later.start();
        later.join();
        assertNotSame(heaps[0], heaps[2], "a dead thread's heap is never handed to the next one on its entry");
        assertTrue(!heaps[2].isShared());
    }
}
