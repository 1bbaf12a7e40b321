package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {
    @Test
    void medianOddAndEven() {
        assertEquals(3, Summary.of(5, 1, 3).median());
        assertEquals(2.5, Summary.of(4, 1, 3, 2).median());
    }

    @Test
    void spreadIsRangeOverMedian() {
        Summary s = Summary.of(90, 100, 110);
        assertEquals(20, s.spreadPct(), 1e-12);
        assertEquals(0, Summary.of(7).spreadPct());
        assertTrue(Double.isNaN(Summary.of().spreadPct()));
    }

    @Test
    void nanValuesAreIgnored() {
        Summary s = Summary.of(Double.NaN, 4, 6);
        assertEquals(2, s.n());
        assertEquals(5, s.median());
    }

    @Test
    void deltaOfMedians() {
        assertEquals(10, Summary.of(110).deltaPctOver(Summary.of(100)), 1e-12);
    }
}
