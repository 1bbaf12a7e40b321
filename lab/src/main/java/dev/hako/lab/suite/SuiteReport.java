package dev.hako.lab.suite;

import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.report.Json;
import dev.hako.lab.report.MarkdownTable;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's outputs: the {@code suite:} summary lines, and the report folder's report.md, results.csv (one row
 * per run), results.json (configuration, machine, runs and medians) and chart.png.
 */
public final class SuiteReport {
    private SuiteReport() {}

    /** Writes the report folder. @return the files written */
    public static List<Path> write(SuiteResult result) throws IOException {
        Path out = result.config().out();
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        files.add(text(out.resolve("results.csv"), csv(result)));
        files.add(text(out.resolve("results.json"), json(result)));
        if (result.records().stream().anyMatch(SuiteRecord::ok)) {
            Path png = out.resolve("chart.png");
            SuiteChart.write(result, png);
            files.add(png);
        }
        files.add(text(out.resolve("report.md"), markdown(result)));
        return files;
    }

    /**
     * One line per row and allocator, medians: {@code suite: workload=larson allocator=glibc ops_per_s=12345678
     * peak_rss_mib=48.1 rel_time=1.12 rel_rss=1.00 runs=3}, or {@code FAILED} with the first reason.
     */
    public static List<String> lines(SuiteResult result) {
        List<String> lines = new ArrayList<>();
        SuiteConfig c = result.config();
        for (SuiteCase row : c.rows()) {
            Figure f = row.workload().figure();
            for (int a = 0; a < c.allocators().size(); a++) {
                SuiteResult.Cell cell = result.cell(row, a);
                String head = SuiteLine.PREFIX + "workload=" + row.name() + " allocator=" + c.allocators().get(a).text();
                if (cell.ok()) {
                    lines.add(String.format(Locale.ROOT, "%s %s=%s peak_rss_mib=%s rel_time=%.2f rel_rss=%.2f runs=%d%s",
                            head, f.key(), SuiteLine.value(f, cell.median()), SuiteLine.mib(cell.peakMedian() * 1024),
                            result.relativeTime(row, a), result.relativeRss(row, a), cell.values().size(),
                            cell.failed() > 0 ? " failed_runs=" + cell.failed() : ""));
                } else {
                    lines.add(head + " FAILED (all " + cell.failed() + " runs): " + firstLine(cell.firstFailure()));
                }
            }
        }
        return lines;
    }

    static String csv(SuiteResult result) {
        StringBuilder sb = new StringBuilder("sequence,workload,family,threads,allocator,run,figure,value,seconds,ops,"
                + "checked,peak_rss_mib,base_rss_mib,wall_s,status,log\n");
        SuiteConfig c = result.config();
        for (SuiteRecord r : result.records()) {
            SuiteJob j = r.job();
            Figure f = j.row().workload().figure();
            List<Object> cells = List.of(r.sequence(), j.row().name(), j.row().workload().name(), j.row().threads(c.n()),
                    c.allocators().get(j.allocator()).text(), j.round(), f.key(), r.value(), r.number("seconds"),
                    r.fields().getOrDefault("ops", ""), r.fields().getOrDefault("checked", ""), r.peakRssMib(),
                    r.baseRssMib(), r.wallSeconds(), r.ok() ? "ok" : "failed: " + firstLine(r.failure()), r.log());
            List<String> text = new ArrayList<>();
            for (Object o : cells) text.add(csvCell(o));
            sb.append(String.join(",", text)).append('\n');
        }
        return sb.toString();
    }

