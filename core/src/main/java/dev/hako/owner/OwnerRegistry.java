package dev.hako.owner;

import dev.hako.cache.CacheServices;
import dev.hako.cache.CacheStore;
import dev.hako.cache.HeapFactory;
import dev.hako.cache.HeapLifecycle;
import dev.hako.cache.SharedHeap;
import dev.hako.cache.OwnerPages;
import dev.hako.cache.ThreadCache;
import dev.hako.check.BlockLedger;
import dev.hako.events.HakoEvents;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.PageMap;
import dev.hako.remote.RemoteFree;
import dev.hako.stats.Stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Owner ids, the threads holding them, and the life of their heaps: which heap a thread uses ({@link #current()}),
 * attaching one, detaching it when its thread closes it or dies, and closing the registry.
 *
 * <h2>Finding the calling thread's heap</h2>
 * A direct-mapped table indexed by thread id answers first (one array load and one identity compare); the
 * {@code ThreadLocal} behind it attaches a heap on a thread's first call. The table holds exclusive heaps only (a
 * shared heap's thread is {@code null}, so it never matches); a collision only sends the thread to the
 * {@code ThreadLocal}; a detach clears its heap's entry.
 *
 * <h2>Policy</h2>
 * <ul>
 *   <li>Ids {@code 1..sharedHeaps} belong to shared heaps ({@link SharedHeap}), created on first use, for the
 *       threads that get no id of their own.</li>
 *   <li>Every other thread claims its own id, lowest vacant first, and gets an exclusive heap attached to that
 *       id's store: the blocks a previous holder left there, and the remote frees waiting for the id, are adopted
 *       by the new holder. Virtual threads too, but at most {@code virtualHeaps} of them hold ids at once; when
 *       that many do, the dead ones among them are reaped first, and past the cap a virtual thread uses a shared
 *       heap, picked by thread id: memory stays bounded however many virtual threads run. A virtual thread's heap
 *       is as safe as a platform thread's: a virtual thread runs one call at a time wherever it is mounted, and
 *       mounting orders its steps.</li>
 *   <li>A claim takes a vacant id below the high-water mark first; when there is none, dead threads are reaped and
 *       the ids they held are tried before the high-water mark is raised, so that thread churn reuses ids (and
 *       what their stores hold) instead of growing. If every id is held by a live thread, the thread shares a
 *       shared heap. Hako never aborts for having many threads.</li>
 * </ul>
 *
 * <h2>Thread exit</h2>
 * Java has no TLS destructor (and a virtual thread no exit hook at all). A heap leaves its id by
 * {@link ThreadCache#close()} (its own thread), or, when its thread has died, by a reap: the {@link Housekeeper}
 * polls the attached heaps' threads every {@code reaperIntervalMillis}, and a claim that finds no vacant id (or a
 * virtual thread's claim that finds the cap reached) reaps too. Detaching flushes what the remote-free strategy
 * holds for the heap as a producer, folds its counters into the retired totals, parks the store in the slot and
 * releases the id. A dead thread cannot race its own detach, and {@code isAlive() == false}
 * orders everything it did before the reap's reads. What a parked store caches goes back to its pages once the
 * housekeeper has seen it untouched for the decay delay.
 */
public final class OwnerRegistry implements HeapLifecycle {
    /** Entries of the thread-id table (a power of two: the index is the thread id's low bits). */
    public static final int THREAD_TABLE = 4096;
    private final int maxOwners;
    private final int sharedCount;
    /** How many exclusive heaps virtual threads may hold at once. */
    private final int virtualCap;
    /** How many they hold now (under the maintenance lock). */
    private int virtualHolders;
    private final OwnerSlot[] slots;
    /** The highest id ever claimed (ids above it have never been used). */
    private final AtomicInteger highWater;
    private final AtomicReferenceArray<SharedHeap> shared;
    private final long[] retiredCounters = Stats.newCounters();
    private final CacheServices services;
    private final HeapFactory heaps;
    private final RemoteFree remote;
    private final ThreadLocal<ThreadCache> local = ThreadLocal.withInitial(() -> attach(Thread.currentThread()));
    private final ThreadCache[] byThreadId;
    /** Held by reaps, detaches, housekeeping passes and audits: one of them at a time. */
    private final Object maintenance = new Object();
    private volatile boolean closed;

    /**
     * @param highWater the highest owner id handed out, shared with the remote-free strategy (which sizes its scans
     *                  by it); it starts at {@code sharedHeaps}
     */
    public OwnerRegistry(int maxOwners, int sharedHeaps, int virtualHeaps, AtomicInteger highWater, PageMap pages,
                         RemoteFree remote, LargeBlocks large, OwnerPages ownerPages, BlockLedger ledger,
                         HeapFactory heaps) {
        if (sharedHeaps < 1 || maxOwners <= sharedHeaps) {
            throw new IllegalArgumentException("need 1 <= sharedHeaps < maxOwners, got " + sharedHeaps + " and "
                    + maxOwners);
        }
        this.maxOwners = maxOwners;
        this.sharedCount = sharedHeaps;
        this.virtualCap = Math.min(virtualHeaps, maxOwners - sharedHeaps);
        this.slots = new OwnerSlot[maxOwners + 1];
        for (int id = 1; id <= maxOwners; id++) slots[id] = new OwnerSlot(id);
        this.highWater = highWater;
        this.shared = new AtomicReferenceArray<>(sharedHeaps + 1);
        this.remote = remote;
        this.services = new CacheServices(pages, remote, large, ownerPages, ledger, this);
        this.heaps = heaps;
        this.byThreadId = heaps.threadTable(THREAD_TABLE);
    }

    // ---- the calling thread's heap ----

    /** The calling thread's heap, attaching one on its first call. */
    public ThreadCache current() {
        Thread t = Thread.currentThread();
        ThreadCache h = byThreadId[(int) t.threadId() & (THREAD_TABLE - 1)];
        if (h != null && h.thread() == t) return h;
        return currentSlow(t);
    }

    /**
     * The thread-id table: entry {@code threadId & (THREAD_TABLE - 1)} is a heap whose {@code thread()} is the caller,
     * or anything else (then ask {@link #currentAfterTableMiss}). Plain reads; only exclusive heaps are stored.
     */
    public ThreadCache[] threadTable() {
        return byThreadId;
    }

    /** The calling thread's heap when the thread-id table did not have it: the {@code ThreadLocal}, which fills it. */
    public ThreadCache currentAfterTableMiss() {
        return currentSlow(Thread.currentThread());
    }

    private ThreadCache currentSlow(Thread t) {
        ThreadCache h = local.get();
        if (h.thread() == t) byThreadId[(int) t.threadId() & (THREAD_TABLE - 1)] = h;
        return h;
    }

    /** Drops a detached heap from the thread-id table, and from the {@code ThreadLocal} if it is the caller's. */
    private void forget(ThreadCache heap) {
        Thread t = heap.thread();
        if (t == null) return;
        int i = (int) t.threadId() & (THREAD_TABLE - 1);
        if (byThreadId[i] == heap) byThreadId[i] = null;
        if (t == Thread.currentThread()) local.remove();
    }

    /** The caller closes its own heap: see {@link #detach(ThreadCache)}. */
    @Override
    public void close(ThreadCache heap) {
        detach(heap);
    }

    /** The lock that reaps, detaches, housekeeping and audits hold, so that they never overlap. */
    public Object maintenance() {
        return maintenance;
    }

    public int maxOwners() {
        return maxOwners;
    }

    public int highWater() {
        return highWater.get();
    }

    /**
     * A heap for {@code thread}: exclusive when it can be, shared otherwise (see the class comment).
     *
     * @throws IllegalStateException once the allocator is closed
     */
    public ThreadCache attach(Thread thread) {
        boolean virtual = thread.isVirtual();
        // Past the cap a virtual thread takes a shared heap without the maintenance lock (there may be millions of
        // them): an existing shared heap is detached by close under its own lock, and a new one is created only
        // while not closed.
        if (virtual && virtualCap == 0) return sharedFor(thread);
        ThreadCache heap;
        synchronized (maintenance) { // so that a close never misses a heap that is being attached
            if (closed) throw closedError();
            OwnerSlot slot = virtual ? claimForVirtual() : claim();
            if (slot == null) return sharedFor(thread);
            heap = heaps.exclusive(services, slot.id, slot.store(), thread);
            slot.heap = heap;
            if (virtual) virtualHolders++;
            HakoEvents.ownerClaimed(slot.id, slot.store().pages());
        }
        return heap;
    }

    /**
     * An id for a virtual thread, while fewer than the cap are held by virtual threads: when the cap is reached,
     * the heaps of dead threads are reaped first (a virtual thread ends without a hook, and one that ended is the
     * usual reason the cap is full). {@code null}: the caller shares.
     */
    private OwnerSlot claimForVirtual() {
        if (virtualHolders >= virtualCap && (reapDead() == 0 || virtualHolders >= virtualCap)) return null;
        return claim();
    }

    static IllegalStateException closedError() {
        return new IllegalStateException("this Hako allocator is closed");
    }

    private OwnerSlot claim() {
        OwnerSlot slot = claimBelowHighWater();
        if (slot != null) return slot;
        // Before raising the high-water mark, give the ids of threads that died back (their stores with them).
        if (reapDead() > 0 && (slot = claimBelowHighWater()) != null) return slot;
        for (;;) {
            int h = highWater.get();
            if (h >= maxOwners) return null;
            if (highWater.compareAndSet(h, h + 1) && slots[h + 1].tryClaim()) return slots[h + 1];
        }
    }

    private OwnerSlot claimBelowHighWater() {
        int top = highWater.get();
        for (int id = sharedCount + 1; id <= top; id++) {
            if (slots[id].tryClaim()) return slots[id];
        }
        return null;
    }

    private SharedHeap sharedFor(Thread thread) {
        int id = 1 + (int) Long.remainderUnsigned(thread.threadId(), sharedCount);
        SharedHeap heap = shared.get(id); // volatile read: publishes the heap's fields safely
        if (heap != null) return heap;
        synchronized (shared) {
            if (closed) throw closedError();
            if (shared.get(id) == null) createSharedHeaps();
            return shared.get(id);
        }
    }

    /** Creates every shared heap at once, as stripes of one another (see {@link SharedHeap#stripe}). */
    private void createSharedHeaps() {
        SharedHeap[] all = new SharedHeap[sharedCount];
        for (int id = 1; id <= sharedCount; id++) {
            OwnerSlot slot = slots[id];
            if (!slot.tryClaim()) throw new IllegalStateException("shared owner id " + id + " taken");
            all[id - 1] = heaps.shared(services, id, slot.store());
            slot.heap = all[id - 1];
        }
        SharedHeap.stripe(all);
        for (int id = 1; id <= sharedCount; id++) shared.set(id, all[id - 1]); // volatile: publishes the stripes
    }

    /**
     * Detaches an exclusive heap: flush its producer side, keep its counters, park its store, free its id. Returns
     * false (and does nothing) if it was detached already or the allocator is closed.
     */
    public boolean detach(ThreadCache heap) {
        synchronized (maintenance) {
            // Once closed, the strategy's memory and the arena are (being) unmapped: a flush would write into them.
            if (closed || heap.isDetached()) return false;
            OwnerSlot slot = slots[heap.ownerId()];
            remote.flushProducer(heap);
            CacheStore store = slot.store();
            store.lock(); // its wholly free pages go to the pool now; what it caches waits for the next holder
            try {
                services.ownerPages().releaseFreePages(store, heap.counters());
            } finally {
                store.unlock();
            }
            HakoEvents.ownerReleased(slot.id, heap.thread(), store.pages());
            if (heap.thread().isVirtual()) virtualHolders--;
            if (Stats.ENABLED) fold(heap.counters());
            forget(heap);
            heap.detachStore();
            slot.heap = null;
            slot.release();
            return true;
        }
    }

    /** Detaches every heap whose thread has died; returns how many. */
    public int reapDead() {
        int reaped = 0;
        synchronized (maintenance) {
            int top = highWater.get();
            for (int id = sharedCount + 1; id <= top; id++) {
                ThreadCache heap = slots[id].heap;
                if (heap != null && !heap.thread().isAlive() && detach(heap)) reaped++;
            }
        }
        return reaped;
    }

    /**
     * Shutdown flush: reaps dead threads and publishes what the shared heaps hold as producers. Live exclusive
     * heaps belong to running threads and are left alone.
     */
    public void flushAtShutdown() {
        synchronized (maintenance) { // an application's shutdown hook may be closing the allocator meanwhile
            if (closed) return;
            reapDead();
            for (SharedHeap heap : sharedHeaps()) heap.locked(() -> remote.flushProducer(heap));
        }
    }

    private void fold(long[] counters) {
        synchronized (retiredCounters) {
            for (int i = 0; i < counters.length; i++) retiredCounters[i] += counters[i];
        }
    }

    /** Sum of every counter: retired heaps plus the live ones (read racily). Index {@code PAD + ordinal}. */
    public long[] sumCounters() {
        long[] sum = Stats.newCounters();
        synchronized (retiredCounters) {
            System.arraycopy(retiredCounters, 0, sum, 0, sum.length);
        }
        int top = highWater.get();
        for (int id = 1; id <= top; id++) {
            ThreadCache heap = slots[id].heap;
            if (heap == null) continue;
            long[] c = heap.counters();
            for (int i = 0; i < sum.length; i++) sum[i] += c[i];
        }
        return sum;
    }

    /** Ids currently held by a heap. */
    public int ownersInUse() {
        int n = 0, top = highWater.get();
        for (int id = 1; id <= top; id++) if (slots[id].isClaimed()) n++;
        return n;
    }

    /** Every store ever created, attached or parked (for audits; caller guarantees quiescence). */
    public List<CacheStore> stores() {
        List<CacheStore> list = new ArrayList<>();
        int top = highWater.get();
        for (int id = 1; id <= top; id++) {
            CacheStore s = slots[id].storeIfAny();
            if (s != null) list.add(s);
        }
        return list;
    }

    public List<SharedHeap> sharedHeaps() {
        List<SharedHeap> list = new ArrayList<>();
        for (int i = 0; i < shared.length(); i++) {
            SharedHeap h = shared.get(i);
            if (h != null) list.add(h);
        }
        return list;
    }

    /**
     * Closes the registry for {@code caller}: refuses while exclusive heaps of other live threads are attached
     * (using them after the memory is unmapped would crash the JVM); otherwise detaches the caller's own heap and
     * the shared heaps (each under its lock, so no virtual thread is inside one), and from then on every attach
     * throws and every detached heap throws on use. Returns when no reap, detach or audit is in progress, so that
     * the caller may unmap everything.
     *
     * @throws IllegalStateException naming how many live threads still hold heaps (nothing changes)
     */
    public void close(Thread caller) {
        synchronized (maintenance) {
            if (closed) return;
            reapDead();
            ThreadCache mine = null;
            List<String> others = new ArrayList<>();
            int top = highWater.get();
            for (int id = sharedCount + 1; id <= top; id++) {
                ThreadCache heap = slots[id].heap;
                if (heap == null) continue;
                if (heap.thread() == caller) mine = heap;
                else others.add(nameOf(heap.thread()));
            }
            if (!others.isEmpty()) {
                throw new IllegalStateException("cannot close this Hako allocator: " + others.size() + " live"
                        + " thread(s) still hold heaps of it " + (others.size() <= 5 ? others : others.subList(0, 5))
                        + "; close them in their threads (Heap.close()) or let the threads end first");
            }
            if (mine != null) detach(mine);
            local.remove();
            synchronized (shared) { // no shared heap is created from here on
                closed = true;
                for (SharedHeap heap : sharedHeaps()) {
                    heap.locked(() -> {
                        remote.flushProducer(heap);
                        heap.detachStore();
                    });
                }
            }
        }
    }

    private static String nameOf(Thread t) {
        return t.getName().isEmpty() ? t.toString() : t.getName(); // virtual threads are mostly unnamed
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- for the housekeeper (under the maintenance lock) ----

    /** The store of id {@code id} if it was ever created. */
    public CacheStore storeOf(int id) {
        return slots[id].storeIfAny();
    }

    /** The heap attached to {@code id}, or {@code null}. */
    public ThreadCache heapOf(int id) {
        return slots[id].heap;
    }

    /** Claims a vacant id for housekeeping (no heap attaches meanwhile); false if it is held. */
    public boolean claimVacant(int id) {
        return slots[id].heap == null && slots[id].tryClaim();
    }

    /** Gives back an id claimed by {@link #claimVacant}. */
    public void releaseVacant(int id) {
        slots[id].release();
    }

    public int sharedCount() {
        return sharedCount;
    }
}
