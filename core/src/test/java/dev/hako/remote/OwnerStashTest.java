package dev.hako.remote;

import dev.hako.layout.SizeClasses;
import dev.hako.memory.NativeMemory;
import dev.hako.stats.Stats;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Padding you can see: every shared head on its own 128-byte line. */
class OwnerStashTest {

    @Test
    void headsShouldBe128BytesApartAndLineAligned() {
        int owners = 6;
        try (OwnerStash stash = new OwnerStash(owners)) {
            assertEquals(128, LinePair.BYTES);
            Set<Long> lines = new HashSet<>();
            long previous = -1;
            for (int owner = 0; owner <= owners; owner++) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    long head = stash.head(owner, c);
                    assertEquals(0, head % 128, "head(" + owner + ", " + c + ") is line aligned");
                    if (previous >= 0) assertEquals(128, head - previous, "distance to head(" + owner + ", " + c + ")");
                    assertTrue(lines.add(head >>> 7), "a line of its own");
                    previous = head;
                }
            }
        }
    }

    @Test
    void headsShouldStartEmptyAndBeWritableForEveryOwner() {
        int owners = 4;
        try (OwnerStash stash = new OwnerStash(owners)) {
            for (int owner = 1; owner <= owners; owner++) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    assertFalse(stash.mayHold(owner, c));
                    NativeMemory.setLongRelease(stash.head(owner, c), 0x1000L * owner + c);
                }
            }
            for (int owner = 1; owner <= owners; owner++) {
                for (int c = 0; c < SizeClasses.COUNT; c++) {
                    assertTrue(stash.mayHold(owner, c));
                    assertEquals(0x1000L * owner + c, NativeMemory.getLongAcquire(stash.head(owner, c)));
                }
            }
        }
    }

    @Test
    void perHeapCountersShouldBePaddedBy128BytesOnEachSide() {
        long[] counters = Stats.newCounters();
        assertEquals(16, Stats.PAD, "16 longs = 128 bytes");
        assertEquals(Stats.PAD + dev.hako.stats.Counter.COUNT + Stats.PAD, counters.length);
    }
}
