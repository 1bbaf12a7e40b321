package dev.hako;

import dev.hako.layout.SizeClasses;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small, seeded version of {@code ./hako stress} for tests (not a benchmark): workers allocate blocks of random
 * sizes, fill them with a pattern of (address, worker, serial), send a share to other workers and free the rest;
 * every freer verifies the pattern first. Workers can run as a chain of short-lived threads (churn), so heaps are
 * detached with blocks in their caches and owner ids are reused; or as virtual threads.
 *
 * <p>A global set of live addresses catches a block handed out twice the moment it happens.
 */
final class ExchangeRun {
    record Options(int workers, int opsPerWorker, int remotePct, long maxSize, int churnOps, boolean virtual,
                   long seed, boolean allAliveTogether) {
        static Options of(int workers, int ops, int remotePct) {
            return new Options(workers, ops, remotePct, 4096, 0, false, 1, false);
        }

        Options maxSize(long v) {
            return new Options(workers, opsPerWorker, remotePct, v, churnOps, virtual, seed, allAliveTogether);
        }

        Options churn(int v) {
            return new Options(workers, opsPerWorker, remotePct, maxSize, v, virtual, seed, allAliveTogether);
        }

        Options virtualThreads() {
            return new Options(workers, opsPerWorker, remotePct, maxSize, churnOps, true, seed, allAliveTogether);
        }

        Options seed(long v) {
            return new Options(workers, opsPerWorker, remotePct, maxSize, churnOps, virtual, v, allAliveTogether);
        }

        /** All workers' first threads are alive at the same time (a barrier), so owner ids run out for real. */
        Options together() {
            return new Options(workers, opsPerWorker, remotePct, maxSize, churnOps, virtual, seed, true);
        }
    }

    /** What the run did; frees of page blocks split into local (own blocks) and remote. */
    record Result(long mallocs, long pageMallocs, long sentPageBlocks, long sentLarge, long corrupt,
                  Set<Integer> ownerIds, Set<Boolean> sharedSeen) {}

    private final HakoAllocator hako;
    private final Options o;
    private final ConcurrentLinkedQueue<long[]>[] inbox;
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong mallocs = new AtomicLong(), pageMallocs = new AtomicLong(), sentPage = new AtomicLong(),
            sentLarge = new AtomicLong(), corrupt = new AtomicLong();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Set<Integer> ownerIds = ConcurrentHashMap.newKeySet();
    private final Set<Boolean> shared = ConcurrentHashMap.newKeySet();
    private final CyclicBarrier together;

    @SuppressWarnings("unchecked")
    ExchangeRun(HakoAllocator hako, Options options) {
        this.hako = hako;
        this.o = options;
        this.inbox = new ConcurrentLinkedQueue[options.workers()];
        for (int i = 0; i < inbox.length; i++) inbox[i] = new ConcurrentLinkedQueue<>();
        this.together = options.allAliveTogether() ? new CyclicBarrier(options.workers()) : null;
    }

