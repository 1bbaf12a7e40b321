package dev.hako.lab.ab;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntPredicate;

/**
 * B against A in one cell, judged by ranks (Apache Commons Statistics' Mann-Whitney U test) on log throughput.
 *
 * <p>Throughput on a shared machine is skewed and has outliers (a run that lost its core), so the test makes no
 * normality assumption, and it works on logs so that a shift is a ratio. The interval for B/A is the set of ratios
 * {@code r} for which the test of "log B - log r has the location of log A" is not rejected at the confidence level
 * (the Hodges-Lehmann interval): its ends are among the pairwise ratios {@code b_i / a_j}, and its centre, the median
 * of those ratios, is {@link #shiftRatio}. With too few runs no ratio can be rejected, and the interval is unbounded
 * ({@link #minimumRuns}).
 *
 * @param nA         timed runs of A
 * @param nB         timed runs of B
 * @param medianA    A's median it/s
 * @param medianB    B's median it/s
 * @param ratio      {@code medianB / medianA}
 * @param shiftRatio the Hodges-Lehmann estimate of B/A: the median of every {@code b_i / a_j}
 * @param low        lower end of the interval for B/A (0 when unbounded)
 * @param high       upper end (+infinity when unbounded)
 * @param pValue     two-sided p-value of "A and B have the same location"
 * @param confidence the interval's level, e.g. 0.95
 * @param logSd      pooled within-side standard deviation of log it/s
 */
