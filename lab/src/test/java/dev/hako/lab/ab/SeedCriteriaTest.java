package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict logic on fixed run data: GO, NO-GO, dirty, and INCONCLUSIVE with a runs estimate. */
class SeedCriteriaTest {
    static final Cell TARGET = new Cell(32, 90);
    static final Cell REGRESSION = new Cell(32, 0);
    static final List<Cell> CELLS = List.of(REGRESSION, TARGET);

    /** Runs of one side in one cell: it/s in millions per run, the same fallback and counters for each. */
    private final List<RunRecord> runs = new ArrayList<>();

    private void timed(Cell cell, int variant, double fallback, double... mIters) {
        for (double m : mIters) runs.add(Fixtures.run(runs.size() + 1, cell, variant, RunKind.TIMED, m, fallback, -1, SampleShare.NONE));
    }

    private void counters(Cell cell, int variant, double atomics) {
        runs.add(Fixtures.run(runs.size() + 1, cell, variant, RunKind.COUNTERS, 1, 0, atomics, SampleShare.NONE));
    }

    private void profile(Cell cell, int variant, long total, long push, double fallback) {
        runs.add(Fixtures.run(runs.size() + 1, cell, variant, RunKind.PROFILE, 1, fallback, -1,
                new SampleShare(total, push, Map.of("PushRemoteFree.free", push))));
    }

    private Assessment assess(boolean hakoBoth) {
        return SeedCriteria.evaluate(CELLS, sides(0), sides(1), hakoBoth, 1, 1);
    }

    private Map<Cell, SideStats> sides(int variant) {
        Map<Cell, SideStats> m = new LinkedHashMap<>();
        for (Cell c : CELLS) m.put(c, SideStats.of(c, variant, runs));
        return m;
    }

