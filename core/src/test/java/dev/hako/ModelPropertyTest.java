package dev.hako;

import dev.hako.layout.SizeClasses;
import dev.hako.remote.RemoteStrategies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static dev.hako.TestHako.assertBalanced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random operation sequences against a model of the live blocks: malloc, calloc, aligned alloc, realloc and free,
 * each made by the test thread or by a second thread (so frees of the other thread's blocks are remote frees, and
 * later allocations drain them). After every allocation no two live blocks overlap; on every free and realloc and
 * at the end each block holds what was written into it; the audit balances with the live blocks, and with none
 * once they are all freed. Runs over every remote-free strategy, and again in checked mode (tag {@code checked-too}).
 */
@org.junit.jupiter.api.Tag("checked-too")
class ModelPropertyTest {

    sealed interface Op permits Malloc, Calloc, Aligned, Realloc, Free {}

    record Malloc(long size, boolean other, boolean viaAllocator) implements Op {}

    record Calloc(long count, long size, boolean other) implements Op {}

    record Aligned(int alignShift, long size, boolean other) implements Op {}

    record Realloc(int index, long size, boolean other) implements Op {}

    record Free(int index, boolean other) implements Op {}

    /** A live block of the model. */
    record Block(long address, long size, long usable, long seed, boolean large) {}

