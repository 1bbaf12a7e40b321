package dev.hako;

import dev.hako.events.HakoEvents;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hako's JFR events, read back with a {@link RecordingStream}: each workload triggers one kind, and the events'
 * fields must account for what the workload did (the pages its blocks lie in, the bytes a trim returned, every
 * remote free drained exactly once, the owner a dead thread held). Other allocators in this JVM (the tests'
 * housekeepers, the global one) may record events too, so each check looks only at its own thread's events, or its
 * own addresses and owner ids.
 */
@Timeout(120)
class JfrEventsTest {
    private static final int SMALL = 64;

    /** Runs {@code workload} with the given events enabled and returns every one of them recorded meanwhile. */
    private static List<RecordedEvent> record(Runnable workload, String... names) {
        List<RecordedEvent> events = new CopyOnWriteArrayList<>();
        try (RecordingStream rs = new RecordingStream()) {
            for (String n : names) {
                rs.enable(n);
                rs.onEvent(n, events::add);
            }
            rs.startAsync();
            if (List.of(names).contains(HakoEvents.PAGE_TAKE)) awaitDelivery(events);
            workload.run();
            rs.stop(); // returns once every event recorded so far has been delivered
        }
        events.removeIf(JfrEventsTest::isPrimer);
        // A stream may hand the same event over twice near its start (seen once: the first page's PageTake, same
        // start time, same fields): keep one of each.
        Set<String> seen = new HashSet<>();
        events.removeIf(e -> !seen.add(e.getStartTime().toEpochMilli() + "/" + e.getStartTime().getNano() + "/" + e));
        return events;
    }

