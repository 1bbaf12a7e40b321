package dev.hako.lab.suite.workload;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache rows' inner loop, a method of its own so that the JIT compiles it the same way in every run. */
class CacheLinesWorkloadTest {
    @Test
    void writeAllWritesEveryByteAndReadsItBack() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment line = arena.allocate(64, 64);
            assertEquals(-1, CacheLines.writeAll(line.address(), 8, (byte) 5, 3));
            for (int k = 0; k < 8; k++) { // last repetition r = 2: mark + k + r
                assertEquals((byte) (5 + k + 2), line.get(ValueLayout.JAVA_BYTE, k));
            }
            assertEquals(0, line.get(ValueLayout.JAVA_BYTE, 8), "no byte past the object is written");
        }
    }

    @Test
    void primingCallsExceedTheTier4InvocationThreshold() {
        assertTrue(CacheLines.PRIME_CALLS > 5000); // -XX:Tier4InvocationThreshold, HotSpot's default
    }
}
