package dev.hako;

import dev.hako.layout.PageMap;
import dev.hako.memory.AddressSpace;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A virtual thread that holds a shared heap's lock can be unmounted inside the critical section (it blocks on the
 * address space's monitor while committing a segment). The other virtual threads that wait for the lock must not
 * keep every carrier busy so that the holder never runs again.
 */
class SharedHeapLivenessTest {

    @Test
    void waitersMustLetAnUnmountedLockHolderFinish() throws Exception {
        // One shared heap (no stripe to run on instead) and no virtual thread with a heap of its own: they all wait.
        try (HakoAllocator hako = HakoAllocator.create(TestHako.config().sharedHeaps(1).virtualHeaps(0).build())) {
            Object space = addressSpace(hako);
            int carriers = Runtime.getRuntime().availableProcessors();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread holder = virtual(() -> {
                long a = hako.malloc(16); // first carve: commits a segment under the address space's monitor
                hako.free(a);
            }, failure);
            List<Thread> waiters = new ArrayList<>();
            synchronized (space) {
                holder.start();
                awaitState(holder, Thread.State.BLOCKED);
                for (int i = 0; i < carriers + 2; i++) {
                    Thread w = virtual(() -> hako.free(hako.malloc(32)), failure);
                    w.start();
                    waiters.add(w);
                }
                Thread.sleep(200); // let the waiters take the carriers
            }
            assertTrue(holder.join(Duration.ofSeconds(30)), "the lock holder never ran again: livelock");
            for (Thread w : waiters) assertTrue(w.join(Duration.ofSeconds(30)), "a waiter never got the lock");
            assertNull(failure.get());
            assertBalanced(hako, 0);
        }
    }

    /** An unstarted virtual thread (on the one shared heap). */
    private static Thread virtual(Runnable body, AtomicReference<Throwable> failure) {
        return Thread.ofVirtual().unstarted(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        for (int i = 0; i < 10_000 && t.getState() != state; i++) Thread.sleep(1);
        assertEquals(state, t.getState());
    }

    private static Object addressSpace(HakoAllocator hako) throws ReflectiveOperationException {
        Field f = HakoAllocator.class.getDeclaredField("space");
        f.setAccessible(true);
        Object space = f.get(hako);
        assertTrue(space instanceof AddressSpace);
        assertFalse(space instanceof PageMap);
        return space;
    }
}
