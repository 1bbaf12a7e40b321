package dev.hako.lab.memory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetsTest {
    private static MemoryLine line(String scenario, String allocator, double peak, double after5, double trim) {
        return new MemoryLine(scenario, allocator, 100, 100 + peak, 100 + after5, 100 + after5, Double.NaN,
                Double.isNaN(trim) ? Double.NaN : 100 + trim, 1, Double.NaN);
    }

    private static Targets.Verdict find(List<Targets.Verdict> v, Scenario s, Targets.Figure f) {
        return v.stream().filter(x -> x.target().scenario() == s && x.target().figure() == f).findFirst().orElseThrow();
    }

    @Test
    void hakosMedianAboveTheBaselineIsJudged() {
        List<MemoryLine> lines = List.of(
                line("burst", "hako", 1000, 50, 10), line("burst", "hako", 1000, 90, 40),
                line("burst", "hako", 1000, 60, 20), line("burst", "glibc", 1000, 1000, Double.NaN),
                line("phase", "hako", 700, 0, 0));
        List<Targets.Verdict> v = Targets.judge(Targets.of(Sizes.FULL), lines);
        Targets.Verdict after5 = find(v, Scenario.BURST, Targets.Figure.AFTER_5S);
        assertEquals(60, after5.hakoMib(), 1e-9); // median of 50, 60, 90
        assertEquals(Targets.Status.MET, after5.status());
        assertEquals(Targets.Status.MET, find(v, Scenario.BURST, Targets.Figure.AFTER_TRIM).status());
        Targets.Verdict phase = find(v, Scenario.PHASE, Targets.Figure.PEAK);
        assertEquals(640, phase.limitMib(), 1e-9);
        assertEquals(Targets.Status.MISSED, phase.status());
        assertEquals("MISSED by 60.0 MiB", phase.statusText());
        assertTrue(v.stream().noneMatch(x -> x.target().scenario() == Scenario.CHURN), "churn did not run");
    }

    @Test
    void seedIsJudgedAgainstJemallocInTheSameRun() {
        List<Targets.Verdict> alone = Targets.judge(Targets.of(Sizes.FULL), List.of(line("seed", "hako", 150, 0, 0)));
        assertEquals(Targets.Status.NOT_JUDGED, alone.getFirst().status());
        List<Targets.Verdict> v = Targets.judge(Targets.of(Sizes.FULL), List.of(line("seed", "hako", 150, 0, 0),
                line("seed", "jemalloc", 120, 0, Double.NaN)));
        assertEquals(Targets.Status.MISSED, v.getFirst().status());
        assertEquals(120, v.getFirst().limitMib(), 1e-9);
    }

    @Test
    void aScenarioWithoutHakoSaysSo() {
        List<Targets.Verdict> v = Targets.judge(Targets.of(Sizes.FULL), List.of(line("churn", "glibc", 10, 10, Double.NaN)));
        assertEquals(Targets.Status.NOT_JUDGED, v.getFirst().status());
        assertTrue(v.getFirst().statusText().contains("no hako run"));
    }
}
