package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything measured for one variant in one cell: timed throughput, cleanliness, memory, counters and samples.
 *
 * @param cell            the cell
 * @param variant         index of the variant
 * @param iters           iterations/s of the timed runs (what verdicts use: it does not depend on the allocator)
 * @param ops             ops/s of the timed runs (the seed's printed figure)
 * @param dirtyRuns       timed runs with fallback_rate above {@link #DIRTY_FALLBACK_PCT}
 * @param maxFallbackPct  the highest fallback_rate of the timed runs, %
 * @param peakRssKb       median peak RSS of the timed runs, KiB (NaN when not printed)
 * @param cpuShare        median share of the available cores the workers got in the timed runs (NaN if not printed)
 * @param allocFailures   allocation failures summed over the timed runs
 * @param counters        medians over the counter runs of every numeric {@code [REMOTE_STATS]} key (empty without)
 * @param samples         JFR samples pooled over the profile runs ({@link SampleShare#NONE} without)
 * @param profileMaxFallbackPct the highest fallback_rate of the profile runs (NaN without)
 * @param itersRuns       iterations/s of each timed run, in the order they ran (what the rank test compares)
 */
public record SideStats(Cell cell, int variant, Summary iters, Summary ops, int dirtyRuns, double maxFallbackPct,
                        double peakRssKb, double cpuShare, long allocFailures, Map<String, Double> counters, SampleShare samples,
                        double profileMaxFallbackPct, List<Double> itersRuns) {
    /** hz3's rule: above this fallback rate "remote 90 %" was not 90 % for that run, so the cell is dirty. */
    public static final double DIRTY_FALLBACK_PCT = 0.10;

    public SideStats {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        itersRuns = List.copyOf(itersRuns);
    }

    /** {@link #itersRuns} as an array; values that are not a positive number (a run that timed nothing) left out. */
    public double[] itersValues() {
        return itersRuns.stream().mapToDouble(Double::doubleValue).filter(d -> d > 0 && Double.isFinite(d)).toArray();
    }

    /** Whether any timed run of this side was dirty. */
    public boolean dirty() {
        return dirtyRuns > 0;
    }

    /** Whether any profile run of this side was dirty (fewer remote frees: the push-path share is not comparable). */
    public boolean profileDirty() {
        return profileMaxFallbackPct > DIRTY_FALLBACK_PCT;
    }

    /** A counter median by {@code [REMOTE_STATS]} key, NaN without counter runs. */
    public double counter(String key) {
        return counters.getOrDefault(key, Double.NaN);
    }

    /** Collects the side's statistics from every run of the experiment. */
    public static SideStats of(Cell cell, int variant, List<RunRecord> runs) {
        List<BenchOutput> timed = new ArrayList<>();
        List<BenchOutput> counted = new ArrayList<>();
        List<RunRecord> profiled = new ArrayList<>();
        for (RunRecord r : runs) {
            if (!r.plan().cell().equals(cell) || r.plan().variant() != variant) continue;
            switch (r.plan().kind()) {
                case TIMED -> timed.add(r.output());
                case COUNTERS -> counted.add(r.output());
                case PROFILE -> profiled.add(r);
            }
        }
        Summary iters = Summary.of(timed.stream().mapToDouble(BenchOutput::itersPerSec).toArray());
        Summary ops = Summary.of(timed.stream().mapToDouble(BenchOutput::opsPerSec).toArray());
        int dirty = (int) timed.stream().filter(o -> o.fallbackPct() > DIRTY_FALLBACK_PCT).count();
        double maxFallback = timed.stream().mapToDouble(BenchOutput::fallbackPct).max().orElse(Double.NaN);
        double rss = Summary.of(timed.stream().filter(o -> o.peakRssKb() >= 0)
                .mapToDouble(BenchOutput::peakRssKb).toArray()).median();
        int cores = Runtime.getRuntime().availableProcessors();
        double cpu = Summary.of(timed.stream().mapToDouble(o -> o.cpuShare(cores)).toArray()).median();
        long failures = timed.stream().mapToLong(o -> Math.max(0, o.allocFailures())).sum();
        SampleShare samples = profiled.stream().map(RunRecord::samples).reduce(SampleShare.NONE, SampleShare::plus);
        double profileFallback = profiled.stream().mapToDouble(r -> r.output().fallbackPct()).max().orElse(Double.NaN);
        return new SideStats(cell, variant, iters, ops, dirty, maxFallback, rss, cpu, failures, counterMedians(counted),
                samples, profileFallback, timed.stream().map(BenchOutput::itersPerSec).toList());
    }

    private static Map<String, Double> counterMedians(List<BenchOutput> counted) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (BenchOutput o : counted) {
            if (!o.hasCounters()) continue;
            o.remoteStats().forEach((k, v) -> {
                double d = BenchOutputParser.number(v);
                if (!Double.isNaN(d)) values.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
            });
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        values.forEach((k, v) -> medians.put(k, Summary.of(v.stream().mapToDouble(Double::doubleValue).toArray()).median()));
        return medians;
    }
}
