package dev.hako.lab.report;

import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.RunRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** results.csv: one row per run (timed, counter and profile runs alike; the {@code kind} column tells them apart). */
public final class CsvReport {
    private CsvReport() {}

    public static String render(ExperimentResult result) {
        StringBuilder sb = new StringBuilder();
        List<String> header = null;
        for (RunRecord r : result.runs()) {
            Map<String, Object> f = RunFields.of(result.config(), r);
            if (header == null) {
                header = new ArrayList<>(f.keySet());
                sb.append(String.join(",", header)).append('\n');
            }
            List<String> cells = new ArrayList<>();
            for (Object v : f.values()) cells.add(cell(v));
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static String cell(Object v) {
        String s = switch (v) {
            case null -> "";
            case Double d -> Double.isFinite(d) ? new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString() : "";
            default -> v.toString();
        };
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