    static String json(SuiteResult result) {
        SuiteConfig c = result.config();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", "suite");
        root.put("rerun", c.rerun());
        root.put("started", result.started().toString());
        root.put("ended", result.ended().toString());
        root.put("complete", result.failures().isEmpty());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("n", c.n());
        config.put("runs", c.runs());
        config.put("scale", c.scale());
        config.put("quick", c.quick());
        config.put("warmup", c.warmup());
        config.put("allocators", c.allocators().stream().map(VariantSpec::text).toList());
        config.put("workloads", c.rows().stream().map(SuiteCase::name).toList());
        config.put("jvm_options", c.jvmOptions());
        root.put("config", config);
        root.put("machine", result.facts());
        List<Object> summary = new ArrayList<>();
        for (SuiteCase row : c.rows()) {
            for (int a = 0; a < c.allocators().size(); a++) {
                SuiteResult.Cell cell = result.cell(row, a);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("workload", row.name());
                m.put("family", row.workload().name());
                m.put("threads", row.threads(c.n()));
                m.put("allocator", c.allocators().get(a).text());
                m.put("figure", row.workload().figure().key());
                m.put("median", cell.median());
                m.put("min", cell.min());
                m.put("max", cell.max());
                m.put("values", cell.values());
                m.put("relative_time", result.relativeTime(row, a));
                m.put("peak_rss_mib", cell.peakMedian());
                m.put("base_rss_mib", cell.baseMedian());
                m.put("relative_rss", result.relativeRss(row, a));
                m.put("runs_ok", cell.values().size());
                m.put("runs_failed", cell.failed());
                if (cell.firstFailure() != null) m.put("failure", cell.firstFailure());
                summary.add(m);
            }
        }
        root.put("summary", summary);
        List<Object> runs = new ArrayList<>();
        for (SuiteRecord r : result.records()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", r.sequence());
            m.put("workload", r.job().row().name());
            m.put("allocator", c.allocators().get(r.job().allocator()).text());
            m.put("run", r.job().round());
            m.put("ok", r.ok());
            m.put("wall_s", r.wallSeconds());
            m.put("fields", new LinkedHashMap<>(r.fields()));
            if (!r.ok()) m.put("failure", r.failure());
            m.put("log", r.log());
            runs.add(m);
        }
        root.put("runs", runs);
        return Json.write(root);
    }

