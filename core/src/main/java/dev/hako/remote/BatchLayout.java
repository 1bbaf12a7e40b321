package dev.hako.remote;

import dev.hako.layout.SizeClasses;

/**
 * Native layout of strategy {@code batch}'s per-producer state: one open group per size class.
 *
 * <pre>
 *   row(producer) = base + producer * ROW        producer = the heap's owner id (1..maxOwners; row 0 unused)
 *
 *   +0              mask[0..2]  bit c set: group c holds blocks (a flush visits set bits only)
 *   +32 + c*32      group[c]:   +0 head   first block of the chain (the newest)
 *                               +8 tail   last block (the oldest); its link is written when the chain is pushed
 *                               +16 owner:int   destination of every block in the group
 *                               +20 count:int   blocks in the group (0 = empty)
 *   ROW = 32 + COUNT * 32, rounded up to 128
 * </pre>
 *
 * Every word of a row is private to the heap holding the producer id (its thread, or the reaper after that
 * thread died); rows are 128-byte aligned, so two producers never share a line. The blocks of a group are
 * linked through their first word, newest first, as hz3's S146-B did.
 */
final class BatchLayout {
    private BatchLayout() {}

    static final long MASK = 0;
    static final int MASK_WORDS = (SizeClasses.COUNT + 63) >>> 6;
    static final long GROUPS = 32;
    static final long GROUP = 32;
    static final long HEAD = 0;
    static final long TAIL = 8;
    static final long OWNER = 16;
    static final long COUNT = 20;
    static final long ROW = LinePair.align(GROUPS + SizeClasses.COUNT * GROUP);


    static {
        if (MASK_WORDS * 8 > GROUPS) throw new AssertionError("mask overlaps group 0");
    }
}
