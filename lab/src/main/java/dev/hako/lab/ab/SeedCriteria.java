package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The seed's success criteria for B against A, judged per cell and combined into a verdict.
 *
 * <table>
 *   <caption>The seed's table and how each row is judged</caption>
 *   <tr><th>metric</th><th>target</th><th>judged on</th></tr>
 *   <tr><td>Throughput (R=90)</td><td>+5 % or better</td><td>the confidence interval of B/A in it/s, in every cell
 *       with remote frees: PASS when it lies at or above 1.05, FAIL when it lies below</td></tr>
 *   <tr><td>R=0 regression</td><td>+/-5 %</td><td>the same interval in every cell without: PASS when it lies at or
 *       above 0.95 (within +/-5 %, or a gain), FAIL when it lies below</td></tr>
 *   <tr><td>push_one cycles</td><td>significant reduction</td><td>counters: atomics per remote free down by
 *       {@value #PUSH_CUT_PCT} % or more; JFR: push-path share of samples down by as much, at z >= {@value #Z_MIN}
 *       (FAIL only when the samples could have shown such a cut)</td></tr>
 * </table>
 *
 * <p>Throughput uses iterations/s, not ops/s: ops leave out pointers still in rings when a receiver exits, so they
 * vary with the allocator (seed-benchmark.md). The interval is the rank test's ({@link RankComparison}): a cell whose
 * interval straddles the threshold is INCONCLUSIVE and says how many runs per side would resolve it. A gain at R=0 is
 * no regression, so the R=0 row only asks whether B can be more than 5 % slower. A dirty cell (fallback_rate above
 * 0.10 % on either side) is shown with its interval and never counted.
 *
 * <p>Verdict: NO-GO if a row fails in any clean cell; else INCONCLUSIVE if a row has dirty or inconclusive cells, or
 * a throughput row has no cell at all; else GO. Push-path rows that do not apply (a non-Hako side) or were not
 * measured are left out and named in the GO's notes.
 */
public final class SeedCriteria {
    public static final double TARGET_GAIN_PCT = 5;
    public static final double REGRESSION_TOLERANCE_PCT = 5;
    /** B/A the throughput row needs: 1.05. */
    public static final double TARGET_RATIO = 1 + TARGET_GAIN_PCT / 100;
    /** B/A below which the R=0 row fails: 0.95. */
    public static final double REGRESSION_RATIO = 1 - REGRESSION_TOLERANCE_PCT / 100;
    public static final double PUSH_CUT_PCT = 20;
    public static final double Z_MIN = 1.96;
    /** Below this many push-path samples on A, a JFR share is too coarse to compare. */
    public static final long MIN_PUSH_SAMPLES = 20;
    public static final String ATOMICS_KEY = "atomics_per_remote_free";

    private SeedCriteria() {}

    /** {@link #evaluate(List, Map, Map, boolean, int, int, double)} at 95 % confidence. */
    public static Assessment evaluate(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                      boolean hakoBoth, int counterRuns, int profileRuns) {
        return evaluate(cells, a, b, hakoBoth, counterRuns, profileRuns, RankComparison.DEFAULT_CONFIDENCE);
    }

    /**
     * @param cells      the matrix
     * @param a          the baseline per cell
     * @param b          the candidate per cell
     * @param hakoBoth   whether both sides run Hako (counters and a push path exist)
     * @param counterRuns counter runs planned per cell
     * @param profileRuns JFR runs planned per cell with remote frees
     * @param confidence level of the throughput rows' intervals, e.g. 0.95
     */
    public static Assessment evaluate(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                      boolean hakoBoth, int counterRuns, int profileRuns, double confidence) {
        RankComparison.checkConfidence(confidence);
        List<Cell> remote = cells.stream().filter(Cell::hasRemoteFrees).toList();
        List<Cell> local = cells.stream().filter(c -> !c.hasRemoteFrees()).toList();
        List<Criterion> rows = new ArrayList<>();
        rows.add(throughput(remote, a, b, confidence));
        rows.add(regression(local, a, b, confidence));
        rows.add(counters(remote, a, b, hakoBoth, counterRuns));
        rows.add(samples(remote, a, b, hakoBoth, profileRuns));
        return new Assessment(rows, verdict(rows));
    }

    private static Criterion throughput(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                        double confidence) {
        String metric = "Throughput (" + remoteLabel(cells) + ")";
        String target = "+5% or better";
        if (cells.isEmpty()) return Criterion.notApplicable(metric, target, true, "not measured: no cell with R > 0 and T > 1");
        List<CellCheck> checks = new ArrayList<>();
        for (Cell cell : cells) checks.add(ratioCheck(cell, a.get(cell), b.get(cell), TARGET_RATIO, confidence));
        return Criterion.of(metric, target, true, checks);
    }

    private static Criterion regression(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                        double confidence) {
        String metric = "R=0 regression";
        String target = "+/-5%";
        if (cells.isEmpty()) return Criterion.notApplicable(metric, target, true, "not measured: no cell with R = 0");
        List<CellCheck> checks = new ArrayList<>();
        for (Cell cell : cells) checks.add(ratioCheck(cell, a.get(cell), b.get(cell), REGRESSION_RATIO, confidence));
        return Criterion.of(metric, target, true, checks);
    }

    /** One cell of a throughput row: B/A's interval against {@code threshold} (1.05 or 0.95). */
    private static CellCheck ratioCheck(Cell cell, SideStats sa, SideStats sb, double threshold, double confidence) {
        if (sa == null || sb == null || sa.itersValues().length == 0 || sb.itersValues().length == 0) {
            return new CellCheck(cell, Status.INCONCLUSIVE, "no timed runs");
        }
        RankComparison r = RankComparison.of(sa.itersValues(), sb.itersValues(), confidence);
        String d = describe(r);
        String t = String.format(Locale.ROOT, "%.2f", threshold);
        if (sa.dirty() || sb.dirty()) {
            return new CellCheck(cell, Status.DIRTY, String.format(Locale.ROOT,
                    "%s, not counted: fallback_rate A %.2f %% B %.2f %% (> 0.10 %%)", d, sa.maxFallbackPct(),
                    sb.maxFallbackPct()), r, 0);
        }
        return switch (r.against(threshold)) {
            case PASS -> new CellCheck(cell, Status.PASS, d + passNote(r, threshold), r, 0);
            case FAIL -> new CellCheck(cell, Status.FAIL, d + ", below " + t, r, 0);
            default -> {
                int need = r.runsNeeded(threshold);
                yield new CellCheck(cell, Status.INCONCLUSIVE, d + ", straddles " + t + ": needs ~"
                        + RankComparison.runs(need) + " runs per side", r, need);
            }
        };
    }

    /** {@code B/A 1.071, 95 % CI [1.052, 1.090], p=0.008}. */
    static String describe(RankComparison r) {
        String ci = r.bounded() ? r.level() + " CI " + r.interval()
                : r.level() + " CI unbounded with " + Math.min(r.nA(), r.nB()) + " runs per side (the rank test needs >= "
                + RankComparison.minimumRuns(r.confidence()) + ")";
        return String.format(Locale.ROOT, "B/A %.3f, %s, p=%s", r.ratio(), ci, pValue(r.pValue()));
    }

    /** {@code 0.008}, {@code <0.001}. */
    public static String pValue(double p) {
        if (Double.isNaN(p)) return "-";
        return p < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String passNote(RankComparison r, double threshold) {
        if (threshold != REGRESSION_RATIO) return "";
        if (r.high() <= TARGET_RATIO) return ", within +/-5 %";
        if (r.low() > TARGET_RATIO) return ", a gain";
        return ", no regression beyond -5 %";
    }

    private static Criterion counters(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                      boolean hakoBoth, int counterRuns) {
        String metric = "push_one cost: atomics per remote free (counters)";
        String target = "significant reduction (>= 20%)";
        if (!hakoBoth) return Criterion.notApplicable(metric, target, false, "n/a: counters exist only when both sides are Hako");
        if (counterRuns == 0) return Criterion.notApplicable(metric, target, false, "not measured (--counter-runs 0)");
        if (cells.isEmpty()) return Criterion.notApplicable(metric, target, false, "not measured: no cell with remote frees");
        List<CellCheck> checks = new ArrayList<>();
        for (Cell cell : cells) {
            double ca = a.get(cell).counter(ATOMICS_KEY), cb = b.get(cell).counter(ATOMICS_KEY);
            double fa = a.get(cell).counter("remote_frees"), fb = b.get(cell).counter("remote_frees");
            if (Double.isNaN(ca) || Double.isNaN(cb)) {
                checks.add(new CellCheck(cell, Status.INCONCLUSIVE, "no [REMOTE_STATS] counters"));
            } else if (!(fa > 0) || !(fb > 0)) {
                checks.add(new CellCheck(cell, Status.INCONCLUSIVE, "no remote frees counted"));
            } else {
                double cut = ca == 0 ? 0 : 100 * (1 - cb / ca);
                String d = String.format(Locale.ROOT, "%.3f -> %.3f (%s)", ca, cb, pct(-cut));
                checks.add(new CellCheck(cell, cut >= PUSH_CUT_PCT ? Status.PASS : Status.FAIL, d));
            }
        }
        return Criterion.of(metric, target, false, checks);
    }

    private static Criterion samples(List<Cell> cells, Map<Cell, SideStats> a, Map<Cell, SideStats> b,
                                     boolean hakoBoth, int profileRuns) {
        String metric = "push_one cycles: push-path share of JFR samples";
        String target = "significant reduction (>= 20%, z >= 1.96)";
        if (!hakoBoth) return Criterion.notApplicable(metric, target, false, "n/a: a push path exists only when both sides are Hako");
        if (profileRuns == 0) return Criterion.notApplicable(metric, target, false, "not measured (--jfr-runs 0)");
        if (cells.isEmpty()) return Criterion.notApplicable(metric, target, false, "not measured: no cell with remote frees");
        List<CellCheck> checks = new ArrayList<>();
        for (Cell cell : cells) {
            SampleShare sa = a.get(cell).samples(), sb = b.get(cell).samples();
            if (sa.total() == 0 || sb.total() == 0) {
                checks.add(new CellCheck(cell, Status.INCONCLUSIVE, "no execution samples"));
                continue;
            }
            double cut = sa.share() == 0 ? 0 : 100 * (1 - sb.share() / sa.share());
            double z = twoProportionZ(sa, sb);
            String d = String.format(Locale.ROOT, "%.1f %% -> %.1f %% of samples (%s, z=%.1f; %d/%d vs %d/%d)",
                    100 * sa.share(), 100 * sb.share(), pct(-cut), z, sa.pushPath(), sa.total(), sb.pushPath(), sb.total());
            if (a.get(cell).profileDirty() || b.get(cell).profileDirty()) {
                checks.add(new CellCheck(cell, Status.DIRTY, d + ", not counted: a profile run had fallback_rate > 0.10 %"));
            } else if (sa.pushPath() < MIN_PUSH_SAMPLES) {
                checks.add(new CellCheck(cell, Status.INCONCLUSIVE, d + ", too few push-path samples on A"));
            } else if (cut < PUSH_CUT_PCT) {
                // Not reduced enough, but would these samples have shown a 20 % cut? Only then is it a FAIL.
                checks.add(cutWouldShow(sa, sb) ? new CellCheck(cell, Status.FAIL, d)
                        : new CellCheck(cell, Status.INCONCLUSIVE, d + ", too few samples to see a 20 % cut"));
            } else {
                checks.add(new CellCheck(cell, z >= Z_MIN ? Status.PASS : Status.INCONCLUSIVE,
                        z >= Z_MIN ? d : d + ", not significant"));
            }
        }
        return Criterion.of(metric, target, false, checks);
    }

    /** Two-proportion z statistic for "A's share is larger than B's" (pooled standard error). */
    static double twoProportionZ(SampleShare a, SampleShare b) {
        double pa = a.share(), pb = b.share();
        double p = (double) (a.pushPath() + b.pushPath()) / (a.total() + b.total());
        double se = Math.sqrt(p * (1 - p) * (1.0 / a.total() + 1.0 / b.total()));
        return se == 0 ? 0 : (pa - pb) / se;
    }

    /** Whether a cut of {@link #PUSH_CUT_PCT} % in A's share would reach z >= {@link #Z_MIN} with these sample counts. */
    static boolean cutWouldShow(SampleShare a, SampleShare b) {
        double p = (double) (a.pushPath() + b.pushPath()) / (a.total() + b.total());
        double se = Math.sqrt(p * (1 - p) * (1.0 / a.total() + 1.0 / b.total()));
        return se > 0 && a.share() * PUSH_CUT_PCT / 100 / se >= Z_MIN;
    }

    static Verdict verdict(List<Criterion> rows) {
        List<String> fails = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Criterion c : rows) {
            switch (c.status()) {
                case FAIL -> fails.add(c.metric() + " " + cellsWith(c, Status.FAIL));
                case INCONCLUSIVE -> open.add(c.metric() + " " + openCells(c));
                case NA -> (c.required() ? open : notes).add(c.metric() + " " + c.note());
                default -> { }
            }
        }
        if (!fails.isEmpty()) return new Verdict(Verdict.Kind.NO_GO, fails);
        if (!open.isEmpty()) return new Verdict(Verdict.Kind.INCONCLUSIVE, open);
        return new Verdict(Verdict.Kind.GO, notes);
    }

    private static String cellsWith(Criterion c, Status s) {
        return c.checks().stream().filter(k -> k.status() == s).map(k -> k.cell().label() + ": " + k.detail())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String openCells(Criterion c) {
        return c.checks().stream().filter(k -> k.status() == Status.DIRTY || k.status() == Status.INCONCLUSIVE)
                .map(CellCheck::openReason).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String remoteLabel(List<Cell> cells) {
        String r = cells.stream().map(c -> Integer.toString(c.remotePct())).distinct().collect(Collectors.joining(","));
        return r.isEmpty() ? "R=90" : "R=" + r;
    }

    /** {@code +5.2 %}. */
    static String pct(double v) {
        return String.format(Locale.ROOT, "%+.1f %%", v);
    }
}
