package dev.hako.lab.ab;

import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rank comparison on fixed samples whose answers are known. */
class RankComparisonTest {
    static final double[] A = {10.0, 10.3, 9.8, 10.1, 9.6};
    static final double[] B = {11.5, 11.0, 12.1, 11.3, 11.7};

    /** Every b_i / a_j, sorted. */
    static double[] pairwiseRatios(double[] a, double[] b) {
        double[] r = new double[a.length * b.length];
        int k = 0;
        for (double y : b) for (double x : a) r[k++] = y / x;
        Arrays.sort(r);
        return r;
    }

    /** Tables of the U distribution: with 5 + 5 runs the two-sided 5 % critical value is U <= 2, so the interval runs from the 3rd smallest to the 3rd largest ratio. */
    @Test
    void fiveAgainstFiveAt95PercentSpansTheThirdRatioFromEachEnd() {
        RankComparison r = RankComparison.of(A, B, 0.95);
        double[] ratios = pairwiseRatios(A, B);
        assertEquals(ratios[2], r.low(), 1e-12);
        assertEquals(ratios[22], r.high(), 1e-12);
        assertEquals(ratios[12], r.shiftRatio(), 1e-12, "Hodges-Lehmann: the median of the 25 ratios");
        assertEquals(11.5 / 10.0, r.ratio(), 1e-12);
    }

    /** With 4 + 4 runs, P(U = 0) = 1/70: only U = 0 is rejected at 5 % two-sided, so the interval is the whole range of ratios. */
    @Test
    void fourAgainstFourSpansEveryRatio() {
        double[] a = Arrays.copyOf(A, 4), b = Arrays.copyOf(B, 4);
        RankComparison r = RankComparison.of(a, b, 0.95);
        double[] ratios = pairwiseRatios(a, b);
        assertEquals(ratios[0], r.low(), 1e-12);
        assertEquals(ratios[15], r.high(), 1e-12);
    }

    @Test
    void pValueOfCompleteSeparationIsTwoOverTheArrangements() {
        // every B above every A: one arrangement in C(10, 5) = 252 on each side
        assertEquals(2.0 / 252, RankComparison.of(A, B, 0.95).pValue(), 1e-12);
    }

    @Test
    void minimumRunsPerLevel() {
        assertEquals(4, RankComparison.minimumRuns(0.95)); // 2 / C(8, 4) = 0.029
        assertEquals(5, RankComparison.minimumRuns(0.99)); // 2 / C(8, 4) = 0.029 > 0.01, 2 / C(10, 5) = 0.008
        assertEquals(3, RankComparison.minimumRuns(0.80)); // 2 / C(6, 3) = 0.1
    }

    @Test
    void tooFewRunsGiveAnUnboundedInterval() {
        RankComparison r = RankComparison.of(new double[] {10, 10.1, 9.9}, new double[] {20, 20.1, 19.9}, 0.95);
        assertFalse(r.bounded());
        assertEquals(0, r.low());
        assertEquals(Double.POSITIVE_INFINITY, r.high());
        assertEquals(Status.INCONCLUSIVE, r.against(1.05));
        assertEquals("unbounded", r.interval());
    }

    @Test
    void decisionsAgainstAThreshold() {
        RankComparison win = RankComparison.of(A, B, 0.95);      // about +14 %, every ratio above 1.05
        assertEquals(Status.PASS, win.against(1.05));
        RankComparison loss = RankComparison.of(B, A, 0.95);     // the same, mirrored: about -12 %
        assertEquals(Status.FAIL, loss.against(1.05));
        assertEquals(Status.FAIL, loss.against(0.95));
        assertTrue(loss.high() < 0.95, loss.interval());
        double[] a = {10.0, 10.05, 9.95, 10.02, 9.98};
        double[] same = {10.04, 9.99, 10.07, 9.96, 10.01};       // the same within half a percent
        RankComparison equal = RankComparison.of(a, same, 0.95);
        assertTrue(equal.low() >= 0.95 && equal.high() <= 1.05, "within +/-5 %: " + equal.interval());
        assertEquals(Status.PASS, equal.against(0.95));
    }

    @Test
    void intervalIsOnTheRatioScale() {
        // scaling both sides by the same factor changes nothing; scaling B alone scales the interval
        RankComparison r = RankComparison.of(A, B, 0.95);
        RankComparison scaled = RankComparison.of(Arrays.stream(A).map(x -> x * 1e6).toArray(),
                Arrays.stream(B).map(x -> x * 1e6).toArray(), 0.95);
        assertEquals(r.low(), scaled.low(), 1e-9);
        assertEquals(r.high(), scaled.high(), 1e-9);
        RankComparison doubled = RankComparison.of(A, Arrays.stream(B).map(x -> 2 * x).toArray(), 0.95);
        assertEquals(2 * r.low(), doubled.low(), 1e-9);
        assertEquals(2 * r.high(), doubled.high(), 1e-9);
    }

