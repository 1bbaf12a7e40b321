package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict logic on fixed run data: GO, NO-GO, dirty and INCONCLUSIVE. */
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
        timed(REGRESSION, 0, 0, 100, 101, 99, 100.5, 100);
        timed(REGRESSION, 1, 0, 101, 100, 102, 101, 100.5);
        timed(TARGET, 0, 0, 10, 10.1, 9.9, 10, 10.05);
        timed(TARGET, 1, 0, 11, 11.1, 10.9, 11, 11.05);
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
        assertTrue(a.criteria().get(0).result().contains("delta +10.0 %"), a.criteria().get(0).result());
        assertTrue(a.criteria().get(2).result().contains("1.000 -> 0.125 (-87.5 %)"), a.criteria().get(2).result());
    }

    @Test
    void noGoWhenTheTargetCellLosesClearly() {
        timed(REGRESSION, 0, 0, 100, 100, 100);
        timed(REGRESSION, 1, 0, 100, 100, 100);
        timed(TARGET, 0, 0, 10, 10.1, 9.9);
        timed(TARGET, 1, 0, 8.9, 9.0, 9.1); // -10 %, spreads 2 %
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
        assertEquals(Status.FAIL, a.criteria().get(0).status());
        assertTrue(a.verdict().line().startsWith("verdict: NO-GO (Throughput (R=90) [T=32 R=90: delta -10.0 %"),
                a.verdict().line());
    }

    @Test
    void noGoOnAnR0Regression() {
        timed(REGRESSION, 0, 0, 100, 101, 100);
        timed(REGRESSION, 1, 0, 92, 93, 92.5); // -7.5 %
        timed(TARGET, 0, 0, 10, 10, 10);
        timed(TARGET, 1, 0, 12, 12, 12);
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
        assertEquals(Status.FAIL, a.criteria().get(1).status());
        assertEquals(Status.PASS, a.criteria().get(0).status());
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
        timed(REGRESSION, 0, 0, 100, 100, 100);
        timed(REGRESSION, 1, 0, 100, 100, 100);
        timed(TARGET, 0, 3.2, 10, 10, 10);  // the ring filled up on A's side
        timed(TARGET, 1, 0, 20, 20, 20);    // a +100 % that must not become a GO
        Assessment a = assess(false);
        CellCheck check = a.criteria().getFirst().checks().getFirst();
        assertEquals(Status.DIRTY, check.status());
        assertTrue(check.detail().contains("fallback_rate A 3.20 % B 0.00 %"), check.detail());
        assertTrue(check.detail().contains("delta +100.0 %"), "the delta is still shown: " + check.detail());
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
        assertTrue(a.verdict().line().contains("T=32 R=90 dirty"), a.verdict().line());
    }

    @Test
    void dirtyCellDoesNotHideAFailElsewhere() {
        timed(REGRESSION, 0, 0, 100, 100, 100);
        timed(REGRESSION, 1, 0, 80, 80, 80);
        timed(TARGET, 0, 3.2, 10, 10, 10);
        timed(TARGET, 1, 0, 20, 20, 20);
        assertEquals(Verdict.Kind.NO_GO, assess(false).verdict().kind());
    }

    @Test
    void inconclusiveWhenSpreadExceedsTheEffect() {
        timed(REGRESSION, 0, 0, 100, 100.5, 100);
        timed(REGRESSION, 1, 0, 100, 101, 100.5);
        timed(TARGET, 0, 0, 8, 10, 12);     // spread 40 %
        timed(TARGET, 1, 0, 10.6, 10.6, 10.6); // +6 %: above target, but within A's noise
        Assessment a = assess(false);
        assertEquals(Status.INCONCLUSIVE, a.criteria().getFirst().status());
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
        assertTrue(a.criteria().getFirst().result().contains("spread exceeds the effect"));
    }

    @Test
    void inconclusiveWhenR0SpreadCannotResolveTheTolerance() {
        timed(REGRESSION, 0, 0, 95, 100, 105); // spread 10 %
        timed(REGRESSION, 1, 0, 100, 100, 100);
        timed(TARGET, 0, 0, 10, 10, 10);
        timed(TARGET, 1, 0, 12, 12, 12);
        Assessment a = assess(false);
        assertEquals(Status.INCONCLUSIVE, a.criteria().get(1).status());
        assertEquals(Verdict.Kind.INCONCLUSIVE, a.verdict().kind());
    }

    @Test
    void peersGoOnThroughputAloneAndSayWhatIsNotApplicable() {
        timed(REGRESSION, 0, 0, 100, 100, 100);
        timed(REGRESSION, 1, 0, 103, 103, 103);
        timed(TARGET, 0, 0, 10, 10, 10);
        timed(TARGET, 1, 0, 30, 30, 30);
        Assessment a = assess(false);
        assertEquals(Verdict.Kind.GO, a.verdict().kind());
        assertEquals(Status.NA, a.criteria().get(2).status());
        assertEquals(Status.NA, a.criteria().get(3).status());
        assertTrue(a.verdict().reasons().getFirst().contains("n/a"), a.verdict().reasons().toString());
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
