package dev.hako;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.PushRemoteFree;
import dev.hako.remote.RemoteStrategies;
import dev.hako.stats.Counter;
import dev.hako.stats.Stats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Counters ({@code -Dhako.stats=true}, on in the default surefire execution): exact counts for known sequences.
 * Gauges (memory, owners) are checked too; they are on whatever the switch says.
 */
class StatsCountersTest {

    @BeforeEach
    void countersOn() {
        assumeTrue(Stats.ENABLED, "run with -Dhako.stats=true (the default surefire execution)");
    }

    @Test
    void localMallocAndFreeShouldBeCountedExactly() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 100; i++) blocks.add(heap.malloc(64)); // batch of 64 for class 64: two refills
            blocks.forEach(heap::free);
            HakoStats s = hako.stats();
            assertTrue(s.enabled());
            assertEquals(100, s.get("mallocs"));
            assertEquals(100, s.get("local_frees"));
            assertEquals(0, s.get("remote_frees"));
            assertEquals(100, s.get("frees"));
            assertEquals(2, s.get("refills"));
            assertEquals(2 * SizeClasses.refillBatch(SizeClasses.classOf(64)), s.get("carved_blocks"));
            assertEquals(1, s.get("pages_carved"));
            assertEquals(0, s.get("large_allocs"));
            assertEquals(HakoAllocator.SEGMENT, s.committedBytes(), "one segment committed");
            assertEquals(1, s.segmentsCommitted());
        }
    }

    @Test
    void largeBlocksShouldBeCountedAndTheirMappedBytesTracked() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            long a = heap.malloc(100_000), b = heap.malloc(1 << 20);
            HakoStats s = hako.stats();
            assertEquals(2, s.get("large_allocs"));
            assertEquals(2 * SizeClasses.PAGE + (1 << 20), s.largeBytes(), "whole pages of the arena");
            heap.free(a);
            heap.free(b);
            s = hako.stats();
            assertEquals(2, s.get("large_frees"));
            assertEquals(0, s.get("frees"), "frees counts page blocks only");
            assertEquals(0, s.largeBytes());
        }
    }

    @Test
    void segmentsShouldBeCommittedAsPagesAreCarved() {
        try (HakoAllocator hako = TestHako.create()) {
            Heap heap = hako.heap();
            int pagesPerSegment = (int) (HakoAllocator.SEGMENT / SizeClasses.PAGE);
            List<Long> blocks = new ArrayList<>();
            for (int i = 0; i <= pagesPerSegment; i++) blocks.add(heap.malloc(SizeClasses.MAX_SIZE)); // 1 per page
            HakoStats s = hako.stats();
            assertEquals(pagesPerSegment + 1, s.get("pages_carved"));
            assertEquals(2, s.segmentsCommitted());
            assertEquals(2 * HakoAllocator.SEGMENT, s.committedBytes());
            blocks.forEach(heap::free);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.hako.remote.RemoteStrategies#names")
    void remoteFreesShouldBeCountedOnTheFreeingHeap(String remote) throws Exception {
        try (HakoAllocator hako = TestHako.create(remote); OtherThread owner = new OtherThread("owner")) {
            long[] blocks = owner.call(() -> {
                long[] b = new long[100];
                for (int i = 0; i < b.length; i++) b[i] = hako.malloc(64);
                return b;
            });
            Heap main = hako.heap();
            for (long b : blocks) main.free(b);
            HakoStats s = hako.stats();
            assertEquals(100, s.get("remote_frees"));
            assertEquals(0, s.get("local_frees"));
            assertEquals(100, s.get("frees"));
            main.close(); // publishes whatever the strategy holds for this producer
            owner.run(() -> {
                for (int i = 0; i < 200; i++) hako.malloc(64); // drains the remote frees
            });
            s = hako.stats();
            assertEquals(300, s.get("mallocs"));
            if (remote.equals(PushRemoteFree.NAME)) {
                assertEquals(100, s.get("pushes"), "one push per remote free");
                assertEquals(s.get("cas_attempts") - s.get("pushes"), s.get("cas_failures"));
                assertEquals(100, s.get("cas_attempts"), "uncontended: every CAS succeeds first time");
                assertEquals(1, s.get("drains"), "one exchange took all 100");
                assertEquals(100, s.get("drained_blocks"));
                assertEquals(100.0, s.blocksPerDrain());
                assertTrue(s.get("drains_empty") >= 1, "the next refill found the stash empty");
            }
            assertTrue(s.remoteLine().startsWith("[REMOTE_STATS] remote=" + remote), s.remoteLine());
            assertTrue(s.remoteLine().contains(" remote_frees=100 "), s.remoteLine());
            assertTrue(s.remoteLine().contains("atomics_per_remote_free="), s.remoteLine());
        }
    }

    @Test
    void countersOfExitedThreadsShouldBeKept() throws Exception {
        try (HakoAllocator hako = TestHako.create()) {
            TestHako.inThread("counts-and-dies", () -> {
                for (int i = 0; i < 50; i++) hako.free(hako.malloc(32));
            });
            assertEquals(50, hako.stats().get("mallocs"), "counted while the heap is attached");
            assertEquals(1, hako.flushDeadThreads());
            HakoStats s = hako.stats();
            assertEquals(50, s.get("mallocs"), "still counted after the heap is detached");
            assertEquals(50, s.get("local_frees"));
        }
    }

    @Test
    void statsLineShouldNameEveryCounterAndTheGauges() {
        try (HakoAllocator hako = TestHako.create()) {
            hako.free(hako.malloc(16));
            HakoStats s = hako.stats();
            String line = s.line();
            assertTrue(line.startsWith("[HAKO_STATS] remote=" + RemoteStrategies.DEFAULT), line);
            for (int i = 0; i < Counter.COUNT; i++) assertTrue(line.contains(" " + Counter.of(i).label + "="), line);
            for (String gauge : new String[] {"committed_kb=", "segments=", "large_mapped_kb=", "owners_in_use=",
                    "owners_high_water="}) {
                assertTrue(line.contains(gauge), line);
            }
            assertEquals(line, s.toString());
            assertEquals(Counter.COUNT, s.counters().size());
        }
    }
}