    /** Noisy and on the edge: the estimate exceeds the runs given, and grows as the effect nears the threshold. */
    @Test
    void runsEstimateGrowsAsTheEffectNearsTheThreshold() {
        double[] a = {8, 10, 12, 9, 11};
        RankComparison far = RankComparison.of(a, scale(a, 1.25), 0.95);
        RankComparison near = RankComparison.of(a, scale(a, 1.10), 0.95);
        RankComparison on = RankComparison.of(a, scale(a, 1.05), 0.95);
        assertEquals(Status.INCONCLUSIVE, near.against(1.05), near.interval());
        assertTrue(near.runsNeeded(1.05) > 5, "more than given: " + near.runsNeeded(1.05));
        assertTrue(far.runsNeeded(1.05) < near.runsNeeded(1.05), far.runsNeeded(1.05) + " vs " + near.runsNeeded(1.05));
        assertEquals(RankComparison.MAX_ESTIMATE, on.runsNeeded(1.05), "an effect on the threshold never resolves");
        assertEquals("1000+", RankComparison.runs(on.runsNeeded(1.05)));
    }

    /**
     * The estimate is roughly right. Five runs per side from a known distribution (+10 % under 6 % noise, judged
     * against 1.05: normal theory needs 2 (pi/3) (1.96 + 0.84)^2 (0.06 / ln(1.10/1.05))^2 = 28 runs per side for four
     * in five intervals to clear it): over twenty seeds the median estimate is within a factor of two of that (43
     * when written), and samples of each estimated size, from the same distribution, resolve about four times in
     * five. Five runs say little about the spread, so single estimates scatter widely (17 to 1000+); this is why
     * --runs auto steps to the estimate and then looks again.
     */
    @Test
    void theRunsEstimateIsRoughlyRight() {
        int trials = 0, resolved = 0;
        List<Integer> estimates = new ArrayList<>();
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            RankComparison small = RankComparison.of(draw(rnd, 10, 5), draw(rnd, 11, 5), 0.95);
            if (small.against(1.05) != Status.INCONCLUSIVE) continue; // resolved already: nothing to estimate
            int n = small.runsNeeded(1.05);
            assertTrue(n > 5 && n <= RankComparison.MAX_ESTIMATE, "n = " + n);
            estimates.add(n);
            for (int trial = 0; trial < 20; trial++, trials++) {
                if (RankComparison.of(draw(rnd, 10, n), draw(rnd, 11, n), 0.95).against(1.05) == Status.PASS) resolved++;
            }
        }
        Collections.sort(estimates);
        int median = estimates.get(estimates.size() / 2);
        assertTrue(median >= 14 && median <= 56, "median estimate " + median + " of " + estimates);
        assertTrue(resolved >= 0.7 * trials, resolved + " of " + trials + " resolved");
    }

    private static double[] draw(Random rnd, double median, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = median * Math.exp(0.06 * rnd.nextGaussian());
        return v;
    }

    /** The binary search for the interval's ends agrees with testing every gap between pairwise shifts. */
    @Test
    void intervalEndsAgreeWithAFullScan() {
        Random rnd = new Random(7);
        for (int round = 0; round < 30; round++) {
            int na = 4 + rnd.nextInt(9), nb = 4 + rnd.nextInt(9);
            double[] a = draw(rnd, 10, na), b = draw(rnd, 10 * (0.9 + 0.3 * rnd.nextDouble()), nb);
            RankComparison r = RankComparison.of(a, b, 0.95);
            double[] la = Arrays.stream(a).map(Math::log).toArray(), lb = Arrays.stream(b).map(Math::log).toArray();
            double[] d = new double[na * nb];
            int k = 0;
            for (double y : lb) for (double x : la) d[k++] = y - x;
            Arrays.sort(d);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int g = 0; g <= d.length; g++) {
                double mu = g == 0 ? d[0] - 1 : g == d.length ? d[d.length - 1] + 1 : (d[g - 1] + d[g]) / 2;
                if (g > 0 && g < d.length && d[g - 1] == d[g]) continue;
                if (MannWhitneyUTest.withDefaults().withMu(mu).test(lb, la).getPValue() > 0.05) {
                    lo = Math.min(lo, g == 0 ? Double.NEGATIVE_INFINITY : d[g - 1]);
                    hi = Math.max(hi, g == d.length ? Double.POSITIVE_INFINITY : d[g]);
                }
            }
            assertEquals(Math.exp(lo), r.low(), 1e-12, "round " + round);
            assertEquals(Math.exp(hi), r.high(), 1e-12, "round " + round);
        }
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> RankComparison.of(new double[0], B, 0.95));
        assertThrows(IllegalArgumentException.class, () -> RankComparison.of(A, new double[] {1, 0}, 0.95));
        assertThrows(IllegalArgumentException.class, () -> RankComparison.of(A, B, 1.0));
        assertThrows(IllegalArgumentException.class, () -> RankComparison.of(A, B, 0));
    }

    @Test
    void levelsPrintAsPercentages() {
        assertEquals("95 %", RankComparison.percent(0.95));
        assertEquals("99.5 %", RankComparison.percent(0.995));
    }

    private static double[] scale(double[] v, double f) {
        return Arrays.stream(v).map(x -> x * f).toArray();
    }
}
