package dev.hako.owner;

import dev.hako.cache.CacheStore;
import dev.hako.cache.SharedHeap;
import dev.hako.cache.OwnerPages;
import dev.hako.cache.ThreadCache;
import dev.hako.events.HakoEvents;
import dev.hako.layout.PagePool;
import dev.hako.remote.RemoteFree;
import dev.hako.stats.Stats;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * What no thread does by itself: the background work that gives memory back.
 *
 * <p>A daemon thread ({@code hako-housekeeper}) runs a pass every tick (a quarter of the decay delay, 10 ms to
 * 250 ms, and never less often than dead threads are looked for):
 * <ol>
 *   <li><b>Reap</b> dead threads' heaps every {@code reaperIntervalMillis} ({@link OwnerRegistry#reapDead}).</li>
 *   <li><b>Quiet owners</b>: an owner whose store saw no slow-path event (refill, overflow) for the decay delay is
 *       quiet. For a quiet owner held by a live thread, the pass takes the store's page-level lock if it is free
 *       ({@code tryLock}: a busy owner is simply skipped) and collects the remote frees waiting for it straight into
 *       its pages, then gives its wholly free pages back to the pool. Its bins stay untouched: they belong to its
 *       thread. For a quiet id that no thread holds (a parked store), the pass claims the id for the time of the
 *       work, so that no thread attaches meanwhile, and also gives the cached blocks back to their pages.</li>
 *   <li><b>Decay</b>: pool pages that have been free for the decay delay go back to the kernel
 *       ({@link PagePool#purge}).</li>
 * </ol>
 * The owner's lock makes the collection race-free with the owner waking up: the owner takes the same lock on every
 * refill, so the strategy's consumer side and the owner's pages have one user at a time (docs/CONCURRENCY.md).
 * {@link #trim} runs the same work at once, for every owner, and purges every free page.
 */
public final class Housekeeper {
    private static final long MIN_TICK_MILLIS = 10;
    private static final long MAX_TICK_MILLIS = 250;

    private final OwnerRegistry owners;
    private final OwnerPages ownerPages;
    private final RemoteFree remote;
    private final PagePool pool;
    private final LongSupplier nowMillis;
    private final long decayMillis;
    private final long reapMillis;
    private final long tickMillis;
    private final long[] counters = Stats.newCounters();
    /** Per id: the store's slow-path events when last seen, and since when they have not moved. */
    private long[] seenEvents = new long[64];
    private long[] quietSince = new long[64];
    private long lastReap;
    private Thread thread;
    private volatile boolean closed;

    public Housekeeper(OwnerRegistry owners, OwnerPages ownerPages, RemoteFree remote, PagePool pool,
                       LongSupplier nowMillis, long decayMillis, long reapMillis) {
        this.owners = owners;
        this.ownerPages = ownerPages;
        this.remote = remote;
        this.pool = pool;
        this.nowMillis = nowMillis;
        this.decayMillis = decayMillis;
        this.reapMillis = reapMillis;
        this.tickMillis = Math.min(reapMillis, Math.clamp(decayMillis / 4, MIN_TICK_MILLIS, MAX_TICK_MILLIS));
        this.lastReap = nowMillis.getAsLong();
    }

    /** Starts the background thread (once). */
    public synchronized void start() {
        if (thread != null || closed) return;
        thread = Thread.ofPlatform().daemon().name("hako-housekeeper").unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        long tickNanos = tickMillis * 1_000_000L;
        while (!closed) {
            LockSupport.parkNanos(this, tickNanos);
            if (closed) break;
            try {
                pass();
            } catch (Throwable t) { // the housekeeper must not die silently and leave memory with nobody
                System.err.println("hako-housekeeper: " + t);
            }
        }
    }

    /** One pass of the background work (see the class comment); tests call it with an injected clock. */
    public synchronized void pass() {
        if (closed) return;
        long now = nowMillis.getAsLong();
        synchronized (owners.maintenance()) {
            if (now - lastReap >= reapMillis) {
                owners.reapDead();
                lastReap = now;
            }
            int top = owners.highWater();
            track(top);
            for (int id = 1; id <= top; id++) {
                CacheStore s = owners.storeOf(id);
                if (s == null) continue;
                long events = s.slowEvents();
                if (events != seenEvents[id]) {
                    seenEvents[id] = events;
                    quietSince[id] = now;
                } else if (now - quietSince[id] >= decayMillis) {
                    tidyQuiet(id, s, quietSince[id]);
                }
            }
        }
        pool.purge(now - decayMillis);
    }

    private void track(int top) {
        if (top < seenEvents.length) return;
        int n = Math.max(top + 1, seenEvents.length * 2);
        long now = nowMillis.getAsLong();
        int old = seenEvents.length;
        seenEvents = Arrays.copyOf(seenEvents, n);
        quietSince = Arrays.copyOf(quietSince, n);
        Arrays.fill(quietSince, old, n, now);
    }

    /** The owner has had no slow-path event since {@code quietSince}: its wholly free pages are that old. */
    private void tidyQuiet(int id, CacheStore s, long quietSince) {
        if (owners.claimVacant(id)) { // a parked store: nobody can attach while we hold the id
            try {
                s.lock();
                try {
                    ownerPages.returnCache(s, counters);
                    ownerPages.collectIntoPages(s, id, remote, counters);
                    ownerPages.releaseFreePages(s, quietSince, counters); // no thread touched them since
                } finally {
                    s.unlock();
                }
            } finally {
                owners.releaseVacant(id);
            }
        } else if (s.tryLock()) { // a live owner, quiet: its remote frees go to its pages, its bins stay its own
            try {
                boolean any = ownerPages.collectIntoPages(s, id, remote, counters) > 0;
                ownerPages.releaseFreePages(s, any ? Long.MAX_VALUE : quietSince, counters);
            } finally {
                s.unlock();
            }
        }
    }

    /**
     * Gives back everything that can be given back now: the caller's own cache, every parked store's cache, every
     * remote free waiting for any owner (into its pages), every wholly free page, and then every free page's
     * memory to the kernel. Returns the bytes returned to the kernel.
     *
     * @param caller the calling thread's exclusive heap, or {@code null}; its cache is given back too
     * @throws IllegalStateException naming a block that was found freed twice (it was dropped; the rest was done)
     */
    public synchronized long trim(ThreadCache caller) {
        if (closed) throw new IllegalStateException("Hako allocator is closed");
        Object event = HakoEvents.trimBegin();
        RuntimeException first = null;
        synchronized (owners.maintenance()) {
            if (caller != null && !caller.isDetached()) remote.flushProducer(caller); // its own buffered remote frees
            owners.reapDead();
            int top = owners.highWater();
            for (int id = 1; id <= top; id++) {
                CacheStore s = owners.storeOf(id);
                if (s == null) continue;
                try {
                    trimOwner(id, s, caller);
                } catch (IllegalStateException e) {
                    if (first == null) first = e;
                }
            }
        }
        long purged = pool.purge(Long.MAX_VALUE);
        HakoEvents.trimEnd(event, purged);
        if (first != null) throw first;
        return purged;
    }

    private void trimOwner(int id, CacheStore s, ThreadCache caller) {
        ThreadCache heap = owners.heapOf(id);
        if (heap instanceof SharedHeap shared) {
            shared.locked(() -> tidyWhole(id, s)); // a shared heap's bins are guarded by its lock
        } else if (heap != null && heap == caller) {
            tidyWhole(id, s);
        } else if (heap == null && owners.claimVacant(id)) {
            try {
                tidyWhole(id, s);
            } finally {
                owners.releaseVacant(id);
            }
        } else {
            s.lock(); // another live thread's: only its page level
            try {
                ownerPages.collectIntoPages(s, id, remote, counters);
                ownerPages.releaseFreePages(s, counters);
            } finally {
                s.unlock();
            }
        }
    }

    private void tidyWhole(int id, CacheStore s) {
        s.lock();
        try {
            ownerPages.returnCache(s, counters);
            ownerPages.collectIntoPages(s, id, remote, counters);
            ownerPages.releaseFreePages(s, counters);
        } finally {
            s.unlock();
        }
    }

    /** What the housekeeper counted (index {@code Stats.PAD + ordinal}); read racily by snapshots. */
    public long[] counters() {
        return counters;
    }

    /** Stops the thread; returns when no pass or trim is in progress. */
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) LockSupport.unpark(t);
    }
}