    /** A clean, convincing improvement: +10 % at R=90, +1 % at R=0, far fewer atomics and push-path samples. */
    private void goodCandidate() {
        timed(REGRESSION, 0, 0, 100, 101, 99, 100.5, 99.7);
        timed(REGRESSION, 1, 0, 101, 100.2, 102, 101.3, 100.5);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05, 9.95);
        timed(TARGET, 1, 0, 11, 11.1, 10.9, 11.05, 10.95);
        counters(TARGET, 0, 1.0);
        counters(TARGET, 1, 0.125);
        profile(TARGET, 0, 10_000, 1_500, 0);
        profile(TARGET, 1, 10_000, 300, 0);
    }

    @Test
    void go() {
        goodCandidate();
        Assessment a = assess(true);
        assertEquals(Verdict.Kind.GO, a.verdict().kind(), a.verdict().line());
        assertEquals("verdict: GO", a.verdict().line());
        a.criteria().forEach(c -> assertEquals(Status.PASS, c.status(), c.metric() + ": " + c.result()));
        CellCheck target = a.criteria().get(0).checks().getFirst();
        assertTrue(target.detail().startsWith("B/A 1.100, 95 % CI ["), target.detail());
        assertTrue(target.comparison().low() >= SeedCriteria.TARGET_RATIO, target.detail());
        assertTrue(a.criteria().get(1).result().contains("within +/-5 %"), a.criteria().get(1).result());
        assertTrue(a.criteria().get(2).result().contains("1.000 -> 0.125 (-87.5 %)"), a.criteria().get(2).result());
    }

    @Test
    void noGoWhenTheTargetCellLosesClearly() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2, 99.8);
        timed(REGRESSION, 1, 0, 100.1, 99.7, 100.3, 99.9, 100.5);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05, 9.95);
        timed(TARGET, 1, 0, 8.9, 9.0, 9.1, 8.95, 9.05); // -10 %
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
        assertEquals(Status.FAIL, a.criteria().get(0).status());
        assertTrue(a.verdict().line().startsWith("verdict: NO-GO (Throughput (R=90) [T=32 R=90: B/A 0.900, 95 % CI ["),
                a.verdict().line());
        assertTrue(a.verdict().line().contains("below 1.05"), a.verdict().line());
    }

    @Test
    void aSmallGainBelowTheTargetIsAFailOnceTheIntervalSaysSo() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2, 99.8);
        timed(REGRESSION, 1, 0, 100.1, 99.7, 100.3, 99.9, 100.5);
        timed(TARGET, 0, 0, 10, 10.02, 9.98, 10.01, 9.99);
        timed(TARGET, 1, 0, 10.2, 10.22, 10.18, 10.21, 10.19); // +2 %, tight: below the +5 % target
        CellCheck c = assess(false).criteria().getFirst().checks().getFirst();
        assertEquals(Status.FAIL, c.status(), c.detail());
        assertTrue(c.comparison().high() < SeedCriteria.TARGET_RATIO, c.detail());
    }

    @Test
    void noGoOnAnR0Regression() {
        timed(REGRESSION, 0, 0, 100, 101, 100.5, 99.5, 100.2);
        timed(REGRESSION, 1, 0, 92, 93, 92.5, 92.2, 92.8); // -7.5 %
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05, 9.95);
        timed(TARGET, 1, 0, 12, 12.1, 11.9, 12.05, 11.95);
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
        assertEquals(Status.FAIL, a.criteria().get(1).status());
        assertTrue(a.criteria().get(1).result().contains("below 0.95"), a.criteria().get(1).result());
        assertEquals(Status.PASS, a.criteria().get(0).status());
    }

    @Test
    void aGainAtR0IsNoRegression() {
        timed(REGRESSION, 0, 0, 100, 101, 100.5, 99.5, 100.2);
        timed(REGRESSION, 1, 0, 120, 121, 120.5, 119.5, 120.2); // +20 %
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05, 9.95);
        timed(TARGET, 1, 0, 12, 12.1, 11.9, 12.05, 11.95);
        Assessment a = assess(false);
        assertEquals(Status.PASS, a.criteria().get(1).status(), a.criteria().get(1).result());
        assertTrue(a.criteria().get(1).result().contains("a gain"), a.criteria().get(1).result());
        assertEquals(Verdict.Kind.GO, a.verdict().kind());
    }

    @Test
    void noGoWhenCountersDoNotDrop() {
        goodCandidate();
        runs.removeIf(r -> r.plan().kind() == RunKind.COUNTERS);
        counters(TARGET, 0, 1.0);
        counters(TARGET, 1, 0.9); // only -10 %
        Assessment a = assess(true);
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
        assertEquals(Status.FAIL, a.criteria().get(2).status());
    }

    @Test
    void dirtyCellIsReportedAndNeverCounted() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2, 99.8);
        timed(REGRESSION, 1, 0, 100.1, 99.7, 100.3, 99.9, 100.5);
        timed(TARGET, 0, 3.2, 10, 10.1, 9.9, 10.05, 9.95);  // the ring filled up on A's side
        timed(TARGET, 1, 0, 20, 20.1, 19.9, 20.05, 19.95);  // a doubling that must not become a GO
        Assessment a = assess(false);
        CellCheck check = a.criteria().getFirst().checks().getFirst();
        assertEquals(Status.DIRTY, check.status());
        assertTrue(check.detail().contains("fallback_rate A 3.20 % B 0.00 %"), check.detail());
        assertTrue(check.detail().contains("B/A 2.000"), "the ratio is still shown: " + check.detail());
        assertFalse(check.resolvableByRuns(), "more runs do not clean a dirty cell");
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
        assertTrue(a.verdict().line().contains("T=32 R=90 dirty"), a.verdict().line());
    }

    @Test
    void dirtyCellDoesNotHideAFailElsewhere() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2, 99.8);
        timed(REGRESSION, 1, 0, 80, 80.4, 79.6, 80.2, 79.8);
        timed(TARGET, 0, 3.2, 10, 10, 10);
        timed(TARGET, 1, 0, 20, 20, 20);
        assertEquals(Verdict.Kind.NO_GO, assess(false).verdict().kind());
    }

    /** A +6 % median effect under a 40 % spread: the interval straddles 1.05, and the cell says how many runs it needs. */
    @Test
    void tooNoisyIsUnresolvedWithARunsEstimate() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2, 99.8);
        timed(REGRESSION, 1, 0, 100.1, 99.7, 100.3, 99.9, 100.5);
        timed(TARGET, 0, 0, 8, 10, 12, 9, 11);               // spread 40 %
        timed(TARGET, 1, 0, 8.6, 10.6, 12.6, 9.6, 11.6);     // +6 % at the median, the same spread
        Assessment a = assess(false);
        CellCheck c = a.criteria().getFirst().checks().getFirst();
        assertEquals(Status.INCONCLUSIVE, c.status(), c.detail());
        assertTrue(c.resolvableByRuns());
        assertTrue(c.runsNeeded() > 5, "more than the runs given: " + c.runsNeeded());
        assertTrue(c.detail().contains("straddles 1.05: needs ~" + RankComparison.runs(c.runsNeeded()) + " runs per side"),
                c.detail());
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
        assertTrue(a.verdict().line().contains("T=32 R=90 unresolved (B/A ["), a.verdict().line());
    }

    /** push vs parcel at R=0 on this machine: the same code on both sides, 20-70 % spreads. */
    @Test
    void equalButNoisyAtR0IsUnresolvedNotFailed() {
        timed(REGRESSION, 0, 0, 88.6, 71.2, 99.5, 60.3, 104.1);
        timed(REGRESSION, 1, 0, 104.9, 66.0, 93.1, 75.7, 87.2);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05, 9.95);
        timed(TARGET, 1, 0, 12, 12.1, 11.9, 12.05, 11.95);
        CellCheck c = assess(false).criteria().get(1).checks().getFirst();
        assertEquals(Status.INCONCLUSIVE, c.status(), c.detail());
        assertTrue(c.comparison().low() < SeedCriteria.REGRESSION_RATIO && c.comparison().high() > 1, c.detail());
        assertTrue(c.runsNeeded() > 5 && c.runsNeeded() <= RankComparison.MAX_ESTIMATE, c.detail());
    }

    @Test
    void threeRunsPerSideCannotResolveAt95Percent() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6);
        timed(REGRESSION, 1, 0, 100.1, 99.7, 100.3);
        timed(TARGET, 0, 0, 10, 10.1, 9.9);
        timed(TARGET, 1, 0, 20, 20.1, 19.9); // every B run twice every A run, yet p >= 0.1 with 3 + 3 runs
        CellCheck c = assess(false).criteria().getFirst().checks().getFirst();
        assertEquals(Status.INCONCLUSIVE, c.status(), c.detail());
        assertTrue(c.detail().contains("CI unbounded with 3 runs per side (the rank test needs >= 4)"), c.detail());
        assertEquals(4, c.runsNeeded(), "a clear effect needs only the test's minimum");
    }

    @Test
    void peersGoOnThroughputAloneAndSayWhatIsNotApplicable() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2);
        timed(REGRESSION, 1, 0, 103, 103.4, 102.6, 103.2);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05);
        timed(TARGET, 1, 0, 30, 30.1, 29.9, 30.05);
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.GO, a.verdict().kind(), a.verdict().line());
        assertEquals(Status.NA, a.criteria().get(2).status());
        assertEquals(Status.NA, a.criteria().get(3).status());
        assertTrue(a.verdict().reasons().getFirst().contains("n/a"), a.verdict().reasons().toString());
    }

    @Test
    void aHigherLevelNeedsMoreEvidence() {
        timed(REGRESSION, 0, 0, 100, 100.4, 99.6, 100.2);
        timed(REGRESSION, 1, 0, 103, 103.4, 102.6, 103.2);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10.05);
        timed(TARGET, 1, 0, 30, 30.1, 29.9, 30.05);
        Assessment at95 = SeedCriteria.evaluate(CELLS, sides(0), sides(1), false, 1, 1, 0.95);
        Assessment at99 = SeedCriteria.evaluate(CELLS, sides(0), sides(1), false, 1, 1, 0.99);
        assertEquals(Status.PASS, at95.criteria().getFirst().status());
        CellCheck c = at99.criteria().getFirst().checks().getFirst();
        assertEquals(Status.INCONCLUSIVE, c.status(), "4 runs per side cannot reach 99 %: " + c.detail());
        assertTrue(c.detail().contains("99 % CI unbounded"), c.detail());
    }

    @Test
    void jfrWithTooFewSamplesIsInconclusive() {
        goodCandidate();
        runs.removeIf(r -> r.plan().kind() == RunKind.PROFILE);
        profile(TARGET, 0, 200, 10, 0);
        profile(TARGET, 1, 200, 1, 0);
        Assessment a = assess(true);
        assertEquals(Status.INCONCLUSIVE, a.criteria().get(3).status());
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
    }

    @Test
    void jfrShareNotReducedFails() {
        goodCandidate();
        runs.removeIf(r -> r.plan().kind() == RunKind.PROFILE);
        profile(TARGET, 0, 10_000, 1_500, 0);
        profile(TARGET, 1, 10_000, 1_400, 0);
        assertEquals(Status.FAIL, assess(true).criteria().get(3).status());
    }

    @Test
    void jfrShareNotReducedWithFewSamplesIsInconclusive() {
        goodCandidate();
        runs.removeIf(r -> r.plan().kind() == RunKind.PROFILE);
        profile(TARGET, 0, 126, 57, 0);  // 45 % -> 43 %: a 20 % cut would not be significant with so few samples
        profile(TARGET, 1, 182, 79, 0);
        CellCheck c = assess(true).criteria().get(3).checks().getFirst();
        assertEquals(Status.INCONCLUSIVE, c.status(), c.detail());
        assertTrue(c.detail().contains("too few samples to see a 20 % cut"), c.detail());
    }

    @Test
    void dirtyProfileRunIsNotCounted() {
        goodCandidate();
        runs.removeIf(r -> r.plan().kind() == RunKind.PROFILE);
        profile(TARGET, 0, 10_000, 1_500, 0);
        profile(TARGET, 1, 10_000, 300, 5.0);
        assertEquals(Status.DIRTY, assess(true).criteria().get(3).checks().getFirst().status());
    }

    @Test
    void aMatrixWithoutTargetCellsCannotGo() {
        timed(REGRESSION, 0, 0, 100, 100, 100);
        timed(REGRESSION, 1, 0, 100, 100, 100);
        Assessment a = SeedCriteria.evaluate(List.of(REGRESSION), sides(0), sides(1), false, 0, 0);
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
        assertTrue(a.verdict().line().contains("no cell with R > 0"), a.verdict().line());
    }

    @Test
    void twoProportionZ() {
        double z = SeedCriteria.twoProportionZ(new SampleShare(1000, 150, Map.of()), new SampleShare(1000, 100, Map.of()));
        // pooled p = 0.125, se = sqrt(0.125 * 0.875 * 0.002) = 0.01479
        assertEquals(0.05 / Math.sqrt(0.125 * 0.875 * 0.002), z, 1e-9);
    }
}
