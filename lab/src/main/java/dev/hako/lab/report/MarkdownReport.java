package dev.hako.lab.report;

import dev.hako.lab.ab.Assessment;
import dev.hako.lab.ab.BenchArgs;
import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.CellCheck;
import dev.hako.lab.ab.Criterion;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.RankComparison;
import dev.hako.lab.ab.SampleShare;
import dev.hako.lab.ab.SeedCriteria;
import dev.hako.lab.ab.SideStats;
import dev.hako.lab.ab.Variant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * report.md: verdict first, then the seed's criteria table, the matrix, the counters and samples that explain it,
 * how it was measured, the machine, and the command that reruns it.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** The report of an {@code ab} or {@code compare} experiment. */
    public static String render(ExperimentResult result) {
        ExperimentConfig c = result.config();
        StringBuilder sb = new StringBuilder();
        boolean ab = c.command().equals("ab");
        if (ab) {
            sb.append("# A/B: B = `").append(c.variants().get(1).spec()).append("` against A = `")
                    .append(c.variants().getFirst().spec()).append("`\n\n");
        } else {
            sb.append("# compare: ").append(c.variants().stream().map(v -> "`" + v.spec() + "`")
                    .collect(Collectors.joining(", "))).append("\n\n");
        }
        if (!result.complete()) {
            sb.append("**Incomplete: the experiment stopped after a failed run; the figures below cover the runs that"
                    + " finished.**\n\n");
        }
        sb.append(scale(c)).append("\n\n");
        if (ab) {
            Assessment a = result.assess(0, 1);
            sb.append("**").append(a.verdict().line()).append("**\n\n");
            if (a.verdict().kind() == dev.hako.lab.ab.Verdict.Kind.GO && !a.verdict().reasons().isEmpty()) {
                sb.append("Not part of this GO: ").append(String.join("; ", a.verdict().reasons())).append(".\n\n");
            }
            sb.append("## The seed's success criteria\n\n").append(criteriaTable(a)).append('\n');
            sb.append("## Matrix\n\n").append(abMatrix(result)).append('\n');
        } else {
            sb.append(compareSections(result));
        }
        sb.append(countersSection(result));
        sb.append(samplesSection(result));
        sb.append("## Chart\n\n![runs per cell](chart.png)\n\nEach panel is a cell; each variant's timed runs are points"
                + " (a cross is a dirty run), the bar is its median, in millions of iterations per second.\n\n");
        sb.append(method(c));
        sb.append("## Machine and JDK\n\n");
        MarkdownTable facts = new MarkdownTable("fact", "value");
        result.facts().forEach(facts::row);
        sb.append(facts).append('\n');
        sb.append("## Rerun\n\n```bash\n").append(c.rerun()).append("\n```\n\n");
        sb.append("Files: `results.csv` and `results.json` (every run, timed or not, with its kind), `cells.csv` (per"
                + " cell and candidate: medians, B/A, interval, p-value, decision, runs needed; also under"
                + " `assessments` in results.json), `chart.png`, `runs/*.log` (each JVM's raw output).\n");
        return sb.toString();
    }

    /** The seed's table: metric, target, result per cell, status. */
    public static String criteriaTable(Assessment a) {
        MarkdownTable t = new MarkdownTable("Metric", "Target", "Result", "Status");
        for (Criterion c : a.criteria()) t.row(c.metric(), c.target(), c.result(), c.status().word());
        return t.toString();
    }

    private static String scale(ExperimentConfig c) {
        BenchArgs a = c.args();
        boolean seedScale = a.iters() == BenchArgs.SEED.iters() && a.ws() == BenchArgs.SEED.ws()
                && a.min() == BenchArgs.SEED.min() && a.max() == BenchArgs.SEED.max() && a.ring() == BenchArgs.SEED.ring();
        String runs = c.autoRuns()
                ? String.format(Locale.ROOT, "%d timed JVMs per variant and cell to start with, then up to %d in cells"
                + " left unresolved (`--runs auto`)", c.runs(), c.maxRuns())
                : String.format(Locale.ROOT, "%d timed JVM(s) per variant and cell", c.runs());
        return String.format(Locale.ROOT, "Benchmark `bench T %d %d %d %d R %d` (%s), %d warm-up run(s) inside each JVM,"
                        + " %s; throughput judged at %s confidence.", a.iters(), a.ws(), a.min(), a.max(), a.ring(),
                seedScale ? "the seed's arguments" : "scaled: the seed runs `T 2500000 400 16 2048 R 262144`",
                a.warmup(), runs, RankComparison.percent(c.confidence()));
    }

    /**
     * A/B matrix: per cell the runs, medians, B/A with its interval and p-value, the decision and the runs that
     * would resolve it, then spreads, ops/s, fallback, memory and CPU share.
     */
    public static String abMatrix(ExperimentResult result) {
        Assessment a = result.assess(0, 1);
        String level = RankComparison.percent(result.config().confidence());
        MarkdownTable t = new MarkdownTable("cell", "runs A/B", "A M it/s", "B M it/s", "B/A", "CI " + level, "p",
                "decision", "runs needed", "spread A/B", "M ops/s A/B", "fallback max A/B", "peak RSS MiB A/B",
                "CPU share A/B");
        for (Cell cell : result.config().cells()) {
            SideStats sa = result.side(cell, 0), sb = result.side(cell, 1);
            CellCheck k = throughputCheck(a, cell);
            RankComparison r = k == null ? null : k.comparison();
            t.row(cell.label(), sa.iters().n() + " / " + sb.iters().n(), Fmt.mega(sa.iters().median()),
                    Fmt.mega(sb.iters().median()), r == null ? "-" : Fmt.fixed(r.ratio(), 3),
                    r == null ? "-" : r.interval(), r == null ? "-" : SeedCriteria.pValue(r.pValue()),
                    k == null ? "-" : k.status().word(), runsNeeded(k, result.config()),
                    Fmt.pct(sa.iters().spreadPct()) + " / " + Fmt.pct(sb.iters().spreadPct()),
                    Fmt.mega(sa.ops().median()) + " / " + Fmt.mega(sb.ops().median()),
                    Fmt.rate(sa.maxFallbackPct()) + " / " + Fmt.rate(sb.maxFallbackPct()),
                    Fmt.mib(sa.peakRssKb()) + " / " + Fmt.mib(sb.peakRssKb()),
                    Fmt.fixed(sa.cpuShare(), 2) + " / " + Fmt.fixed(sb.cpuShare(), 2));
        }
        return "Medians of the timed runs (every run in results.csv). B/A = ratio of medians of it/s (`T * iters /"
                + " time`, which does not depend on the allocator; ops/s is the seed's printed figure). CI = the rank"
                + " test's interval for B/A (Hodges-Lehmann on log it/s); p = Mann-Whitney, two-sided, for \"A and B"
                + " alike\". decision = the seed's criterion for the cell: +5 % or better (R > 0) needs the CI at or"
                + " above 1.05, the R=0 check needs it at or above 0.95; a CI across the threshold leaves the cell"
                + " INCONCLUSIVE, with the runs per side that would roughly resolve it. Spread = (max - min) / median."
                + " CPU share = the workers' CPU time over time x min(T, cores), median: well below 1 means other"
                + " processes had the cores.\n\n"
                + t;
    }

    /** The throughput row's check of {@code cell} (each cell is in exactly one), or null. */
    public static CellCheck throughputCheck(Assessment a, Cell cell) {
        for (Criterion c : a.criteria().stream().filter(Criterion::required).toList()) {
            for (CellCheck k : c.checks()) if (k.cell().equals(cell)) return k;
        }
        return null;
    }

    private static String runsNeeded(CellCheck k, ExperimentConfig c) {
        if (k == null || !k.resolvableByRuns()) return "-";
        String n = "~" + RankComparison.runs(k.runsNeeded());
        return c.autoRuns() && k.runsNeeded() > c.maxRuns() ? n + " (> --max-runs " + c.maxRuns() + ")" : n;
    }

    private static String compareSections(ExperimentResult result) {
        ExperimentConfig c = result.config();
        List<Variant> vs = c.variants();
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>(List.of("variant"));
        c.cells().forEach(cell -> head.add(cell.label()));
        MarkdownTable it = new MarkdownTable(head);
        MarkdownTable ops = new MarkdownTable(head);
        for (int v = 0; v < vs.size(); v++) {
            List<String> itRow = new ArrayList<>(List.of(vs.get(v).spec().text()));
            List<String> opsRow = new ArrayList<>(List.of(vs.get(v).spec().text()));
            for (Cell cell : c.cells()) {
                SideStats s = result.side(cell, v), base = result.side(cell, c.baseline());
                String mark = s.dirty() ? "*" : "";
                String delta = v == c.baseline() ? "" : " " + Fmt.signedPct(s.iters().deltaPctOver(base.iters()));
                itRow.add(Fmt.mega(s.iters().median()) + mark + delta + " [" + Fmt.pct(s.iters().spreadPct()) + "]");
                opsRow.add(Fmt.mega(s.ops().median()) + mark);
            }
            it.row(itRow);
            ops.row(opsRow);
        }
        sb.append("## Iterations/s\n\nMedian M it/s of the timed runs, delta against `" + vs.get(c.baseline()).spec()
                + "`, [spread]."
                + " `*` = dirty (fallback_rate > 0.10 % in a run): shown, not comparable.\n\n").append(it).append('\n');
        sb.append("## Ops/s (the seed's printed figure)\n\nMedian M ops/s; `*` = dirty.\n\n").append(ops).append('\n');
        OptionalInt noop = NoopFloor.noopIndex(vs);
        if (noop.isPresent()) sb.append("## Cost over the noop floor and memory\n\n").append(NoopFloor.tables(result, noop.getAsInt())).append('\n');
        else sb.append("## Memory\n\n").append(rssTable(result)).append('\n');
        sb.append("## The seed's criteria against `").append(vs.get(c.baseline()).spec()).append("`\n\n");
        MarkdownTable t = new MarkdownTable("variant", "throughput R>0", "R=0 regression", "atomics/remote free",
                "JFR push-path share", "verdict");
        for (int v : c.candidates()) {
            Assessment a = result.assess(c.baseline(), v);
            List<String> row = new ArrayList<>(List.of(vs.get(v).spec().text()));
            for (Criterion k : a.criteria()) row.add(k.status().word());
            row.add(a.verdict().line().substring("verdict: ".length()));
            t.row(row);
        }
        sb.append("Each row judges the variant as B against the baseline as A (the first variant that is not the noop"
                + " floor; details in results.json, `assessments`).\n\n").append(t).append('\n');
        return sb.toString();
    }

    private static String rssTable(ExperimentResult result) {
        List<String> head = new ArrayList<>(List.of("variant"));
        result.config().cells().forEach(cell -> head.add(cell.label()));
        MarkdownTable t = new MarkdownTable(head);
        for (int v = 0; v < result.config().variants().size(); v++) {
            List<String> row = new ArrayList<>(List.of(result.config().variants().get(v).spec().text()));
            for (Cell cell : result.config().cells()) row.add(Fmt.mib(result.side(cell, v).peakRssKb()));
            t.row(row);
        }
        return "Peak RSS, MiB (median of the timed runs; the whole JVM).\n\n" + t;
    }

    private static String countersSection(ExperimentResult result) {
        ExperimentConfig c = result.config();
        MarkdownTable t = new MarkdownTable("cell", "variant", "remote_frees", "atomics/remote free", "cas_failures",
                "fallbacks", "strategy fallback", "notifies", "scans", "drains", "blocks/drain");
        for (Cell cell : c.cells()) {
            for (int v = 0; v < c.variants().size(); v++) {
                SideStats s = result.side(cell, v);
                if (s.counters().isEmpty()) continue;
                t.row(cell.label(), c.variants().get(v).label(), Fmt.fixed(s.counter("remote_frees"), 0),
                        Fmt.fixed(s.counter(SeedCriteria.ATOMICS_KEY), 4), Fmt.fixed(s.counter("cas_failures"), 0),
                        Fmt.fixed(s.counter("fallbacks"), 0), Fmt.rate(s.counter("fallback_rate")),
                        Fmt.fixed(s.counter("notifies"), 0),
                        Fmt.fixed(s.counter("scans"), 0), Fmt.fixed(s.counter("drains"), 0),
                        Fmt.fixed(s.counter("blocks_per_drain"), 2));
            }
        }
        if (t.isEmpty()) return "";
        return "## Counters that explain it\n\nFrom separate counter runs (`-Dhako.stats=true`, " + c.counterRuns()
                + " per cell and Hako variant; medians). Counting adds work to the very paths measured, so these runs"
                + " never enter the throughput figures. atomics/remote free = producer-side atomic read-modify-writes"
                + " (CAS, exchange, fetch-and-op) per remote free; fallbacks are the strategy's own (e.g. a full outbox"
                + " falling back to the CAS push), not the benchmark's ring fallback.\n\n" + t + "\n";
    }

    private static String samplesSection(ExperimentResult result) {
        ExperimentConfig c = result.config();
        MarkdownTable t = new MarkdownTable("cell", "variant", "samples", "push-path samples", "share",
                "top frames on the push path");
        for (Cell cell : c.cells()) {
            for (int v = 0; v < c.variants().size(); v++) {
                SampleShare s = result.side(cell, v).samples();
                if (s.total() == 0) continue;
                t.row(cell.label(), c.variants().get(v).label(), Long.toString(s.total()), Long.toString(s.pushPath()),
                        Fmt.pct(100 * s.share()), topFrames(s.topOfPushPath()));
            }
        }
        if (t.isEmpty()) return "";
        return "## Where the time goes: JFR samples on the push path\n\nFrom separate profile runs (`-XX:StartFlightRecording"
                + " ... settings=profile`, " + c.profileRuns() + " per cell with remote frees and Hako variant, pooled)."
                + " A sample is on the push path when its stack holds a `free` or `flushProducer` frame of a class in"
                + " `dev.hako.remote` (a strategy's producer side, with everything it calls). Samples cover the whole JVM,"
                + " warm-up runs included: the same code runs in them, and the share is what is compared.\n\n" + t + "\n";
    }

    private static String topFrames(Map<String, Long> top) {
        long total = top.values().stream().mapToLong(Long::longValue).sum();
        return top.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(3).map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                .collect(Collectors.joining(", "));
    }

    private static String method(ExperimentConfig c) {
        return "## Method\n\n"
                + "- Every run is a fresh JVM (this build's java and classpath, `--enable-native-access=ALL-UNNAMED`,"
                + " the variant's `-D` properties) running `hako bench`; warm-up runs inside each JVM come first and"
                + " are not measured.\n"
                + "- Variants alternate run by run (A B A B ...) in every cell, with the same arguments, so that drift"
                + " of a shared machine falls on every side alike.\n"
                + "- Timed runs have counters off and no profiler. Counter runs (`-Dhako.stats=true`) and JFR runs are"
                + " separate JVMs after each cell's timed runs; their throughput is recorded (results.csv, `kind`)"
                + " but never used.\n"
                + "- Per cell and side: median, min, max of it/s and ops/s; spread = (max - min) / median. Per cell,"
                + " B against A: the Mann-Whitney U test on the timed runs' log it/s (Apache Commons Statistics), its"
                + " two-sided p-value, and the " + RankComparison.percent(c.confidence()) + " interval for B/A that"
                + " inverting it gives (Hodges-Lehmann). A cell is **dirty** when a timed run on either side had"
                + " fallback_rate > 0.10 % (the ring to the next thread was full, so the remote share was not what was"
                + " asked); a dirty cell is shown and never counted.\n"
                + "- Verdict rules: " + SeedCriteria.class.getSimpleName() + " - +5 % at R>0: PASS when the interval"
                + " lies at or above 1.05, FAIL when below; R=0 regression: PASS when it lies at or above 0.95 (within"
                + " +/-5 %, or a gain), FAIL when below; INCONCLUSIVE when it straddles the threshold, with an estimate"
                + " of the runs per side that would resolve it (the interval narrows with 1/sqrt(runs)). Push-path cost"
                + " down by >= 20 % in atomics per remote free (counters) and in the JFR push-path share (z >= 1.96)."
                + " NO-GO if any clean cell fails; GO only when every row that applies passes in every cell.\n"
                + (c.autoRuns() ? "- `--runs auto`: after the planned runs, cells left INCONCLUSIVE got more"
                + " interleaved rounds, straight to their runs estimate, up to " + c.maxRuns() + " per side. Stopping"
                + " once a cell resolves looks at the data more than once, which makes a wrong call somewhat likelier"
                + " than the stated level; to confirm a decision, rerun with a fixed `--runs` at the estimate.\n" : "")
                + (c.jvmOptions().isEmpty() ? "" : "- Extra JVM options on both sides: `" + String.join(" ", c.jvmOptions()) + "`\n")
                + "\n";
    }
}