public record RankComparison(int nA, int nB, double medianA, double medianB, double ratio, double shiftRatio,
                             double low, double high, double pValue, double confidence, double logSd) {
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** The largest runs-per-side estimate reported; beyond it the effect sits (almost) on the threshold. */
    public static final int MAX_ESTIMATE = 1000;
    /** The chance the runs estimate aims at, for the interval to clear the threshold if the effect is as observed. */
    public static final double RESOLVE_PROBABILITY = 0.8;

    private static final ConcurrentMap<Double, Integer> MINIMUM_RUNS = new ConcurrentHashMap<>();

    /**
     * @param a          A's it/s, one value per timed run (>= 1 value, all > 0)
     * @param b          B's it/s
     * @param confidence in (0, 1)
     * @throws IllegalArgumentException on an empty side, a value that is not positive, or a bad level
     */
    public static RankComparison of(double[] a, double[] b, double confidence) {
        checkConfidence(confidence);
        double[] la = logs(a, "A"), lb = logs(b, "B");
        double[] shifts = new double[la.length * lb.length];
        int k = 0;
        for (double y : lb) for (double x : la) shifts[k++] = y - x;
        Arrays.sort(shifts);
        double hl = Summary.of(shifts).median();
        double[] bounds = interval(la, lb, shifts, hl, 1 - confidence);
        double p = MannWhitneyUTest.withDefaults().test(lb, la).getPValue();
        double medianA = Summary.of(a).median(), medianB = Summary.of(b).median();
        return new RankComparison(a.length, b.length, medianA, medianB, medianB / medianA, Math.exp(hl),
                Math.exp(bounds[0]), Math.exp(bounds[1]), p, confidence, pooledSd(la, lb));
    }

    /**
     * The shifts of log B the test does not reject. Between consecutive distinct pairwise shifts the test's statistic
     * is constant, and the two-sided p-value falls away on both sides of the centre, so the accepted gaps are
     * contiguous: a binary search on each side of the gap at the Hodges-Lehmann estimate finds the interval's ends.
     */
    private static double[] interval(double[] la, double[] lb, double[] shifts, double hl, double alpha) {
        double[] d = Arrays.stream(shifts).distinct().toArray();
        MannWhitneyUTest test = MannWhitneyUTest.withDefaults();
        // gap g lies between d[g - 1] and d[g]; gap 0 below every shift, gap d.length above
        IntPredicate accepted = gap -> {
            double mu = gap == 0 ? d[0] - 1 : gap == d.length ? d[d.length - 1] + 1 : (d[gap - 1] + d[gap]) / 2;
            return test.withMu(mu).test(lb, la).getPValue() > alpha;
        };
        int centre = 0;
        while (centre < d.length && d[centre] < hl) centre++;
        if (!accepted.test(centre) && centre < d.length) centre++;
        if (!accepted.test(centre)) return new double[] {hl, hl}; // not expected of a valid test: the centre has p ~ 1
        int lo = 0, hi = centre; // first accepted gap in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (accepted.test(mid)) hi = mid; else lo = mid + 1;
        }
        int first = lo;
        lo = centre;
        hi = d.length; // last accepted gap in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (accepted.test(mid)) lo = mid; else hi = mid - 1;
        }
        int last = lo;
        return new double[] {first == 0 ? Double.NEGATIVE_INFINITY : d[first - 1],
                last == d.length ? Double.POSITIVE_INFINITY : d[last]};
    }

    /**
     * The fewest runs per side with which the rank test can reject at all at {@code confidence}: even with every B
     * above every A, 3 runs per side give a two-sided p of 0.1, so a 95 % interval needs 4.
     */
    public static int minimumRuns(double confidence) {
        checkConfidence(confidence);
        return MINIMUM_RUNS.computeIfAbsent(confidence, c -> {
            MannWhitneyUTest test = MannWhitneyUTest.withDefaults();
            for (int n = 1; ; n++) {
                double[] low = new double[n], high = new double[n];
                for (int i = 0; i < n; i++) {
                    low[i] = i + 1;
                    high[i] = n + i + 1;
                }
                if (test.test(high, low).getPValue() <= 1 - c) return n;
            }
        });
    }

    /** Whether the interval has two finite ends. */
    public boolean bounded() {
        return low > 0 && Double.isFinite(high);
    }

    /**
     * The decision against "B/A >= threshold": PASS when the whole interval is at or above it, FAIL when the whole
     * interval is below it, INCONCLUSIVE when it straddles it.
     */
    public Status against(double threshold) {
        if (low >= threshold) return Status.PASS;
        if (high < threshold) return Status.FAIL;
        return Status.INCONCLUSIVE;
    }

    /**
     * Roughly how many runs per side would put the interval on one side of {@code threshold}, four times out of five,
     * if the effect and the spread are what was observed. The interval's half-width shrinks with 1/sqrt(n); the
     * estimate ({@link #shiftRatio}) wanders by about the half-width / z, so clearing the threshold with
     * probability {@value #RESOLVE_PROBABILITY} needs margin >= half-width * (z + z_0.8) / z, where the margin is the
     * distance from the estimate to the threshold (in logs). The half-width is the observed one on the side facing
     * the threshold: like the test, it shrugs off a run that lost its core, where a standard deviation would not
     * (with few runs it errs high: the exact interval is then a little wider than its level needs). While the
     * interval is unbounded, the normal-theory half-width from {@link #logSd} (times sqrt(pi/3), what ranks cost in
     * efficiency on normal data). Capped at {@link #MAX_ESTIMATE}; never less than the current runs plus one, nor
     * than {@link #minimumRuns}.
     */
    public int runsNeeded(double threshold) {
        double n = 2.0 / (1.0 / nA + 1.0 / nB);
        double centre = Math.log(shiftRatio), margin = Math.abs(centre - Math.log(threshold));
        NormalDistribution normal = NormalDistribution.of(0, 1);
        double z = normal.inverseCumulativeProbability(0.5 + confidence / 2);
        double half;
        if (bounded()) {
            half = centre >= Math.log(threshold) ? centre - Math.log(low) : Math.log(high) - centre;
        } else {
            half = z * logSd * Math.sqrt(2 / n) * Math.sqrt(Math.PI / 3);
        }
        double widen = (z + normal.inverseCumulativeProbability(RESOLVE_PROBABILITY)) / z;
        double ratio = half * widen / margin;
        double need = margin == 0 ? Double.POSITIVE_INFINITY : n * ratio * ratio;
        need = Math.max(need, Math.max(minimumRuns(confidence), Math.floor(n) + 1));
        return need >= MAX_ESTIMATE ? MAX_ESTIMATE : (int) Math.ceil(need);
    }

    /** {@code [0.962, 1.083]}, or {@code unbounded} with too few runs. */
    public String interval() {
        return bounded() ? String.format(Locale.ROOT, "[%.3f, %.3f]", low, high) : "unbounded";
    }

    /** {@code 95 %}. */
    public String level() {
        return percent(confidence);
    }

    /** A confidence level as a percentage without needless decimals: {@code 95 %}, {@code 99.5 %}. */
    public static String percent(double confidence) {
        return BigDecimal.valueOf(100 * confidence).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString() + " %";
    }

    /** A runs estimate as printed: {@code 14}, or {@code 1000+} at the cap. */
    public static String runs(int estimate) {
        return estimate >= MAX_ESTIMATE ? MAX_ESTIMATE + "+" : Integer.toString(estimate);
    }

    static void checkConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
    }

    private static double[] logs(double[] v, String side) {
        if (v.length == 0) throw new IllegalArgumentException("side " + side + " has no runs");
        double[] l = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] > 0) || !Double.isFinite(v[i])) {
                throw new IllegalArgumentException("side " + side + " has a throughput that is not positive: " + v[i]);
            }
            l[i] = Math.log(v[i]);
        }
        return l;
    }

    /** The standard deviation of log it/s around each side's own mean, pooled (0 with one run per side). */
    private static double pooledSd(double[] la, double[] lb) {
        int df = la.length + lb.length - 2;
        return df <= 0 ? 0 : Math.sqrt((squares(la) + squares(lb)) / df);
    }

    private static double squares(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0), s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return s;
    }
}
