package dev.hako.lab.report;

import dev.hako.lab.ab.Assessment;
import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.CellCheck;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.RankComparison;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * cells.csv: one row per cell and candidate (against the baseline) with what the throughput criteria were judged on:
 * runs, medians, B/A, the rank test's interval and p-value, the decision and the runs per side that would resolve it.
 * results.csv stays one row per run.
 */
public final class CellsCsvReport {
    static final List<String> HEADER = List.of("threads", "remote_pct", "baseline", "candidate", "criterion", "runs_a",
            "runs_b", "median_iters_a", "median_iters_b", "ratio_of_medians", "hodges_lehmann_ratio", "confidence",
            "ci_low", "ci_high", "p_value", "decision", "runs_needed");

    private CellsCsvReport() {}

    public static String render(ExperimentResult result) {
        ExperimentConfig c = result.config();
        StringBuilder sb = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (int candidate : c.candidates()) {
            Assessment a = result.assess(c.baseline(), candidate);
            for (Cell cell : c.cells()) {
                CellCheck k = MarkdownReport.throughputCheck(a, cell);
                if (k == null) continue;
                RankComparison r = k.comparison();
                List<String> row = new ArrayList<>(List.of(Integer.toString(cell.threads()),
                        Integer.toString(cell.remotePct()), c.variants().get(c.baseline()).label(),
                        c.variants().get(candidate).label(), cell.hasRemoteFrees() ? "throughput" : "r0_regression"));
                if (r == null) {
                    row.addAll(List.of("", "", "", "", "", "", "", "", "", ""));
                } else {
                    row.addAll(List.of(Integer.toString(r.nA()), Integer.toString(r.nB()), num(r.medianA()),
                            num(r.medianB()), num(r.ratio()), num(r.shiftRatio()), num(r.confidence()),
                            r.bounded() ? num(r.low()) : "", r.bounded() ? num(r.high()) : "", num(r.pValue())));
                }
                row.add(k.status().word());
                row.add(k.resolvableByRuns() ? Integer.toString(k.runsNeeded()) : "");
                sb.append(String.join(",", row.stream().map(CellsCsvReport::quote).toList())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString() : "";
    }

    private static String quote(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
