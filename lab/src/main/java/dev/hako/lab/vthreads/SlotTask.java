package dev.hako.lab.vthreads;

import dev.hako.lab.bench.Lcg;
import dev.hako.lab.peers.AddressHandle;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One task of the virtual-thread workload: {@code ops} random operations on a working set of {@code slots} slots.
 * Each operation draws a slot; an empty slot gets {@code malloc(size)} (size uniform in {@code min..max}) and the
 * block gets a mark in its first word, a full slot has its mark checked and its block freed. What is still held at
 * the end is freed too (not counted). A mark that changed means the block was handed out twice or written by
 * someone else: the task counts it and the run fails.
 */
final class SlotTask {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private SlotTask() {}

    /** The task's mark for a block: differs per task and per address. */
    static long mark(int task, long address) {
        return address * 0x9E3779B97F4A7C15L ^ task;
    }

    /**
     * Runs task number {@code task} on {@code h}.
     *
     * @return blocks whose mark had changed (0 when the allocator is sound)
     */
    static long run(AddressHandle h, int task, int ops, int slots, int min, int max) {
        long[] held = new long[slots];
        int span = max - min + 1;
        int s = Lcg.seed(task);
        long corrupt = 0;
        for (int i = 0; i < ops; i++) {
            s = Lcg.next(s);
            int slot = Integer.remainderUnsigned(s >>> 7, slots);
            long p = held[slot];
            if (p != 0) {
                if (ALL.get(WORD, p) != mark(task, p)) corrupt++;
                h.free(p);
                held[slot] = 0;
            } else {
                s = Lcg.next(s);
                p = h.malloc(min + Integer.remainderUnsigned(s, span));
                if (p == 0) throw new OutOfMemoryError("the allocator returned 0");
                ALL.set(WORD, p, mark(task, p));
                held[slot] = p;
            }
        }
        for (long p : held) {
            if (p == 0) continue;
            if (ALL.get(WORD, p) != mark(task, p)) corrupt++;
            h.free(p);
        }
        return corrupt;
    }
}
