package dev.hako.cache;

import dev.hako.AuditAccess;
import dev.hako.AuditReport;
import dev.hako.large.LargeBlocks;
import dev.hako.layout.PageBlocks;
import dev.hako.layout.PageMap;
import dev.hako.layout.PagePool;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
import dev.hako.owner.Housekeeper;
import dev.hako.owner.OwnerRegistry;
import dev.hako.remote.ParcelRemoteFree;
import dev.hako.remote.PushRemoteFree;
import dev.hako.remote.RemoteContext;
import dev.hako.remote.RemoteFree;
import dev.hako.remote.RemoteHeap;
import dev.hako.remote.RemoteStrategies;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;
import dev.hako.testing.Fibers;
import dev.hako.testing.Interleavings;
import dev.hako.testing.Interleavings.Actor;
import dev.hako.testing.Interleavings.Outcome;
import dev.hako.testing.Interleavings.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The housekeeper's collection for an owner that no longer allocates, against the owner waking up, in every
 * interleaving ({@link Interleavings}, with actors as {@link Fibers}): issue 8's "collected after a delay, by a
 * protocol that stays race-free with the owner waking up" (docs/CONCURRENCY.md, "Quiet owners and parked stores").
 *
 * <h2>What runs: real and modelled</h2>
 * Each schedule builds a small allocator from the real rooms: address space, page map, page pool, page records,
 * {@link OwnerPages}, {@link OwnerRegistry}, {@link Housekeeper}, real {@link ThreadCache} heaps, and the real strategy
 * ({@code parcel}, the default, and {@code push}). Three actors race:
 * <ul>
 *   <li><b>H</b>, the housekeeper, in one of two forms. <em>Real</em>: {@link Housekeeper#pass()} itself, with an
 *       injected clock so that the owner is quiet. <em>Written out</em>: {@code Housekeeper.tidyQuiet} transcribed
 *       here ({@link World#tidyInSteps}), calling the same real methods in the same order ({@code claimVacant},
 *       {@code tryLock}/{@code lock}, {@code collectIntoPages}, {@code releaseFreePages}, {@code unlock},
 *       {@code releaseVacant}), with {@code returnCache} unrolled into its real {@code giveBack} per block so that its
 *       count read and count write are separate steps. The negative controls change the transcription in one place
 *       each. It takes no maintenance monitor, so it shows that the slot claim and the page-level lock suffice by
 *       themselves.</li>
 *   <li><b>O</b>, the owner waking up. For a live owner: its real {@code malloc}s (the first one refills: lock,
 *       collect, pages, unlock; the second pops). For a parked store: a thread that attaches (the real
 *       {@link OwnerRegistry#attach}, which takes the parked id unless the housekeeper holds it) and mallocs once,
 *       from the bin it adopted or by a refill.</li>
 *   <li><b>P</b>, a producer whose last remote free (its real {@code free}, then {@code flushProducer}) arrives
 *       mid-way.</li>
 * </ul>
 * Before the race, sequentially and all real: the owner took eight blocks from four pages (A..D); the producer freed
 * six in two shipments (A's two, then B's and C's four); the owner's refill filed four and left A's two <em>pending</em>
 * in the strategy (parcel: a parcel left in the pending chain; push: the rest of a taken list beyond the bin's room);
 * then one of D's was freed and waits. So the housekeeper has pending blocks to file (the strategy's consumer state
 * that a concurrent drain would also read), a page that becomes wholly free and goes to the pool, and a waiting free;
 * a parked store also has two cached blocks to give back.
 *
 * <h2>Steps</h2>
 * A step ends where another actor could see the difference: the strategy is wrapped ({@link Stepped}) so that, for the
 * owner under test, a step ends on entering and on leaving {@code collect}/{@code collectAll} and before each block it
 * files, so two drains can interleave between reading the strategy's consumer state and writing it back; the written
 * out housekeeper also ends a step after its claim, its lock, the bin's count read and each block given back. Work that
 * only the lock holder can see (filing into pages, giving pages back, taking from pages) runs inside a step, and so do
 * other owners' collections (no other actor touches them). A producer's free and ship is one step (its one shared
 * access is the CAS that publishes; the CAS loop is covered by the strategies' own tests). The real {@code pass()}
 * reads the owner's slow-path count and tries the lock in one step. A step that would block (on a held lock, or on the
 * maintenance monitor a real pass holds) is not scheduled until it can go.
 *
 * <h2>What is checked</h2>
 * At the end of every schedule: no actor threw (a drain that meets a block not of its owner's pages, or a block found
 * freed twice, throws), and every carved block is in exactly one place: handed out, in a bin, free in its page, or
 * held by the strategy; no block is of a page in the pool; every listed page is its owner's, listed exactly when it
 * has blocks to give. Then the producer flushes, every owner's remote frees are collected into its pages, the strategy
 * must hold nothing, the books must still balance, and the allocator's own audit ({@code Auditor}) must balance with
 * the blocks handed out. Each exploration must also reach the cases that matter (the housekeeper collected and gave a
 * page back in some schedules; for a live owner, it did not collect in others).
 *
 * <p>Negative controls, each of which must fail the exploration: a housekeeper that collects without the owner's lock
 * (its drain and the owner's read the same pending blocks: one files them into the pages and gives the page back, the
 * other then meets them on a pooled page), and one that sees the id vacant but does not claim it, or claims it and
 * gives it back before the work (a thread attaches and pops a block from the bin the housekeeper is giving back:
 * handed out and given back, its page then pooled).
 */
class QuietOwnerInterleavingTest {
    /** 32 KiB blocks: two to a page, a bin of four, refills of one, so a handful of blocks covers every case. */
    static final int SIZE = 32 << 10;
    static final int C = SizeClasses.classOf(SIZE);
    static final long DECAY = 1_000;
    static final int MAX_OWNERS = 8, SHARED = 1;
    /** Fiber (worker) indexes: the order is also the scheduler's preference and the schedule letters "HOP". */
    static final int HOUSEKEEPER = 0, OWNER = 1, PRODUCER = 2;

    private static Fibers fibers;

    @BeforeAll
    static void start() {
        assertEquals(2, SizeClasses.blocksPerPage(C));
        assertEquals(4, SizeClasses.cacheCap(C));
        assertEquals(1, SizeClasses.refillBatch(C));
        fibers = new Fibers(3);
    }

    @AfterAll
    static void stop() {
        fibers.close();
    }

    /** How the housekeeper runs. */
    enum Keeper {
        /** {@link Housekeeper#pass()} itself. */
        REAL,
        /** {@code tidyQuiet}'s steps written out, one shared access a step. */
        STEPS,
        /** Negative control: the written-out steps without the page-level lock (a live owner). */
        NO_LOCK,
        /** Negative control: the written-out steps, seeing the id vacant but not claiming it (a parked store). */
        NO_CLAIM,
        /** Negative control: the written-out steps, claiming the id but giving it back before the work. */
        RELEASE_EARLY
    }

    /** What the schedules saw, so that a test can show the interesting cases were reached. */
    static final class Coverage {
        long collected, notCollected, pageReleased;
    }

    // ================================================================ the stepping seam

    /** The real strategy, with a step ending around the target owner's side and before each block it files. */
    static final class Stepped extends RemoteFree {
        final RemoteFree real;
        /** Per owner id: how often the owner side was collected whole (by a housekeeper). */
        final int[] collectAlls = new int[MAX_OWNERS + 1];
        /**
         * The owner id whose consumer side steps; every other owner's runs through in one step (no other actor touches
         * it: the producer frees only the target's blocks), which keeps the schedules few.
         */
        int target = -1;

        Stepped(RemoteFree real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public void send(RemoteHeap producer, int owner, int sizeClass, long block) {
            real.send(producer, owner, sizeClass, block);
        }

        @Override
        public int collect(RemoteHeap owner, int sizeClass) {
            if (owner.ownerId() != target) return real.collect(owner, sizeClass);
            Fibers.pause();
            int n = real.collect(new Pausing(owner), sizeClass);
            Fibers.pause();
            return n;
        }

        @Override
        public long collectAll(RemoteHeap owner) {
            collectAlls[owner.ownerId()]++;
            if (owner.ownerId() != target) return real.collectAll(owner);
            Fibers.pause();
            long n = real.collectAll(new Pausing(owner));
            Fibers.pause();
            return n;
        }

        @Override
        public void flushProducer(RemoteHeap producer) {
            real.flushProducer(producer);
        }

        @Override
        public void forEachHeld(BlockVisitor visitor) {
            real.forEachHeld(visitor);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    /** The heap a strategy files into, with a step ending before each block. */
    record Pausing(RemoteHeap heap) implements RemoteHeap {
        @Override
        public int ownerId() {
            return heap.ownerId();
        }

        @Override
        public void acceptFree(int sizeClass, long block) {
            Fibers.pause();
            heap.acceptFree(sizeClass, block);
        }

        @Override
        public int room(int sizeClass) {
            return heap.room(sizeClass);
        }

        @Override
        public boolean owns(int sizeClass, long block) {
            return heap.owns(sizeClass, block);
        }

        @Override
        public void retract(int sizeClass, int count) {
            heap.retract(sizeClass, count);
        }

        @Override
        public void count(Counter counter, long n) {
            heap.count(counter, n);
        }
    }

    /** Whether nobody holds the store's lock (asked by the scheduler while every actor is paused). */
    static boolean lockFree(CacheStore s) {
        if (!s.tryLock()) return false;
        s.unlock();
        return true;
    }

    /** A malloc on {@code s} can go now: a pop, or a refill whose lock is free. */
    static boolean mallocReady(CacheStore s) {
        return s.counts[C] > 0 || lockFree(s);
    }

    // ================================================================ one schedule's allocator

    /** A small allocator of the real rooms, with the strategy stepped and the clock in the test's hand. */
    static final class World implements Scenario {
        final long[] now = {0};
        final AddressSpace space = new AddressSpace(16L << 20, SizeClasses.PAGE, 4L << 20);
        final PageMap map = new PageMap(space);
        final PagePool pool = new PagePool(map, space, () -> now[0], false);
        final PageBlocks blocks = new PageBlocks(map);
        final AtomicInteger highWater = new AtomicInteger(SHARED);
        final Stepped remote;
        final LargeBlocks large = new LargeBlocks(map, pool);
        final OwnerPages ownerPages = new OwnerPages(map, blocks, pool, null);
        final OwnerRegistry owners;
        final Housekeeper housekeeper;
        final long[] counters = Stats.newCounters();
        /** Blocks handed out and not freed (the program's). */
        final Set<Long> live = new LinkedHashSet<>();
        final Keeper keeper;
        final Coverage coverage;
        final List<Actor> actors = new ArrayList<>();
        /** The owner id the housekeeper tidies. */
        int target;
        /** The real pass holds the maintenance monitor (an attach would block) while this is set. */
        volatile boolean inPass;

        World(String strategy, Keeper keeper, Coverage coverage) {
            this.keeper = keeper;
            this.coverage = coverage;
            remote = new Stepped(RemoteStrategies.create(strategy, new RemoteContext(MAX_OWNERS, map, highWater::get)));
            owners = new OwnerRegistry(MAX_OWNERS, SHARED, 0, highWater, map, remote, large, ownerPages, null,
                    HeapFactory.PLAIN);
            housekeeper = new Housekeeper(owners, ownerPages, remote, pool, () -> now[0], DECAY, 1L << 40);
        }

        ThreadCache attach(Thread thread) {
            return owners.attach(thread);
        }

        CacheStore store(ThreadCache heap) {
            return owners.storeOf(heap.ownerId());
        }

        long malloc(ThreadCache heap) {
            long b = heap.malloc(SIZE);
            if (!live.add(b)) throw new AssertionError(String.format("0x%x handed out twice", b));
            return b;
        }

        void free(ThreadCache heap, long b) {
            if (!live.remove(b)) throw new AssertionError(String.format("0x%x freed but not live", b));
            heap.free(b);
        }

        /**
         * The history before the race (sequential, on the test thread): the owner takes eight blocks (pages A..D);
         * the producer frees A's two, then B's and C's four, in two shipments; the owner's next refill files the
         * four and leaves A's two pending; the owner then takes all but {@code cachedLeft} of the four from its bin;
         * the producer frees one of D's, which waits. D's other block stays with the producer: returns it.
         */
        long history(ThreadCache owner, ThreadCache producer, int cachedLeft) {
            List<Long> b = new ArrayList<>();
            for (int i = 0; i < 8; i++) b.add(malloc(owner));
            for (int i = 0; i < 8; i += 2) {
                assertEquals(map.pageIndex(b.get(i)), map.pageIndex(b.get(i + 1)), "two blocks a page, in order");
            }
            free(producer, b.get(0));
            free(producer, b.get(1));
            remote.flushProducer(producer);
            for (int i = 2; i < 6; i++) free(producer, b.get(i));
            remote.flushProducer(producer);
            CacheStore s = store(owner);
            malloc(owner); // refill: four filed, A's two pending
            assertEquals(3, s.counts[C], "the refill filed four blocks");
            while (s.counts[C] > cachedLeft) malloc(owner);
            free(producer, b.get(6));
            remote.flushProducer(producer);
            Map<Long, Integer> held = new HashMap<>();
            remote.forEachHeld(x -> held.merge(x, 1, Integer::sum));
            assertEquals(Set.of(b.get(0), b.get(1), b.get(6)), held.keySet(), "pending and waiting before the race");
            return b.get(7);
        }

        /** The producer's remote free arriving mid-way (one step: send and ship). */
        Actor producerActor(ThreadCache producer, long block) {
            return fibers.actor(PRODUCER, null, () -> {
                free(producer, block);
                remote.flushProducer(producer);
            });
        }

        /** The housekeeper's actor for owner {@code id}. */
        Actor keeperActor(int id) {
            if (keeper == Keeper.REAL) {
                return fibers.actor(HOUSEKEEPER, null, () -> {
                    inPass = true;
                    try {
                        housekeeper.pass();
                    } finally {
                        inPass = false;
                    }
                });
            }
            return fibers.actor(HOUSEKEEPER, null, () -> tidyInSteps(id, owners.storeOf(id)));
        }

        /**
         * {@code Housekeeper.tidyQuiet}, one shared access a step ({@code returnCache} too: its count read, each
         * block given back and its count write), changed in one place by the negative controls.
         */
        void tidyInSteps(int id, CacheStore s) {
            boolean parked = keeper == Keeper.NO_CLAIM ? owners.heapOf(id) == null : owners.claimVacant(id);
            boolean holding = parked && keeper != Keeper.NO_CLAIM;
            if (parked && keeper == Keeper.RELEASE_EARLY) {
                Fibers.pause();
                owners.releaseVacant(id);
                holding = false;
            }
            if (parked) {
                Fibers.pauseUntil(() -> lockFree(s));
                s.lock();
                try {
                    Fibers.pause();
                    returnCacheInSteps(s);
                    ownerPages.collectIntoPages(s, id, remote, counters);
                    ownerPages.releaseFreePages(s, now[0] - DECAY, counters);
                } finally {
                    s.unlock();
                }
                if (holding) {
                    Fibers.pause();
                    owners.releaseVacant(id);
                }
            } else {
                Fibers.pause();
                boolean locked = keeper != Keeper.NO_LOCK && s.tryLock();
                if (!locked && keeper != Keeper.NO_LOCK) return; // busy: skipped
                try {
                    boolean any = ownerPages.collectIntoPages(s, id, remote, counters) > 0;
                    ownerPages.releaseFreePages(s, any ? Long.MAX_VALUE : now[0] - DECAY, counters);
                } finally {
                    if (locked) s.unlock();
                }
            }
        }

        /** {@code OwnerPages.returnCache} ({@code giveBackOldest} of every class's whole bin), a step per access. */
        void returnCacheInSteps(CacheStore s) {
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                int n = s.counts[c];
                if (n == 0) continue;
                long[] bin = s.bins[c];
                for (int i = 0; i < n; i++) {
                    Fibers.pause();
                    long twice = ownerPages.giveBack(s, c, bin[i], counters);
                    if (twice != 0) throw OwnerPages.freedTwice(twice);
                }
                Fibers.pause();
                s.counts[c] = 0;
            }
        }

        /** Lets the housekeeper see the owners' slow-path counts once, then the decay delay pass. */
        void quietFor() {
            housekeeper.pass();
            now[0] += DECAY;
        }

        @Override
        public List<Actor> actors() {
            return actors;
        }

        @Override
        public void check() {
            Throwable t = fibers.failure();
            if (t != null) throw new AssertionError("an actor threw " + t, t);
            try {
                checkEnd();
            } catch (RuntimeException e) {
                throw new AssertionError("the checks threw " + e, e);
            }
        }

        private void checkEnd() {
            int collectAlls = remote.collectAlls[target];
            assertBooks("end of the race");
            if (collectAlls > 0) coverage.collected++;
            else coverage.notCollected++;
            long[] pooled = {0};
            pool.forEachFreeRun((address, pages, clean) -> pooled[0] += pages);
            if (pooled[0] > 0) coverage.pageReleased++;
            // Then everything in transit is delivered: the producer ships, each owner's frees go to its pages.
            for (int id = SHARED + 1; id <= highWater.get(); id++) {
                ThreadCache heap = owners.heapOf(id);
                if (heap != null) remote.flushProducer(heap);
            }
            for (int id = SHARED + 1; id <= highWater.get(); id++) {
                CacheStore s = owners.storeOf(id);
                if (s == null) continue;
                s.lock();
                try {
                    ownerPages.collectIntoPages(s, id, remote, counters);
                } finally {
                    s.unlock();
                }
            }
            List<Long> held = new ArrayList<>();
            remote.forEachHeld(held::add);
            if (!held.isEmpty()) throw new AssertionError("the strategy still holds " + hex(held) + " after the final"
                    + " collection");
            assertBooks("after a final collection");
            AuditReport audit = AuditAccess.audit(map, pool, blocks, owners.stores(), remote);
            if (!audit.balanced(live.size())) {
                throw new AssertionError("audit() does not balance with " + live.size() + " live: " + audit);
            }
        }

        /** Every carved block in exactly one place; every page where its records say. */
        void assertBooks(String when) {
            Map<Long, List<String>> seen = new HashMap<>();
            Set<Long> carved = new LinkedHashSet<>();
            int pages = (int) ((pool.frontierAddress() - map.base()) >>> SizeClasses.PAGE_SHIFT);
            for (int p = 0; p < pages; p++) {
                int c = PageMap.classOf(map.tagOfPage(p));
                if (c < 0) continue;
                for (int k = 0; k < blocks.carved(p); k++) carved.add(map.pageAddress(p) + (long) k * SizeClasses.size(c));
                blocks.forEachFree(p, c, b -> seen.computeIfAbsent(b, x -> new ArrayList<>()).add("free in its page"));
            }
            for (int id = 1; id <= highWater.get(); id++) {
                CacheStore s = owners.storeOf(id);
                if (s == null) continue;
                int owner = id;
                s.forEachFree((c, b) -> seen.computeIfAbsent(b, x -> new ArrayList<>()).add("in the bin of " + owner));
                checkPageLists(owner, s, when);
            }
            remote.forEachHeld(b -> seen.computeIfAbsent(b, x -> new ArrayList<>()).add("in the strategy"));
            for (long b : live) seen.computeIfAbsent(b, x -> new ArrayList<>()).add("handed out");
            for (long b : carved) {
                List<String> where = seen.getOrDefault(b, List.of());
                if (where.size() != 1) {
                    throw new AssertionError(String.format("%s: block 0x%x is %s", when, b,
                            where.isEmpty() ? "nowhere (lost)" : String.join(" and ", where)));
                }
            }
            for (Map.Entry<Long, List<String>> e : seen.entrySet()) {
                if (!carved.contains(e.getKey())) {
                    throw new AssertionError(String.format("%s: 0x%x (%s) is no carved block of an owner's page"
                            + " (its page went to the pool?)", when, e.getKey(), String.join(" and ", e.getValue())));
                }
            }
            pool.forEachFreeRun((address, run, clean) -> {
                for (int i = 0; i < run; i++) {
                    if (map.tagAt(address + ((long) i << SizeClasses.PAGE_SHIFT)) != 0) {
                        throw new AssertionError(when + ": a pooled page is still tagged");
                    }
                }
            });
        }

        /** The store's page lists hold its own pages, each once, and exactly those with blocks to give. */
        void checkPageLists(int owner, CacheStore s, String when) {
            int pages = (int) ((pool.frontierAddress() - map.base()) >>> SizeClasses.PAGE_SHIFT);
            Set<Integer> listed = new LinkedHashSet<>();
            for (int c = 0; c < SizeClasses.COUNT; c++) {
                for (int p = PageBlocks.first(s.pageList, c); p >= 0; p = blocks.next(p)) {
                    if (!listed.add(p) || listed.size() > pages) throw new AssertionError(when + ": page list loops");
                    if (map.tagOfPage(p) != PageMap.tag(owner, c)) {
                        throw new AssertionError(when + ": owner " + owner + " lists page " + p + ", tagged "
                                + Integer.toHexString(map.tagOfPage(p)));
                    }
                }
            }
            for (int p = 0; p < pages; p++) {
                int tag = map.tagOfPage(p);
                if (PageMap.classOf(tag) < 0 || PageMap.ownerOf(tag) != owner) continue;
                if (listed.contains(p) != blocks.canGive(p, PageMap.classOf(tag))) {
                    throw new AssertionError(when + ": owner " + owner + "'s page " + p + (listed.contains(p)
                            ? " is listed with nothing to give" : " has blocks to give but is not listed"));
                }
            }
        }

        @Override
        public void close() {
            fibers.abandon();
            housekeeper.close();
            large.releaseAll();
            remote.close();
            blocks.close();
            pool.close();
            space.close();
        }
    }

    static String hex(List<Long> blocks) {
        List<String> s = new ArrayList<>();
        for (long b : blocks) s.add("0x" + Long.toHexString(b));
        return s.toString();
    }

    // ================================================================ a live owner gone quiet

    /**
     * A live owner that went quiet: the housekeeper collects its pending and waiting remote frees into its pages and
     * gives the wholly free page back, while the owner wakes up and mallocs twice (a refill that collects, then a
     * pop), and the producer's last free arrives.
     */
    static World quietLiveOwner(String strategy, Keeper keeper, Coverage coverage) {
        World w = new World(strategy, keeper, coverage);
        try {
            ThreadCache owner = w.attach(fibers.thread(OWNER));
            ThreadCache producer = w.attach(fibers.thread(PRODUCER));
            long last = w.history(owner, producer, 0);
            w.target = w.remote.target = owner.ownerId();
            w.quietFor();
            CacheStore s = w.store(owner);
            BooleanSupplier ready = () -> mallocReady(s);
            w.actors.add(w.keeperActor(owner.ownerId()));
            w.actors.add(fibers.actor(OWNER, ready, () -> {
                w.malloc(owner);
                Fibers.pauseUntil(ready);
                w.malloc(owner);
            }));
            w.actors.add(w.producerActor(producer, last));
            return w;
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        }
    }

    static Outcome exploreQuietLiveOwner(String strategy, Keeper keeper, Coverage coverage) {
        return Interleavings.explore("HOP", () -> quietLiveOwner(strategy, keeper, coverage));
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void theRealPassCollectsForAQuietLiveOwnerRaceFree(String strategy) {
        Coverage cov = new Coverage();
        Outcome o = exploreQuietLiveOwner(strategy, Keeper.REAL, cov);
        assertNull(o.failure(), o::toString);
        assertCovered(o, cov, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void tidyQuietStepByStepIsRaceFreeWithTheOwnerWakingUp(String strategy) {
        Coverage cov = new Coverage();
        Outcome o = exploreQuietLiveOwner(strategy, Keeper.STEPS, cov);
        assertNull(o.failure(), o::toString);
        assertCovered(o, cov, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void negativeControlCollectingWithoutTheLockIsCaught(String strategy) {
        Outcome o = exploreQuietLiveOwner(strategy, Keeper.NO_LOCK, new Coverage());
        assertCaught(o, "collecting without the owner's lock");
    }

    // ================================================================ a parked store

    /**
     * A parked store (its thread detached) with two cached blocks, pending and waiting remote frees: the housekeeper
     * claims its id, gives the cache back and collects, while a new thread attaches (the lowest vacant id is this
     * one, unless the housekeeper holds it) and mallocs once, and the producer's last free arrives.
     */
    static World parkedStore(String strategy, Keeper keeper, Coverage coverage) {
        World w = new World(strategy, keeper, coverage);
        try {
            ThreadCache gone = w.attach(Thread.currentThread());
            ThreadCache producer = w.attach(fibers.thread(PRODUCER));
            long last = w.history(gone, producer, 2);
            int id = gone.ownerId();
            w.target = w.remote.target = id;
            assertTrue(w.owners.detach(gone));
            w.quietFor();
            ThreadCache[] adopter = new ThreadCache[1];
            w.actors.add(w.keeperActor(id));
            // The real attach takes the maintenance monitor, which the real pass holds throughout.
            BooleanSupplier canAttach = keeper == Keeper.REAL ? () -> !w.inPass : null;
            w.actors.add(fibers.actor(OWNER, canAttach, () -> {
                adopter[0] = w.attach(Thread.currentThread());
                CacheStore s = w.store(adopter[0]);
                Fibers.pauseUntil(() -> mallocReady(s));
                w.malloc(adopter[0]);
            }));
            w.actors.add(w.producerActor(producer, last));
            return w;
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        }
    }

    static Outcome exploreParkedStore(String strategy, Keeper keeper, Coverage coverage) {
        return Interleavings.explore("HOP", () -> parkedStore(strategy, keeper, coverage));
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void theRealPassTidiesAParkedStoreRaceFree(String strategy) {
        Coverage cov = new Coverage();
        Outcome o = exploreParkedStore(strategy, Keeper.REAL, cov);
        assertNull(o.failure(), o::toString);
        assertCovered(o, cov, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void tidyingAParkedStoreStepByStepIsRaceFreeWithAThreadAttaching(String strategy) {
        Coverage cov = new Coverage();
        Outcome o = exploreParkedStore(strategy, Keeper.STEPS, cov);
        assertNull(o.failure(), o::toString);
        assertCovered(o, cov, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {ParcelRemoteFree.NAME, PushRemoteFree.NAME})
    void negativeControlNotKeepingTheIdIsCaught(String strategy) {
        Outcome o = exploreParkedStore(strategy, Keeper.NO_CLAIM, new Coverage());
        assertCaught(o, "tidying a parked store without claiming its id");
        Outcome early = exploreParkedStore(strategy, Keeper.RELEASE_EARLY, new Coverage());
        assertCaught(early, "tidying a parked store after giving its id back");
    }

    /**
     * The exploration reached the cases that matter: the housekeeper collected, and gave a page back, in some
     * schedules, and (for a live owner, whose refill makes it busy or not quiet) did not collect in others.
     */
    static void assertCovered(Outcome o, Coverage cov, boolean alsoNotCollected) {
        String seen = o + "; the housekeeper collected in " + cov.collected + ", not in " + cov.notCollected
                + ", a page went to the pool in " + cov.pageReleased;
        assertTrue(o.schedules() >= 50, seen);
        assertTrue(cov.collected > 0 && cov.pageReleased > 0 && (cov.notCollected > 0 || !alsoNotCollected), seen);
    }

    /** A negative control failed the exploration, and by the books or an actor's own check, not by a deadlock. */
    static void assertCaught(Outcome o, String what) {
        assertTrue(o.failed(), what + " must be caught: " + o);
        assertTrue(!o.failure().getMessage().contains("deadlock"), what + " failed for another reason: " + o);
    }
}
