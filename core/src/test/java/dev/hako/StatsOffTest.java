package dev.hako;

import dev.hako.stats.Stats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** With counters off (the checked-mode surefire execution runs without {@code -Dhako.stats}) nothing counts. */
@Tag("stats-off")
class StatsOffTest {

    @Test
    void countersShouldStayZeroAndGaugesStillWork() throws Exception {
        assumeFalse(Stats.ENABLED, "run without -Dhako.stats=true");
        try (HakoAllocator hako = TestHako.create()) {
            long big = hako.malloc(1 << 20);
            try (OtherThread other = new OtherThread("other")) {
                long a = other.call(() -> hako.malloc(64));
                hako.free(a);
                hako.free(hako.malloc(100));
            }
            HakoStats s = hako.stats();
            assertFalse(s.enabled());
            s.counters().forEach((name, value) -> assertEquals(0L, value, name));
            assertTrue(s.line().contains("counters=off"), s.line());
            assertTrue(s.remoteLine().contains("counters=off"), s.remoteLine());
            assertEquals(HakoAllocator.SEGMENT, s.committedBytes());
            assertEquals(1 << 20, s.largeBytes());
            assertTrue(s.ownersInUse() >= 1);
            hako.free(big);
        }
    }
}
