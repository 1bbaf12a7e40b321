package dev.hako.lab.report;

import dev.hako.lab.ab.Assessment;
import dev.hako.lab.ab.BenchArgs;
import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.CellCheck;
import dev.hako.lab.ab.Criterion;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.RankComparison;
import dev.hako.lab.ab.RunRecord;
import dev.hako.lab.ab.SideStats;
import dev.hako.lab.ab.Summary;
import dev.hako.lab.ab.Variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * results.json: the configuration, the machine, per-cell statistics, every assessment against the baseline
 * ({@code ExperimentConfig#baseline}), the noop-floor costs when {@code noop} ran, and every run.
 */
public final class JsonReport {
    private JsonReport() {}

    public static String render(ExperimentResult result) {
        ExperimentConfig c = result.config();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", c.command());
        root.put("rerun", c.rerun());
        root.put("complete", result.complete());
        root.put("started", result.started().toString());
        root.put("finished", result.finished().toString());
        root.put("machine", result.facts());
        BenchArgs a = c.args();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("iters", a.iters());
        args.put("ws", a.ws());
        args.put("min", a.min());
        args.put("max", a.max());
        args.put("ring", a.ring());
        args.put("warmup", a.warmup());
        args.put("runs", c.runs());
        args.put("runs_auto", c.autoRuns());
        args.put("max_runs", c.maxRuns());
        args.put("confidence", c.confidence());
        args.put("counter_runs", c.counterRuns());
        args.put("jfr_runs", c.profileRuns());
        args.put("jvm_options", c.jvmOptions());
        root.put("args", args);
        List<Object> variants = new ArrayList<>();
        for (Variant v : c.variants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", v.label());
            m.put("spec", v.spec().text());
            m.put("allocator", v.spec().allocator());
            m.put("properties", v.spec().properties());
            variants.add(m);
        }
        root.put("variants", variants);
        root.put("baseline", c.variants().get(c.baseline()).label());
        root.put("cells", cells(result));
        List<Object> assessments = new ArrayList<>();
        for (int v : c.candidates()) assessments.add(assessment(result, c.baseline(), v));
        root.put("assessments", assessments);
        OptionalInt noop = NoopFloor.noopIndex(c.variants());
        if (noop.isPresent()) root.put("noop_floor", floor(result, noop.getAsInt()));
        List<Object> runs = new ArrayList<>();
        for (RunRecord r : result.runs()) runs.add(RunFields.of(c, r));
        root.put("runs", runs);
        return Json.write(root);
    }

    private static List<Object> cells(ExperimentResult result) {
        List<Object> cells = new ArrayList<>();
        for (Cell cell : result.config().cells()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threads", cell.threads());
            m.put("remote_pct", cell.remotePct());
            List<Object> sides = new ArrayList<>();
            SideStats base = result.side(cell, result.config().baseline());
            for (int v = 0; v < result.config().variants().size(); v++) {
                SideStats s = result.side(cell, v);
                Map<String, Object> side = new LinkedHashMap<>();
                side.put("variant", result.config().variants().get(v).label());
                side.put("iters_per_s", summary(s.iters()));
                side.put("ops_per_s", summary(s.ops()));
                side.put("delta_iters_pct_vs_baseline", s.iters().deltaPctOver(base.iters()));
                side.put("delta_ops_pct_vs_baseline", s.ops().deltaPctOver(base.ops()));
                side.put("dirty", s.dirty());
                side.put("dirty_runs", s.dirtyRuns());
                side.put("max_fallback_rate_pct", s.maxFallbackPct());
                side.put("peak_rss_kb_median", s.peakRssKb());
                side.put("cpu_share_median", s.cpuShare());
                side.put("alloc_failures", s.allocFailures());
                side.put("counters_median", s.counters());
                Map<String, Object> jfr = new LinkedHashMap<>();
                jfr.put("samples", s.samples().total());
                jfr.put("push_path_samples", s.samples().pushPath());
                jfr.put("push_path_share", s.samples().share());
                jfr.put("top_of_push_path", s.samples().topOfPushPath());
                side.put("jfr", jfr);
                sides.add(side);
            }
            m.put("sides", sides);
            cells.add(m);
        }
        return cells;
    }

    private static Map<String, Object> summary(Summary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.n());
        m.put("median", s.median());
        m.put("min", s.min());
        m.put("max", s.max());
        m.put("spread_pct", s.spreadPct());
        return m;
    }

    private static Map<String, Object> assessment(ExperimentResult result, int base, int cand) {
        Assessment a = result.assess(base, cand);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseline", result.config().variants().get(base).label());
        m.put("candidate", result.config().variants().get(cand).label());
        m.put("verdict", a.verdict().kind().word());
        m.put("verdict_line", a.verdict().line());
        m.put("reasons", a.verdict().reasons());
        List<Object> rows = new ArrayList<>();
        for (Criterion c : a.criteria()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", c.metric());
            row.put("target", c.target());
            row.put("status", c.status().word());
            row.put("note", c.note());
            List<Object> checks = new ArrayList<>();
            for (CellCheck k : c.checks()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("cell", k.cell().label());
                cm.put("status", k.status().word());
                cm.put("detail", k.detail());
                RankComparison r = k.comparison();
                if (r != null) {
                    cm.put("runs_a", r.nA());
                    cm.put("runs_b", r.nB());
                    cm.put("median_a", r.medianA());
                    cm.put("median_b", r.medianB());
                    cm.put("ratio_of_medians", r.ratio());
                    cm.put("hodges_lehmann_ratio", r.shiftRatio());
                    cm.put("ci_low", r.bounded() ? r.low() : null);
                    cm.put("ci_high", r.bounded() ? r.high() : null);
                    cm.put("confidence", r.confidence());
                    cm.put("p_value", r.pValue());
                    cm.put("runs_needed", k.resolvableByRuns() ? k.runsNeeded() : null);
                }
                checks.add(cm);
            }
            row.put("cells", checks);
            rows.add(row);
        }
        m.put("criteria", rows);
        return m;
    }

    private static List<Object> floor(ExperimentResult result, int noop) {
        List<Object> rows = new ArrayList<>();
        for (int v = 0; v < result.config().variants().size(); v++) {
            for (Cell cell : result.config().cells()) {
                SideStats s = result.side(cell, v), f = result.side(cell, noop);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("variant", result.config().variants().get(v).label());
                m.put("threads", cell.threads());
                m.put("remote_pct", cell.remotePct());
                m.put("cost_ns_per_op_over_noop", v == noop ? 0.0 : NoopFloor.costNs(s, f));
                m.put("ns_per_op", 1e9 / s.ops().median());
                m.put("peak_rss_kb", s.peakRssKb());
                m.put("dirty", s.dirty() || f.dirty());
                rows.add(m);
            }
        }
        return rows;
    }
}
