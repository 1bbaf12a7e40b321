package dev.hako.lab.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryLineTest {
    @Test
    void formatsTheIssuesFieldsInOrderAndParsesThemBack() {
        MemoryLine l = new MemoryLine("burst", "hako", 60.04, 1100.26, 80, 70.5, 1088, 62.25, 1.234, Double.NaN);
        String text = l.format();
        assertEquals("memory: scenario=burst allocator=hako baseline_mib=60.0 peak_mib=1100.3 after_1s_mib=80.0"
                + " after_5s_mib=70.5 committed_peak_mib=1088.0 after_trim_mib=62.3 work_s=1.23", text);
        MemoryLine back = MemoryLine.parse("[log prefix] " + text);
        assertEquals(text, back.format());
        assertEquals(62.3, back.afterTrimMib(), 1e-9);
        assertTrue(Double.isNaN(back.itersPerSecond()));
    }

    @Test
    void naAndTheOptionalFields() {
        MemoryLine l = new MemoryLine("seed", "jemalloc", 60, 200, 190, 180, Double.NaN, Double.NaN, 2, 3.5e7);
        String text = l.format();
        assertTrue(text.contains(" committed_peak_mib=na "), text);
        assertTrue(!text.contains("after_trim"), text);
        assertTrue(text.endsWith(" iters_per_s=35000000"), text);
        MemoryLine back = MemoryLine.parse(text);
        assertTrue(Double.isNaN(back.committedPeakMib()) && Double.isNaN(back.afterTrimMib()));
        assertEquals(3.5e7, back.itersPerSecond(), 0.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "scenario=burst allocator=hako",                       // no prefix
            "memory: allocator=hako baseline_mib=1 peak_mib=1 after_1s_mib=1 after_5s_mib=1 committed_peak_mib=1 work_s=1",
            "memory: scenario=burst allocator=hako baseline_mib=x peak_mib=1 after_1s_mib=1 after_5s_mib=1"
                    + " committed_peak_mib=1 work_s=1",
            "memory: scenario=burst allocator=hako baseline_mib=1 peak_mib=1 after_1s_mib=1 committed_peak_mib=1 work_s=1",
            "memory: scenario=burst allocator=hako garbage"})
    void malformedLinesAreRejectedWithTheReason(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryLine.parse(line));
        assertTrue(e.getMessage().contains(line.length() > 30 ? line.substring(0, 30) : line), e.getMessage());
    }
}