    /** Seeded random sequences (400 ops at most), ten seeds per strategy: a failure names its seed. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> seededRuns() {
        return RemoteStrategies.names().stream().flatMap(remote -> java.util.stream.LongStream.range(0, 10)
                .mapToObj(seed -> org.junit.jupiter.params.provider.Arguments.of(remote, seed)));
    }

    static long randomSize(SplittableRandom rnd) {
        int pick = rnd.nextInt(96);
        if (pick < 60) return rnd.nextLong(1, SizeClasses.SMALL_MAX + 1);
        if (pick < 68) {
            long[] edges = {1, 15, 16, 17, 2047, 2048, 2049, 65535, 65536, 65537};
            return edges[rnd.nextInt(edges.length)];
        }
        if (pick < 93) return rnd.nextLong(SizeClasses.SMALL_MAX + 1, SizeClasses.MAX_SIZE + 1);
        return rnd.nextLong(SizeClasses.MAX_SIZE + 1, 300_001);
    }

    static List<Op> randomOps(SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(400);
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean other = rnd.nextInt(3) == 0;
            int index = rnd.nextInt((1 << 20) + 1);
            int kind = rnd.nextInt(87);
            ops.add(kind < 35 ? new Malloc(randomSize(rnd), other, rnd.nextBoolean())
                    : kind < 41 ? new Calloc(rnd.nextLong(1, 41), rnd.nextLong(1, 3001), other)
                    : kind < 47 ? new Aligned(rnd.nextInt(19), randomSize(rnd), other)
                    : kind < 57 ? new Realloc(index, randomSize(rnd), other)
                    : new Free(index, other));
        }
        return ops;
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("seededRuns")
    void operationsShouldMatchTheModel(String remote, long seed) {
        List<Op> ops = randomOps(new SplittableRandom(0x6a6f6b6fL * 31 + seed ^ remote.hashCode()));
        try (HakoAllocator hako = TestHako.create(remote); OtherThread other = new OtherThread("model-other")) {
            new Run(hako, other).run(ops);
        }
    }

    /**
     * A long fixed-seed sequence per strategy that cycles blocks through the caches and the remote-free structures
     * many times (deterministic, so every strategy is covered on every run).
     */
    @ParameterizedTest
    @MethodSource("dev.hako.remote.RemoteStrategies#names")
    void longSequencesShouldMatchTheModel(String remote) {
        SplittableRandom rnd = new SplittableRandom(20251128L ^ remote.hashCode());
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            int kind = rnd.nextInt(100);
            boolean other = rnd.nextInt(3) == 0;
            int index = rnd.nextInt(1 << 20);
            long size = switch (rnd.nextInt(20)) {
                case 0, 1, 2, 3 -> rnd.nextLong(SizeClasses.SMALL_MAX + 1, SizeClasses.MAX_SIZE + 1);
                case 4 -> rnd.nextInt(10) == 0 ? rnd.nextLong(SizeClasses.MAX_SIZE + 1, 200_000) : 65536;
                default -> rnd.nextLong(1, SizeClasses.SMALL_MAX + 1);
            };
            // more frees than mallocs in the second half, so the live set grows, then shrinks
            int freeShare = i < 1500 ? 35 : 55;
            ops.add(kind < freeShare ? new Free(index, other)
                    : kind < freeShare + 10 ? new Realloc(index, size, other)
                    : kind < freeShare + 15 ? new Calloc(1 + rnd.nextInt(4), 1 + rnd.nextInt(1500), other)
                    : kind < freeShare + 20 ? new Aligned(rnd.nextInt(19), size, other)
                    : new Malloc(size, other, rnd.nextBoolean()));
        }
        try (HakoAllocator hako = TestHako.create(remote); OtherThread other = new OtherThread("model-other")) {
            new Run(hako, other).run(ops);
        }
    }

    private static final class Run {
        final HakoAllocator hako;
        final OtherThread other;
        final List<Block> live = new ArrayList<>();
        final TreeMap<Long, Block> byAddress = new TreeMap<>(Long::compareUnsigned);
        long nextSeed = 1;

        Run(HakoAllocator hako, OtherThread other) {
            this.hako = hako;
            this.other = other;
        }

        /** Runs {@code call} on the chosen thread, through that thread's heap handle. */
        long on(boolean onOther, java.util.function.ToLongFunction<Heap> call) {
            return onOther ? other.call(() -> call.applyAsLong(hako.heap())) : call.applyAsLong(hako.heap());
        }

        void run(List<Op> ops) {
            for (Op op : ops) step(op);
            for (Block b : live) TestHako.assertPattern(b.address, b.usable, b.seed);
            long pageBlocks = live.stream().filter(b -> !b.large).count();
            other.close(); // the other thread exits holding cached blocks; they must be accounted for
            hako.flushDeadThreads();
            assertBalanced(hako, pageBlocks);
            for (Block b : List.copyOf(live)) release(b, false);
            assertBalanced(hako, 0);
            assertEquals(0, hako.stats().largeBytes(), "every large block unmapped");
        }

        void step(Op op) {
            switch (op) {
                case Malloc m -> added(on(m.other(), h -> m.viaAllocator() && !m.other() ? hako.malloc(m.size())
                        : h.malloc(m.size())), m.size(), false, m.size() > SizeClasses.MAX_SIZE);
                case Calloc c -> added(on(c.other(), h -> h.calloc(c.count(), c.size())), c.count() * c.size(), true,
                        c.count() * c.size() > SizeClasses.MAX_SIZE);
                case Aligned a -> {
                    long alignment = 1L << a.alignShift();
                    long address = on(a.other(), h -> h.alignedAlloc(alignment, a.size()));
                    assertEquals(0, address % alignment, "alignedAlloc(" + alignment + ", " + a.size() + ")");
                    added(address, a.size(), false, a.size() > SizeClasses.MAX_SIZE || alignment > SizeClasses.PAGE);
                }
                case Realloc r -> {
                    if (live.isEmpty()) {
                        added(on(r.other(), h -> h.realloc(0, r.size())), r.size(), false, r.size() > SizeClasses.MAX_SIZE);
                        return;
                    }
                    Block b = live.get(r.index() % live.size());
                    TestHako.assertPattern(b.address, b.usable, b.seed);
                    forget(b);
                    long moved = on(r.other(), h -> h.realloc(b.address, r.size()));
                    long kept = Math.min(b.usable, r.size());
                    long bad = TestHako.checkMoved(moved, b.address, kept, b.seed);
                    assertEquals(-1, bad, "realloc " + b + " -> " + r.size() + " lost contents at +" + bad);
                    boolean large = moved == b.address ? b.large : r.size() > SizeClasses.MAX_SIZE;
                    added(moved, r.size(), false, large);
                }
                case Free f -> {
                    if (!live.isEmpty()) release(live.get(f.index() % live.size()), f.other());
                }
            }
        }

        void release(Block b, boolean onOther) {
            TestHako.assertPattern(b.address, b.usable, b.seed);
            forget(b);
            on(onOther, h -> {
                h.free(b.address);
                return 0;
            });
        }

        void forget(Block b) {
            live.remove(b);
            byAddress.remove(b.address);
        }

        void added(long address, long size, boolean zeroed, boolean large) {
            assertEquals(0, address % (large ? 4096 : 16), large ? "large blocks are page aligned" : "16-byte alignment");
            long usable = hako.usableSize(address);
            assertTrue(usable >= size, "usable " + usable + " < requested " + size);
            if (zeroed) assertEquals(-1, TestHako.firstNonZero(address, size), "calloc memory is zero");
            Map.Entry<Long, Block> below = byAddress.floorEntry(address);
            Map.Entry<Long, Block> above = byAddress.ceilingEntry(address);
            if (below != null) {
                Block n = below.getValue();
                assertTrue(Long.compareUnsigned(n.address + n.usable, address) <= 0,
                        () -> String.format("new block 0x%x overlaps live %s", address, n));
            }
            if (above != null) {
                Block n = above.getValue();
                assertTrue(Long.compareUnsigned(address + usable, n.address) <= 0,
                        () -> String.format("new block 0x%x (+%d) overlaps live %s", address, usable, n));
            }
            Block b = new Block(address, size, usable, nextSeed++, large);
            TestHako.fill(address, usable, b.seed);
            live.add(b);
            byAddress.put(address, b);
        }
    }
}