    /** Runs every worker to the end, then the checks that need no quiescence; rethrows a worker's failure. */
    Result run() throws InterruptedException {
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < o.workers(); w++) {
            Worker worker = new Worker(w);
            drivers.add(Thread.ofPlatform().name("exchange-driver-" + w).start(() -> {
                try {
                    worker.drive();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    if (together != null) together.reset();
                }
            }));
        }
        for (Thread t : drivers) t.join();
        if (failure.get() != null) throw new AssertionError("worker failed: " + failure.get(), failure.get());
        assertEquals(0, corrupt.get(), "corrupt blocks");
        assertTrue(live.isEmpty(), "every block freed");
        return new Result(mallocs.get(), pageMallocs.get(), sentPage.get(), sentLarge.get(), corrupt.get(),
                Set.copyOf(ownerIds), Set.copyOf(shared));
    }

    private final class Worker {
        final int id;
        final SplittableRandom rnd;
        final List<long[]> mine = new ArrayList<>(); // {address, size, serial}
        long serial;
        int done;

        Worker(int id) {
            this.id = id;
            this.rnd = new SplittableRandom(o.seed() * 1_000_003 + id);
        }

        void drive() throws InterruptedException {
            boolean first = true;
            while (done < o.opsPerWorker()) {
                boolean wait = first && together != null;
                Runnable generation = () -> runSome(wait);
                Thread t = o.virtual() ? Thread.ofVirtual().start(generation)
                        : Thread.ofPlatform().name("exchange-" + id).start(generation);
                t.join();
                first = false;
                if (failure.get() != null) return;
            }
            Runnable last = this::finish;
            Thread t = o.virtual() ? Thread.ofVirtual().start(last)
                    : Thread.ofPlatform().name("exchange-" + id + "-last").start(last);
            t.join();
        }

        void runSome(boolean waitForAll) {
            try {
                Heap heap = hako.heap();
                ownerIds.add(heap.ownerId());
                shared.add(heap.isShared());
                if (waitForAll) together.await();
                int budget = o.churnOps() > 0 ? o.churnOps() : Integer.MAX_VALUE;
                for (int i = 0; i < budget && done < o.opsPerWorker(); i++, done++) {
                    if ((done & 31) == 0) drain(heap);
                    step(heap);
                }
                drain(heap);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                if (together != null) together.reset();
            }
        }

        long size() {
            int k = rnd.nextInt(100);
            if (k < 2 && o.maxSize() > SizeClasses.MAX_SIZE) return rnd.nextLong(SizeClasses.MAX_SIZE + 1, o.maxSize() + 1);
            if (k < 12 && o.maxSize() > SizeClasses.SMALL_MAX) {
                return rnd.nextLong(SizeClasses.SMALL_MAX + 1, Math.min(o.maxSize(), SizeClasses.MAX_SIZE) + 1);
            }
            return rnd.nextLong(1, Math.min(o.maxSize(), SizeClasses.SMALL_MAX) + 1);
        }

        void step(Heap heap) {
            if (mine.size() < 64 && (mine.isEmpty() || rnd.nextInt(100) < 55)) {
                long size = size();
                int how = rnd.nextInt(20);
                long a = how == 0 ? heap.calloc(1, size) : how == 1 ? hako.malloc(size) : heap.malloc(size);
                if (how == 0 && TestHako.firstNonZero(a, size) >= 0) corrupt.incrementAndGet();
                if (!live.add(a)) throw new AssertionError(String.format("block 0x%x handed out twice", a));
                mallocs.incrementAndGet();
                if (size <= SizeClasses.MAX_SIZE) pageMallocs.incrementAndGet();
                long s = ++serial * 64 + id;
                TestHako.fill(a, size, s);
                mine.add(new long[] {a, size, s});
                return;
            }
            long[] b = mine.remove(rnd.nextInt(mine.size()));
            if (o.workers() > 1 && rnd.nextInt(100) < o.remotePct()) {
                int to = rnd.nextInt(o.workers() - 1);
                if (to >= id) to++;
                if (b[1] <= SizeClasses.MAX_SIZE) sentPage.incrementAndGet(); else sentLarge.incrementAndGet();
                inbox[to].add(b);
            } else {
                release(heap, b);
            }
        }

        void release(Heap heap, long[] b) {
            if (TestHako.check(b[0], b[1], b[2]) >= 0) corrupt.incrementAndGet();
            if (!live.remove(b[0])) throw new AssertionError(String.format("block 0x%x freed but not live", b[0]));
            heap.free(b[0]);
        }

        void drain(Heap heap) {
            long[] b;
            while ((b = inbox[id].poll()) != null) release(heap, b);
        }

        void finish() {
            try {
                Heap heap = hako.heap();
                for (long[] b : mine) release(heap, b);
                mine.clear();
                finished.incrementAndGet();
                while (finished.get() < o.workers() && failure.get() == null) {
                    drain(heap);
                    // park, not yield: a yielding virtual thread can starve newly started ones on a busy carrier
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                drain(heap);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }
}
