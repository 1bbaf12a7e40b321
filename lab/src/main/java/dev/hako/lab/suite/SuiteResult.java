package dev.hako.lab.suite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A suite's runs and what they add up to: per row and allocator, medians, spreads and ratios to the best. */
public final class SuiteResult {
    private final SuiteConfig config;
    private final List<SuiteRecord> records;
    private final Map<String, String> facts;
    private final Instant started;
    private final Instant ended;

    public SuiteResult(SuiteConfig config, List<SuiteRecord> records, Map<String, String> facts, Instant started,
                       Instant ended) {
        this.config = config;
        this.records = List.copyOf(records);
        this.facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        this.started = started;
        this.ended = ended;
    }

    public SuiteConfig config() {
        return config;
    }

    public List<SuiteRecord> records() {
        return records;
    }

    public Map<String, String> facts() {
        return facts;
    }

    public Instant started() {
        return started;
    }

    public Instant ended() {
        return ended;
    }

    /** The runs that failed. */
    public List<SuiteRecord> failures() {
        return records.stream().filter(r -> !r.ok()).toList();
    }

    /** A row and allocator's runs. */
    public Cell cell(SuiteCase row, int allocator) {
        List<Double> values = new ArrayList<>(), peaks = new ArrayList<>(), bases = new ArrayList<>();
        int failed = 0;
        String why = null;
        for (SuiteRecord r : records) {
            if (!r.job().row().equals(row) || r.job().allocator() != allocator) continue;
            if (r.ok()) {
                values.add(r.value());
                peaks.add(r.peakRssMib());
                bases.add(r.baseRssMib());
            } else {
                failed++;
                if (why == null) why = r.failure();
            }
        }
        return new Cell(row, allocator, values, peaks, bases, failed, why);
    }

    /** The best median of a row's figure over the allocators that ran it; NaN if none did. */
    public double best(SuiteCase row) {
        Figure f = row.workload().figure();
        double best = Double.NaN;
        for (int a = 0; a < config.allocators().size(); a++) {
            Cell c = cell(row, a);
            if (c.ok()) best = Double.isNaN(best) ? c.median() : f.better(best, c.median());
        }
        return best;
    }

    /** The smallest median peak RSS of a row; NaN if no allocator ran it. */
    public double smallestPeak(SuiteCase row) {
        double min = Double.NaN;
        for (int a = 0; a < config.allocators().size(); a++) {
            Cell c = cell(row, a);
            if (c.ok() && Double.isFinite(c.peakMedian())) min = Double.isNaN(min) ? c.peakMedian() : Math.min(min, c.peakMedian());
        }
        return min;
    }

    /** Time relative to the row's best (1 = the best; ops/s inverted); NaN without runs. */
    public double relativeTime(SuiteCase row, int allocator) {
        Cell c = cell(row, allocator);
        return c.ok() ? row.workload().figure().relativeTime(c.median(), best(row)) : Double.NaN;
    }

    /** Peak RSS relative to the row's smallest; NaN without runs. */
    public double relativeRss(SuiteCase row, int allocator) {
        Cell c = cell(row, allocator);
        return c.ok() ? c.peakMedian() / smallestPeak(row) : Double.NaN;
    }

    /** The geometric mean of an allocator's relative times over the rows it ran. */
    public double geomeanRelativeTime(int allocator) {
        return geomean(config.rows().stream().mapToDouble(r -> relativeTime(r, allocator)).toArray());
    }

    /** The geometric mean of an allocator's relative peak RSS over the rows it ran. */
    public double geomeanRelativeRss(int allocator) {
        return geomean(config.rows().stream().mapToDouble(r -> relativeRss(r, allocator)).toArray());
    }

    private static double geomean(double[] v) {
        double log = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x) && x > 0) {
                log += Math.log(x);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(log / n);
    }

    /**
     * A row and allocator's runs that counted, and the failures.
     *
     * @param values the figure of each run that counted, in run order
     */
    public record Cell(SuiteCase row, int allocator, List<Double> values, List<Double> peaks, List<Double> bases,
                       int failed, String firstFailure) {
        public Cell {
            values = List.copyOf(values);
            peaks = List.copyOf(peaks);
            bases = List.copyOf(bases);
        }

        public boolean ok() {
            return !values.isEmpty();
        }

        public double median() {
            return median(values);
        }

        public double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /** (max - min) / median, in percent: how far apart the runs were. */
        public double spreadPct() {
            return ok() ? 100 * (max() - min()) / median() : Double.NaN;
        }

        public double peakMedian() {
            return median(peaks);
        }

        public double baseMedian() {
            return median(bases);
        }

        static double median(List<Double> v) {
            List<Double> s = v.stream().filter(Double::isFinite).sorted().toList();
            if (s.isEmpty()) return Double.NaN;
            int m = s.size() / 2;
            return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
        }
    }
}
