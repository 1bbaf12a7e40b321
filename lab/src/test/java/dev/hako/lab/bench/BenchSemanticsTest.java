package dev.hako.lab.bench;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.ObjectHandle;
import dev.hako.lab.peers.ObjectPeer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The port against the seed's semantics, on tiny runs with a recording allocator. */
class BenchSemanticsTest {

    @Test
    void singleThreadTraceFollowsTheDraws() {
        RecordingPeer peer = new RecordingPeer();
        BenchResult r = BenchRun.run(new BenchArgs(1, 3000, 400, 16, 2048, 0, 16), peer);
        List<RecordingPeer.Event> log = peer.of(0);

        // Pinned (worked out independently): the first five allocations and the first free.
        long[] firstSizes = {1997, 1455, 1436, 27, 1083};
        for (int i = 0; i < firstSizes.length; i++) {
            assertTrue(log.get(i).malloc(), "event " + i + " is a malloc");
            assertEquals(firstSizes[i], log.get(i).size(), "size of malloc " + i);
        }
        assertTrue(!log.get(17).malloc(), "iteration 17 frees");
        assertEquals(log.get(1).address(), log.get(17).address(), "iteration 17 frees slot 369, filled by iteration 1");

        // The whole trace against the reference model.
        SeedReference.Model m = SeedReference.simulate(0, 1, 3000, 400, 16, 2048, 0);
        assertEquals(m.steps().size(), log.size());
        Map<Integer, Long> slotAddress = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            SeedReference.Step step = m.steps().get(i);
            RecordingPeer.Event e = log.get(i);
            if (step.kind() == 'm') {
                assertTrue(e.malloc(), "event " + i);
                assertEquals(step.size(), e.size(), "size at event " + i);
                slotAddress.put(step.slot(), e.address());
            } else {
                assertTrue(!e.malloc(), "event " + i);
                assertEquals(slotAddress.remove(step.slot()), e.address(), "block freed at event " + i);
            }
        }
        ThreadCounts c = r.total();
        assertEquals(new ThreadCounts(1552, 1448, 0, 0, 0, 0), c);
        assertEquals(3000, r.ops());
        // Blocks left in slots are freed after the timed window, by the clean-up handle, uncounted.
        assertEquals(1552 - 1448, peer.of(AddressPeer.CLEANUP).size());
        assertEquals(0, peer.liveBlocks());
        assertTrue(peer.problems.isEmpty(), peer.problems.toString());
    }

    @Test
    void twoThreadCountsArePinned() {
        RecordingPeer peer = new RecordingPeer();
        BenchResult r = BenchRun.run(new BenchArgs(2, 5000, 400, 16, 2048, 50, 65536), peer);
        ThreadCounts t0 = r.perThread().get(0), t1 = r.perThread().get(1);
        // Allocations, local frees and remote decisions depend on a thread's own draws only.
        assertEquals(2606, t0.allocs());
        assertEquals(1193, t0.localFrees());
        assertEquals(1201, t0.sends() + t0.fallbackFrees());
        assertEquals(2592, t1.allocs());
        assertEquals(1201, t1.localFrees());
        assertEquals(1207, t1.sends() + t1.fallbackFrees());
        assertEquals(0, t0.fallbackFrees() + t1.fallbackFrees(), "a 65536-slot ring never fills here");
        for (int i = 0; i < 2; i++) {
            SeedReference.Model m = SeedReference.simulate(i, 2, 5000, 400, 16, 2048, 50);
            ThreadCounts t = r.perThread().get(i);
            assertEquals(m.allocs(), t.allocs());
            assertEquals(m.localFrees(), t.localFrees());
            assertEquals(m.remoteDecisions(), t.sends() + t.fallbackFrees());
        }
        // Receivers free at most what was sent to them.
        assertTrue(t1.recvFrees() <= t0.sends());
        assertTrue(t0.recvFrees() <= t1.sends());
        assertOpCounting(r);
        assertEquals(0, peer.liveBlocks());
        assertTrue(peer.problems.isEmpty(), peer.problems.toString());
    }

    @Test
    void ringCycleDeliversThreadIsFreesToThreadIPlusOne() {
        RecordingPeer peer = new RecordingPeer();
        int t = 3;
        BenchResult r = BenchRun.run(new BenchArgs(t, 5000, 400, 16, 2048, 100, 65536), peer);
        long[] expectedSends = {2394, 2408, 2401};
        for (int j = 0; j < t; j++) {
            ThreadCounts c = r.perThread().get(j);
            assertEquals(expectedSends[j], c.sends(), "sends of thread " + j);
            assertEquals(0, c.localFrees() + c.fallbackFrees(), "R=100, big ring: every free is sent");
            long foreign = 0;
            for (RecordingPeer.Event e : peer.of(j)) {
                if (e.malloc()) {
                    assertEquals(j, RecordingPeer.owner(e.address()));
                } else {
                    assertEquals((j + t - 1) % t, RecordingPeer.owner(e.address()),
                            "thread " + j + " frees blocks of thread " + ((j + t - 1) % t) + " only");
                    foreign++;
                }
            }
            assertEquals(c.recvFrees(), foreign, "thread " + j + ": every received block is freed and counted");
        }
        // What receivers did not get before they exited is freed after the window: every block exactly once.
        long cleanupRingFrees = peer.of(AddressPeer.CLEANUP).stream().filter(e -> !e.malloc()).count();
        long sent = r.total().sends(), received = r.total().recvFrees();
        long leftInSlots = r.total().allocs() - sent;
        assertEquals(sent - received + leftInSlots, cleanupRingFrees);
        assertOpCounting(r);
        assertEquals(0, peer.liveBlocks());
        assertTrue(peer.problems.isEmpty(), peer.problems.toString());
    }

    @Test
    void fullRingFallsBackToALocalFree() {
        RecordingPeer peer = new RecordingPeer();
        BenchResult r = BenchRun.run(new BenchArgs(2, 5000, 400, 16, 2048, 100, 1), peer);
        long[] decisions = {2394, 2408};
        long fallbacks = 0;
        for (int j = 0; j < 2; j++) {
            ThreadCounts c = r.perThread().get(j);
            assertEquals(decisions[j], c.sends() + c.fallbackFrees());
            int self = j;
            long own = peer.of(j).stream().filter(e -> !e.malloc() && RecordingPeer.owner(e.address()) == self)
                    .count();
            assertEquals(c.localFrees() + c.fallbackFrees(), own, "fallback frees are local frees of own blocks");
            fallbacks += c.fallbackFrees();
        }
        // Thread 0 starts first; with one ring slot its second send before thread 1 drains must fall back.
        assertTrue(fallbacks > 0, "a one-slot ring must fill");
        assertEquals(100.0 * r.total().fallbackFrees() / (r.total().sends() + r.total().fallbackFrees()),
                r.fallbackRatePct(), 1e-9);
        assertTrue(r.dirty() == r.fallbackRatePct() > 0.10);
        assertOpCounting(r);
        assertEquals(0, peer.liveBlocks());
    }

    @Test
    void objectLoopIsTheAddressLoopsTwin() {
        BenchArgs args = new BenchArgs(2, 5000, 400, 16, 2048, 50, 65536);
        BenchResult addresses = BenchRun.run(args, new RecordingPeer());
        CountingObjectPeer objects = new CountingObjectPeer();
        BenchResult boxed = BenchRun.run(args, objects);
        for (int i = 0; i < 2; i++) {
            ThreadCounts a = addresses.perThread().get(i), o = boxed.perThread().get(i);
            assertEquals(a.allocs(), o.allocs());
            assertEquals(a.localFrees(), o.localFrees());
            assertEquals(a.sends() + a.fallbackFrees(), o.sends() + o.fallbackFrees());
        }
        assertOpCounting(boxed);
        assertEquals(objects.allocated.get(), objects.freed.get(), "every object block freed once");
    }

    @Test
    void ratesFollowTheSeedsFormulas() {
        BenchArgs a = new BenchArgs(2, 10, 4, 16, 16, 90, 8);
        BenchResult r = new BenchResult(a, 2_000_000_000L, new long[] {5, 7}, new ThreadCounts[] {
                new ThreadCounts(10, 1, 1, 8, 5, 2), new ThreadCounts(10, 2, 0, 7, 6, 0)});
        assertEquals(10 + 1 + 1 + 8 + 5 + 10 + 2 + 0 + 7 + 6, r.ops());
        assertEquals(r.ops() / 2.0, r.opsPerSecond(), 1e-9);
        assertEquals(20 / 2.0, r.itersPerSecond(), 1e-9);
        assertEquals(100.0 * 15 / (15 + 3 + 1), r.actualRemotePct(), 1e-9);
        assertEquals(100.0 * 1 / (15 + 1), r.fallbackRatePct(), 1e-9);
        assertEquals(2, r.total().allocFailures());
        assertEquals(12, r.cpuNanos());
    }

    private static void assertOpCounting(BenchResult r) {
        long sum = 0;
        for (ThreadCounts c : r.perThread()) {
            assertEquals(c.allocs() + c.localFrees() + c.fallbackFrees() + c.sends() + c.recvFrees(), c.ops());
            sum += c.ops();
        }
        assertEquals(sum, r.ops());
    }

    /** Object blocks for the twin loop: a fresh object per block, counted. */
    private static final class CountingObjectPeer implements ObjectPeer {
        final AtomicLong allocated = new AtomicLong();
        final AtomicLong freed = new AtomicLong();

        @Override
        public String name() {
            return "counting-objects";
        }

        @Override
        public String describe() {
            return name();
        }

        @Override
        public ObjectHandle open(int thread) {
            return new ObjectHandle() {
                @Override
                public Object alloc(int size) {
                    allocated.incrementAndGet();
                    return new int[] {size};
                }

                @Override
                public void free(Object block) {
                    freed.incrementAndGet();
                }
            };
        }
    }
}