    static String markdown(SuiteResult result) {
        SuiteConfig c = result.config();
        List<VariantSpec> as = c.allocators();
        StringBuilder sb = new StringBuilder("# Allocator suite\n\n");
        if (!result.failures().isEmpty()) {
            sb.append("**").append(result.failures().size()).append(" run(s) failed; see Failures below. The figures"
                    + " cover the runs that passed.**\n\n");
        }
        sb.append(String.format(Locale.ROOT, "Workloads after mimalloc-bench's, N = %d, %s, %d run%s per workload and"
                        + " allocator (every run a fresh JVM, allocators interleaved), %d warm-up pass%s at a tenth of the"
                        + " size inside each JVM before the measured one. Medians; every block written by a workload was"
                        + " checked before it was freed (`docs/suite.md`).%n%n", c.n(),
                c.quick() ? "quick (CI) sizes, scale " + c.scale() : c.scale() == 1 ? "full size" : "scale " + c.scale(),
                c.runs(), c.runs() == 1 ? "" : "s", c.warmup(), c.warmup() == 1 ? "" : "es"));
        sb.append("## Time relative to the best\n\nEach row's figure (time in seconds, or ops/s where the original"
                + " reports a throughput) and, in brackets, the time relative to the best allocator of the row (1.00 ="
                + " the best; for ops/s the inverse ratio).\n\n");
        List<String> head = new ArrayList<>(List.of("workload", "T", "figure"));
        for (VariantSpec a : as) head.add(a.text());
        MarkdownTable t = new MarkdownTable(head);
        for (SuiteCase row : c.rows()) {
            Figure f = row.workload().figure();
            List<String> cells = new ArrayList<>(List.of(row.name(), Integer.toString(row.threads(c.n())), f.heading()));
            for (int a = 0; a < as.size(); a++) {
                SuiteResult.Cell cell = result.cell(row, a);
                cells.add(cell.ok() ? String.format(Locale.ROOT, "%s (%.2f)", human(f, cell.median()),
                        result.relativeTime(row, a)) : "FAILED");
            }
            t.row(cells);
        }
        List<String> geo = new ArrayList<>(List.of("geometric mean", "", "relative time"));
        for (int a = 0; a < as.size(); a++) geo.add(String.format(Locale.ROOT, "%.2f", result.geomeanRelativeTime(a)));
        t.row(geo);
        sb.append(t).append('\n');
        sb.append("## Peak RSS relative to the smallest\n\nPeak resident set of the whole JVM process (VmHWM) in MiB and,"
                + " in brackets, relative to the smallest of the row. The JVM itself takes about the base RSS (measured"
                + " before the workload, last table), the same for every allocator.\n\n");
        MarkdownTable m = new MarkdownTable(rssHead(as));
        for (SuiteCase row : c.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.name(), Integer.toString(row.threads(c.n()))));
            for (int a = 0; a < as.size(); a++) {
                SuiteResult.Cell cell = result.cell(row, a);
                cells.add(cell.ok() ? String.format(Locale.ROOT, "%.1f (%.2f)", cell.peakMedian(),
                        result.relativeRss(row, a)) : "FAILED");
            }
            m.row(cells);
        }
        List<String> geoRss = new ArrayList<>(List.of("geometric mean", ""));
        for (int a = 0; a < as.size(); a++) geoRss.add(String.format(Locale.ROOT, "%.2f", result.geomeanRelativeRss(a)));
        m.row(geoRss);
        sb.append(m).append('\n');
        sb.append("## Chart\n\n![time and peak RSS relative to the best](chart.png)\n\nTop: time relative to the best"
                + " allocator of each workload; bottom: peak RSS relative to the smallest. Bars beyond ")
                .append(String.format(Locale.ROOT, "%.0f", SuiteChart.CAP))
                .append("x are cut and labelled with their value.\n\n");
        sb.append("## Spread and base RSS\n\nMin..max of the runs' figures, their spread ((max - min) / median) and the"
                + " median RSS before the workload started (the JVM's own share).\n\n");
        List<String> sh = new ArrayList<>(List.of("workload", "allocator", "runs", "min..max", "spread", "base RSS MiB"));
        MarkdownTable s = new MarkdownTable(sh);
        for (SuiteCase row : c.rows()) {
            Figure f = row.workload().figure();
            for (int a = 0; a < as.size(); a++) {
                SuiteResult.Cell cell = result.cell(row, a);
                s.row(row.name(), as.get(a).text(), cell.values().size() + (cell.failed() > 0 ? " (+" + cell.failed()
                                + " failed)" : ""), cell.ok() ? human(f, cell.min()) + " .. " + human(f, cell.max()) : "-",
                        cell.ok() ? String.format(Locale.ROOT, "%.1f %%", cell.spreadPct()) : "-",
                        cell.ok() ? String.format(Locale.ROOT, "%.1f", cell.baseMedian()) : "-");
            }
        }
        sb.append(s).append('\n');
        if (!result.failures().isEmpty()) {
            sb.append("## Failures\n\n");
            for (SuiteRecord r : result.failures()) {
                sb.append("- run ").append(r.sequence()).append(" (").append(r.job().row().name()).append(", ")
                        .append(as.get(r.job().allocator()).text()).append(", run ").append(r.job().round())
                        .append("): ").append(firstLine(r.failure())).append(" (log: `").append(r.log()).append("`)\n");
            }
            sb.append('\n');
        }
        sb.append("## Allocators\n\n");
        for (VariantSpec a : as) {
            sb.append("- `").append(a.text()).append("`");
            String described = describedAs(result, as.indexOf(a));
            if (described != null) sb.append(": ").append(described);
            sb.append('\n');
        }
        sb.append("\n## Machine\n\n");
        MarkdownTable facts = new MarkdownTable("fact", "value");
        result.facts().forEach(facts::row);
        facts.row("suite time", formatDuration(Duration.between(result.started(), result.ended())));
        sb.append(facts).append('\n');
        sb.append("## Rerun\n\n```\n").append(c.rerun()).append("\n```\n");
        return sb.toString();
    }

    private static List<String> rssHead(List<VariantSpec> as) {
        List<String> h = new ArrayList<>(List.of("workload", "T"));
        for (VariantSpec a : as) h.add(a.text());
        return h;
    }

    /** The {@code [PEER]} line of the allocator's first passed run, if its log is there. */
    private static String describedAs(SuiteResult result, int allocator) {
        for (SuiteRecord r : result.records()) {
            if (r.job().allocator() != allocator || !r.ok()) continue;
            try {
                for (String line : Files.readAllLines(result.config().out().resolve(r.log()), StandardCharsets.UTF_8)) {
                    if (line.startsWith("[PEER] ")) return line.substring(7);
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
            return null;
        }
        return null;
    }

    /** A figure for people: {@code 1.234 s} or {@code 12.35 M/s}. */
    static String human(Figure f, double v) {
        if (!Double.isFinite(v)) return "-";
        return f == Figure.TIME_S ? String.format(Locale.ROOT, "%.3f s", v) : String.format(Locale.ROOT, "%.2f M/s", v / 1e6);
    }

    private static String formatDuration(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String csvCell(Object v) {
        String s = switch (v) {
            case null -> "";
            case Double d -> Double.isFinite(d) ? new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString() : "";
            default -> v.toString();
        };
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) s = '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }

    private static Path text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