    /**
     * Commits one page-take event from a thread of its own and waits (at most 10 s) until the stream delivers it, so
     * that the workload's first event cannot fall before the stream's start (a full CI run once missed exactly the
     * first page's event). The primer's event is removed from what {@link #record} returns.
     */
    private static void awaitDelivery(List<RecordedEvent> events) {
        try {
            Thread primer = Thread.ofPlatform().name(PRIMER).start(() -> HakoEvents.pageTaken(0, 0, SMALL));
            primer.join();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.stream().noneMatch(JfrEventsTest::isPrimer) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String PRIMER = "jfr-events-test-primer";

    private static boolean isPrimer(RecordedEvent e) {
        RecordedThread t = e.getThread();
        return t != null && PRIMER.equals(t.getJavaName());
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String name, Thread thread) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals(name)) continue;
            RecordedThread t = e.getThread();
            if (thread == null || t != null && t.getJavaThreadId() == thread.threadId()) out.add(e);
        }
        return out;
    }

    @Test
    void everyEventShouldBeInTheHakoCategoryAndOffByDefault() {
        try (HakoAllocator hako = TestHako.create()) {
            hako.free(hako.malloc(SMALL)); // the events' classes are registered by now (a recording below starts JFR)
            List<RecordedEvent> events = new CopyOnWriteArrayList<>();
            try (RecordingStream rs = new RecordingStream()) {
                rs.onEvent(e -> {
                    if (e.getEventType().getName().startsWith("dev.hako.")) events.add(e);
                });
                rs.startAsync();
                workloadOfEveryKind(hako);
                Set<String> registered = new HashSet<>();
                for (var type : jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes()) {
                    if (!type.getName().startsWith("dev.hako.")) continue;
                    registered.add(type.getName());
                    assertEquals(List.of("Hako"), type.getCategoryNames(), type.getName());
                    assertFalse(type.isEnabled(), type.getName() + " must be off unless a recording enables it");
                }
                assertEquals(Set.copyOf(HakoEvents.NAMES), registered);
                rs.stop();
            }
            assertTrue(events.isEmpty(), "a recording that enables no Hako event records none: " + events);
        }
    }

    private static void workloadOfEveryKind(HakoAllocator hako) {
        long[] blocks = new long[3000];
        for (int i = 0; i < blocks.length; i++) blocks[i] = hako.malloc(SMALL);
        for (long b : blocks) hako.free(b);
        hako.free(hako.malloc(1 << 20));
        hako.trim();
    }

    @Test
    void pageTakeAndReleaseShouldNameEveryPageOfTheBlocks() {
        try (HakoAllocator hako = TestHako.create()) {
            Thread me = Thread.currentThread();
            Set<Long> pagesOfBlocks = new HashSet<>();
            long[] returned = new long[1];
            List<RecordedEvent> events = record(() -> {
                long[] blocks = new long[3000]; // more than one 64 KiB page of 64-byte blocks, and more than the cache
                for (int i = 0; i < blocks.length; i++) {
                    blocks[i] = hako.malloc(SMALL);
                    pagesOfBlocks.add(blocks[i] & -(64L << 10));
                }
                for (long b : blocks) hako.free(b);
                returned[0] = hako.trim(); // gives the cache back, releases every wholly free page, purges them all
            }, HakoEvents.PAGE_TAKE, HakoEvents.PAGE_RELEASE);

            List<RecordedEvent> taken = of(events, HakoEvents.PAGE_TAKE, me);
            List<RecordedEvent> released = of(events, HakoEvents.PAGE_RELEASE, me);
            assertTrue(pagesOfBlocks.size() >= 3, "pages " + pagesOfBlocks.size());
            Set<Long> takenPages = new HashSet<>();
            int owner = -1;
            for (RecordedEvent e : taken) {
                assertEquals(SMALL, e.getInt("blockSize"));
                takenPages.add(e.getLong("address"));
                if (owner < 0) owner = e.getInt("owner");
                assertEquals(owner, e.getInt("owner"), "one thread, one owner");
            }
            assertEquals(pagesOfBlocks, takenPages, "one event per page taken, naming it");
            assertEquals(taken.size(), takenPages.size(), () -> "no page taken twice: " + events);
            Set<Long> releasedPages = new HashSet<>();
            for (RecordedEvent e : released) {
                assertEquals(SMALL, e.getInt("blockSize"));
                assertEquals(owner, e.getInt("owner"));
                releasedPages.add(e.getLong("address"));
            }
            assertEquals(takenPages, releasedPages, "trim gives every wholly free page back");
            assertTrue(returned[0] >= (long) takenPages.size() << 16, "trim returned " + returned[0]);
        }
    }

    @Test
    void trimAndPurgeShouldReportTheBytesReturned() {
        try (HakoAllocator hako = TestHako.create()) {
            Thread me = Thread.currentThread();
            long[] returned = new long[2];
            List<RecordedEvent> events = record(() -> {
                long big = hako.malloc(4 << 20);
                hako.free(big); // 64 dirty pages in the pool
                returned[0] = hako.trim();
                returned[1] = hako.trim(); // nothing left: a trim event of 0 bytes, no purge event
            }, HakoEvents.TRIM, HakoEvents.PURGE);

            List<RecordedEvent> trims = of(events, HakoEvents.TRIM, me);
            assertEquals(2, trims.size(), trims.toString());
            assertTrue(returned[0] >= 4 << 20, "first trim returned " + returned[0]);
            assertEquals(0, returned[1]);
            assertEquals(returned[0], trims.get(0).getLong("returnedBytes"));
            assertEquals(0, trims.get(1).getLong("returnedBytes"));
            assertNotNull(trims.get(0).getStackTrace(), "a trim records who asked for it");

            List<RecordedEvent> purges = of(events, HakoEvents.PURGE, me);
            assertEquals(1, purges.size(), "one purge found runs to return: " + purges);
            RecordedEvent p = purges.getFirst();
            assertEquals(returned[0], p.getLong("bytes"));
            assertTrue(p.getInt("runs") >= 1);
            assertEquals(0, p.getInt("failedRuns"));
            assertTrue(p.getBoolean("all"), "a trim purges every free run, whatever its age");
        }
    }

    @Test
    void decayShouldRecordAPurgeOfTheAgedPagesOnly() {
        try (MemoryReturnTest.Clocked c = new MemoryReturnTest.Clocked()) {
            long[] purgedBytes = new long[1];
            List<RecordedEvent> events = record(() -> {
                c.hako.free(c.hako.malloc(2 << 20)); // 32 pages, dirty, stamped now
                long before = c.memory().returnedBytes();
                c.now.addAndGet(MemoryReturnTest.DECAY);
                c.hako.housekeep(); // the decay pass, on this thread
                purgedBytes[0] = c.memory().returnedBytes() - before;
            }, HakoEvents.PURGE);
            List<RecordedEvent> purges = of(events, HakoEvents.PURGE, Thread.currentThread());
            assertEquals(1, purges.size(), purges.toString());
            assertTrue(purgedBytes[0] >= 2 << 20, "purged " + purgedBytes[0]);
            assertEquals(purgedBytes[0], purges.getFirst().getLong("bytes"));
            assertFalse(purges.getFirst().getBoolean("all"), "decay purges only runs past the delay");
        }
    }

    @Test
    void largeAllocationAndFreeShouldNameTheBlock() {
        try (HakoAllocator hako = TestHako.create()) {
            long[] blocks = new long[2];
            long arenaSize = 1 << 20, mappedSize = 40L << 20; // above 32 MiB: a mapping of its own
            long[] usable = new long[2];
            List<RecordedEvent> events = record(() -> {
                blocks[0] = hako.malloc(arenaSize + 1);
                blocks[1] = hako.malloc(mappedSize);
                usable[0] = hako.usableSize(blocks[0]);
                usable[1] = hako.usableSize(blocks[1]);
                hako.free(blocks[0]);
                hako.free(blocks[1]);
            }, HakoEvents.LARGE_ALLOCATION, HakoEvents.LARGE_FREE);
            Thread me = Thread.currentThread();
            List<RecordedEvent> allocs = of(events, HakoEvents.LARGE_ALLOCATION, me);
            List<RecordedEvent> frees = of(events, HakoEvents.LARGE_FREE, me);
            assertEquals(2, allocs.size(), allocs.toString());
            assertEquals(2, frees.size(), frees.toString());
            long[] sizes = {arenaSize + 1, mappedSize};
            for (int i = 0; i < 2; i++) {
                RecordedEvent a = allocs.get(i), f = frees.get(i);
                assertEquals(blocks[i], a.getLong("address"));
                assertEquals(sizes[i], a.getLong("size"));
                assertEquals(usable[i], a.getLong("bytes"));
                assertEquals(i == 1, a.getBoolean("mapped"));
                assertEquals(blocks[i], f.getLong("address"));
                assertEquals(usable[i], f.getLong("bytes"));
                assertEquals(i == 1, f.getBoolean("mapped"));
            }
        }
    }

    @Test
    void everyRemoteFreeShouldBeDrainedOnceByARefillOrATrim() {
        try (HakoAllocator hako = TestHako.create(); OtherThread freer = new OtherThread("jfr-freer")) {
            int remote = 100;
            List<RecordedEvent> events = record(() -> {
                long[] blocks = new long[remote];
                for (int i = 0; i < remote; i++) blocks[i] = hako.malloc(SMALL);
                freer.run(() -> {
                    for (long b : blocks) hako.free(b); // remote frees to this thread's owner
                    hako.heap().close(); // publishes what a buffering strategy (parcel) holds for the owner
                });
                long[] more = new long[1200]; // more than the cache holds: refills, which drain the remote frees
                for (int i = 0; i < more.length; i++) more[i] = hako.malloc(SMALL);
                for (long b : more) hako.free(b);
                hako.trim(); // whatever is still waiting goes into the pages
            }, HakoEvents.REMOTE_DRAIN);
            long byRefill = 0, intoPages = 0;
            int owner = -1;
            for (RecordedEvent e : of(events, HakoEvents.REMOTE_DRAIN, Thread.currentThread())) {
                if (owner < 0) owner = e.getInt("owner");
                assertEquals(owner, e.getInt("owner"), "only this thread's owner got remote frees");
                assertTrue(e.getLong("blocks") > 0, "no event for an empty drain");
                if (e.getBoolean("intoPages")) intoPages += e.getLong("blocks");
                else byRefill += e.getLong("blocks");
            }
            assertTrue(byRefill > 0, "a refill drained the remote frees");
            assertEquals(remote, byRefill + intoPages, "every remote free drained exactly once");
        }
    }

    @Test
    void ownerClaimReapAndAdoptionShouldBeRecorded() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            hako.free(hako.malloc(SMALL)); // this thread's id first
            Thread[] threads = new Thread[2];
            List<RecordedEvent> events = record(() -> {
                try {
                    threads[0] = Thread.ofPlatform().name("jfr-dies").start(() -> {
                        for (int i = 0; i < 10; i++) hako.malloc(SMALL); // kept: its store keeps the page
                    });
                    threads[0].join();
                    assertEquals(1, hako.flushDeadThreads());
                    threads[1] = Thread.ofPlatform().name("jfr-adopts").start(() -> {
                        Heap heap = hako.heap(); // the lowest vacant id: the dead thread's
                        heap.free(heap.malloc(SMALL));
                        heap.close();
                    });
                    threads[1].join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, HakoEvents.OWNER_CLAIM, HakoEvents.OWNER_RELEASE);

            List<RecordedEvent> firstClaim = of(events, HakoEvents.OWNER_CLAIM, threads[0]);
            assertEquals(1, firstClaim.size(), events.toString());
            int id = firstClaim.getFirst().getInt("owner");
            assertFalse(firstClaim.getFirst().getBoolean("adopted"), "a fresh id");
            assertEquals(0, firstClaim.getFirst().getLong("adoptedPages"));

            RecordedEvent reap = only(of(events, HakoEvents.OWNER_RELEASE, Thread.currentThread()), id);
            assertTrue(reap.getBoolean("reaped"), "its thread had died");
            assertEquals(threads[0].threadId(), reap.getThread("holder").getJavaThreadId());
            assertTrue(reap.getLong("keptPages") >= 1, "the ten live blocks keep their page");

            RecordedEvent adopt = only(of(events, HakoEvents.OWNER_CLAIM, threads[1]), id);
            assertTrue(adopt.getBoolean("adopted"), "the dead thread's store passes to the new holder");
            assertEquals(reap.getLong("keptPages"), adopt.getLong("adoptedPages"));

            RecordedEvent close = only(of(events, HakoEvents.OWNER_RELEASE, threads[1]), id);
            assertFalse(close.getBoolean("reaped"), "closed by its own thread");
            assertEquals(threads[1].threadId(), close.getThread("holder").getJavaThreadId());
        }
    }

    private static RecordedEvent only(List<RecordedEvent> events, int owner) {
        List<RecordedEvent> mine = events.stream().filter(e -> e.getInt("owner") == owner).toList();
        assertEquals(1, mine.size(), "events for owner " + owner + ": " + events);
        return mine.getFirst();
    }

    @Test
    void theGaugeEventShouldCarryEachAllocatorsMemory() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            String name = AllocatorMonitor.of(hako).name();
            long block = hako.malloc(1 << 20);
            long live = hako.usableSize(block);
            CountDownLatch seen = new CountDownLatch(1);
            List<RecordedEvent> mine = new CopyOnWriteArrayList<>();
            try (RecordingStream rs = new RecordingStream()) {
                rs.enable(HakoEvents.MEMORY_STATISTICS).withPeriod(Duration.ofMillis(100));
                rs.onEvent(HakoEvents.MEMORY_STATISTICS, e -> {
                    if (name.equals(e.getString("allocator"))) {
                        mine.add(e);
                        seen.countDown();
                    }
                });
                rs.startAsync();
                assertTrue(seen.await(60, TimeUnit.SECONDS), "no " + HakoEvents.MEMORY_STATISTICS + " event for " + name);
                rs.stop();
            }
            HakoStats.Memory now = hako.stats().memory();
            RecordedEvent e = mine.getFirst();
            assertEquals(live, e.getLong("largeBytes"), "the one large block");
            assertTrue(e.getLong("liveBytes") >= live, e.toString());
            assertEquals(now.committedBytes(), e.getLong("committedBytes"), "nothing ran meanwhile");
            assertEquals(now.cachedBytes(), e.getLong("cachedBytes"));
            assertEquals(now.pooledBytes(), e.getLong("pooledBytes"));
            assertEquals(now.decommittedBytes(), e.getLong("decommittedBytes"));
            assertEquals(now.freeInPagesBytes(), e.getLong("freeInPagesBytes"));
            assertEquals(now.returnedBytes(), e.getLong("returnedBytes"));
            assertTrue(e.getInt("ownersInUse") >= 1);
            hako.free(block);
        }
    }

    @Test
    void aDisabledEventShouldCostNoAllocation() {
        try (HakoAllocator hako = TestHako.create(); RecordingStream rs = new RecordingStream()) {
            hako.free(hako.malloc(SMALL));
            rs.startAsync(); // JFR is on, Hako's events are off
            // com.sun.management's ThreadMXBean, by reflection: the module dev.hako does not read jdk.management
            var threads = ManagementFactory.getThreadMXBean();
            java.lang.reflect.Method allocatedBytes;
            try {
                allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                        .getMethod("getCurrentThreadAllocatedBytes");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            for (int round = 0; round < 3; round++) { // the first rounds may load classes or compile
                long before = invokeLong(allocatedBytes, threads);
                for (int i = 0; i < 100_000; i++) {
                    HakoEvents.pageTaken(i, 3, SMALL);
                    HakoEvents.remoteDrained(3, i + 1, false);
                    HakoEvents.largeFreed(i, 1 << 20, false);
                    HakoEvents.purgeEnd(HakoEvents.purgeBegin(), i, 1, 0, false);
                }
                long allocated = invokeLong(allocatedBytes, threads) - before;
                if (allocated < 1024) return;
            }
            throw new AssertionError("400,000 calls of disabled events allocated on the Java heap");
        }
    }

    private static long invokeLong(java.lang.reflect.Method m, Object target) {
        try {
            return (long) m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
