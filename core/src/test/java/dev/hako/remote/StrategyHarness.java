package dev.hako.remote;

import dev.hako.layout.PageMap;
import dev.hako.layout.SizeClasses;
import dev.hako.memory.AddressSpace;
import dev.hako.memory.NativeMemory;
import dev.hako.stats.Counter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Drives one strategy directly, without caches: a small committed arena whose addresses serve as blocks, and
 * {@link TestHeap}s that stand for producers and owners (a heap's id is both, as in Hako). Protocol steps can then be
 * interleaved in any order from one test thread, or run from several.
 */
final class StrategyHarness implements AutoCloseable {
    static final int MAX_OWNERS = 8;
    private static final long ARENA = 64L << 20;

    final AddressSpace space;
    final PageMap pages;
    final RemoteFree strategy;
    private long nextBlock;

    StrategyHarness(String name) {
        this(MAX_OWNERS, context -> RemoteStrategies.create(name, context));
    }

    /** A strategy built by {@code factory} for owner ids 1..{@code maxOwners}. */
    StrategyHarness(int maxOwners, Function<RemoteContext, RemoteFree> factory) {
        space = new AddressSpace(ARENA, SizeClasses.PAGE, SizeClasses.PAGE);
        space.commitThrough(space.base() + ARENA);
        pages = new PageMap(space);
        strategy = factory.apply(new RemoteContext(maxOwners, pages, () -> maxOwners));
        nextBlock = space.base();
    }

    /**
     * A fresh block of {@code sizeClass}: just a distinct 16-aligned address of the arena (strategies never look at
     * more than a block's first words), at most 256 bytes from the next, so that many medium blocks fit.
     */
    long block(int sizeClass) {
        long b = nextBlock;
        nextBlock += Math.min(SizeClasses.size(sizeClass), 256);
        if (nextBlock > space.base() + ARENA) throw new IllegalStateException("harness arena used up");
        return b;
    }

    TestHeap heap(int id) {
        return new TestHeap(id);
    }

    /** Every block the strategy holds, with how often it was seen. */
    Map<Long, Integer> held() {
        Map<Long, Integer> seen = new HashMap<>();
        strategy.forEachHeld(b -> seen.merge(b, 1, Integer::sum));
        return seen;
    }

    /** Whether the {@code bytes} at {@code block} still hold {@code pattern}. */
    static boolean holds(long block, long bytes, byte pattern) {
        for (long i = 0; i < bytes; i++) {
            if (NativeMemory.ALL.get(java.lang.foreign.ValueLayout.JAVA_BYTE, block + i) != pattern) return false;
        }
        return true;
    }

    @Override
    public void close() {
        strategy.close();
        space.close();
    }

    /** A producer/owner as the strategy sees it: bins are plain lists, counters a plain array. */
    static final class TestHeap implements RemoteHeap {
        final int id;
        final List<List<Long>> bins = new ArrayList<>();
        final long[] counters = new long[Counter.COUNT];

        TestHeap(int id) {
            this.id = id;
            for (int c = 0; c < SizeClasses.COUNT; c++) bins.add(new ArrayList<>());
        }

        @Override
        public int ownerId() {
            return id;
        }

        @Override
        public void acceptFree(int sizeClass, long block) {
            bins.get(sizeClass).add(block);
        }

        @Override
        public void count(Counter counter, long n) {
            counters[counter.ordinal()] += n;
        }

        /** Takes everything (plain lists have no cap). */
        @Override
        public int room(int sizeClass) {
            return Integer.MAX_VALUE;
        }

        /** The harness's blocks are untagged addresses of its arena. */
        @Override
        public boolean owns(int sizeClass, long block) {
            return block != 0;
        }

        /** Takes back the last blocks filed for the class (a drain that found its list corrupt). */
        @Override
        public void retract(int sizeClass, int count) {
            List<Long> bin = bins.get(sizeClass);
            for (int i = 0; i < count; i++) bin.removeLast();
        }

        int cached() {
            int n = 0;
            for (List<Long> b : bins) n += b.size();
            return n;
        }

        List<Long> all() {
            List<Long> all = new ArrayList<>();
            for (List<Long> b : bins) all.addAll(b);
            return all;
        }
    }
}
