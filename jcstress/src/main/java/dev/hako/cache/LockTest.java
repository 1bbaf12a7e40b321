package dev.hako.cache;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The two test-and-set locks ({@code docs/CONCURRENCY.md}): acquire CAS to take, release store to give back. Each
 * holder increments a plain word under the lock; a lost increment means two holders at once, or a holder that did
 * not see its predecessor's write. Lives in {@code dev.hako.cache} to reach the store's plain fields (the core is on
 * the class path).
 */
public final class LockTest {
    private LockTest() {}

    /**
     * {@link CacheStore#lock}: the owner heap's {@code lock()} (refill, overflow) against the housekeeper's
     * {@code tryLock()}, both incrementing {@code slowEvents} (a word written under the lock). Results: {@code r1}
     * 1 if the housekeeper's {@code tryLock} succeeded, {@code r2} the count after both.
     */
    @JCStressTest
    @Description("CacheStore.lock: lock() and tryLock() exclude each other and each sees the other's writes")
    @Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "both held the lock, one after the other")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the housekeeper found the lock taken and went on")
    @Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "an increment lost: both held it, or a stale read")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class StoreLock {
        private final CacheStore store = new CacheStore();

        @Actor
        public void heap() {
            store.lock();
            store.slowEvents++;
            store.unlock();
        }

        @Actor
        public void housekeeper(II_Result r) {
            if (!store.tryLock()) return;
            store.slowEvents++;
            store.unlock();
            r.r1 = 1;
        }

        @Arbiter
        public void after(II_Result r) {
            r.r2 = (int) store.slowEvents;
        }
    }

    /** A page map for the shared heaps' constructor (they only keep a reference to its tag array). */
    private static final PageMap PAGES = new PageMap(new AddressSpace(SizeClasses.PAGE, SizeClasses.PAGE,
            SizeClasses.PAGE));
    private static final CacheServices SERVICES = new CacheServices(PAGES, null, null, null, null, null);

    /**
     * {@link SharedHeap}'s lock, through {@link SharedHeap#locked} (the same acquire and release as its malloc and
     * free): two users increment a plain word of the shared store. Result: the count after both.
     */
    @JCStressTest
    @Description("SharedHeap lock: two users exclude each other and each sees the other's writes")
    @Outcome(id = "2", expect = Expect.ACCEPTABLE, desc = "one after the other")
    @Outcome(id = "1", expect = Expect.FORBIDDEN, desc = "an increment lost: both held it, or a stale read")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else")
    @State
    public static class SharedHeapLock {
        private final CacheStore store = new CacheStore();
        private final SharedHeap heap = new SharedHeap(SERVICES, 1, store);
        private final Runnable increment = () -> store.slowEvents++;

        @Actor
        public void first() {
            heap.locked(increment);
        }

        @Actor
        public void second() {
            heap.locked(increment);
        }

        @Arbiter
        public void after(I_Result r) {
            r.r1 = (int) store.slowEvents;
        }
    }
}
