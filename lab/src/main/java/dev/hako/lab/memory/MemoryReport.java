package dev.hako.lab.memory;

import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.report.Json;
import dev.hako.lab.report.MarkdownTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report folder of {@code hako memory}: report.md (Hako against the targets, every run's line, a chart
 * per scenario, Hako's gauges), results.csv and results.json (every run), samples.csv (every sample) and
 * {@code rss-SCENARIO.png}.
 */
final class MemoryReport {
    private MemoryReport() {}

    static final String COMMITTED_SOURCES = "hako: Hako's committed gauge (arena made read-write; decommitted pages"
            + " included); glibc: mallinfo2 arena+hblkhd (the JVM's own malloc use included); jemalloc: stats.mapped;"
            + " mimalloc: mi_process_info current_commit";

    /** @return the files written */
    static List<Path> write(Path dir, MemorySession.Config c, Map<String, String> facts, List<MemoryRun> runs,
                            List<Targets.Verdict> verdicts) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Scenario s : c.scenarios()) {
            List<MemoryRun> of = runs.stream().filter(r -> r.scenario() == s).toList();
            if (of.isEmpty()) continue;
            Path png = dir.resolve(chartName(s));
            MemoryChart.write(s, of, Targets.of(c.sizes()).stream().filter(t -> t.scenario() == s).toList(), png);
            files.add(png);
        }
        files.add(text(dir.resolve("results.csv"), csv(runs)));
        files.add(text(dir.resolve("samples.csv"), samplesCsv(runs)));
        files.add(text(dir.resolve("results.json"), json(c, facts, runs, verdicts)));
        files.add(text(dir.resolve("report.md"), markdown(c, facts, runs, verdicts)));
        return files;
    }

    static String chartName(Scenario s) {
        return "rss-" + s.id() + ".png";
    }

    /** Hako's figures against the targets: what the terminal gets at the end, and the report's first table. */
    static String targetsTable(List<Targets.Verdict> verdicts, Sizes sizes) {
        MarkdownTable t = new MarkdownTable("scenario", "target (issue 8)", "hako, MiB above baseline (median)",
                "status");
        for (Targets.Verdict v : verdicts) {
            String limit = Double.isNaN(v.limitMib()) ? "" : String.format(Locale.ROOT, " (limit %.1f)", v.limitMib());
            t.row(v.target().scenario().id(), v.target().text(), String.format(Locale.ROOT, "%s %s%s",
                    v.target().figure().label(), mib(v.hakoMib()), limit), v.statusText());
        }
        String note = sizes == Sizes.FULL ? "" : "(sizes '" + sizes.name() + "': scaled down, so the targets are easy"
                + " to meet; only the full sizes judge the allocator)\n";
        return t + note;
    }

    static String markdown(MemorySession.Config c, Map<String, String> facts, List<MemoryRun> runs,
                           List<Targets.Verdict> verdicts) {
        StringBuilder sb = new StringBuilder("# Memory over time\n\n");
        sb.append("`").append(c.commandLine()).append("`\n\n");
        sb.append("Sizes ").append(c.sizes().describe()).append(". Every scenario ran in a fresh JVM per allocator");
        if (c.runs() > 1) sb.append(" and run (").append(c.runs()).append(" runs, allocators interleaved)");
        sb.append(".\n\n");
        if (!verdicts.isEmpty()) sb.append("## Hako against the issue's targets\n\n").append(targetsTable(verdicts, c.sizes()))
                .append('\n');
        sb.append("## Runs\n\nResident set (VmRSS) in MiB: absolute, and above the run's baseline in brackets.\n\n");
        MarkdownTable t = new MarkdownTable("scenario", "allocator", "run", "baseline", "peak", "after 1 s", "after 5 s",
                "after trim", "committed peak", "work s", "M it/s");
        for (MemoryRun r : runs) {
            MemoryLine l = r.line();
            t.row(r.scenario().id(), r.allocator(), Integer.toString(r.run()), mib(l.baselineMib()),
                    withDelta(l, l.peakMib()), withDelta(l, l.after1sMib()), withDelta(l, l.after5sMib()),
                    withDelta(l, l.afterTrimMib()), Double.isNaN(l.committedPeakMib()) ? "na" : mib(l.committedPeakMib()),
                    String.format(Locale.ROOT, "%.2f", l.workSeconds()),
                    Double.isNaN(l.itersPerSecond()) ? "" : String.format(Locale.ROOT, "%.2f", l.itersPerSecond() / 1e6));
        }
        sb.append(t).append("\nThe lines as printed:\n\n```text\n");
        runs.forEach(r -> sb.append(r.line().format()).append('\n'));
        sb.append("```\n\n## Charts\n\nResident set above the baseline against the time since the work ended (the"
                + " work runs at negative times); dashed lines are the targets for Hako's figures.\n\n");
        for (Scenario s : c.scenarios()) {
            if (runs.stream().noneMatch(r -> r.scenario() == s)) continue;
            sb.append("### ").append(s.id()).append("\n\n").append(s.description()).append(".\n\n![").append(s.id())
                    .append("](").append(chartName(s)).append(")\n\n");
        }
        List<MemoryRun> hako = runs.stream().filter(r -> r.allocator().equals(HakoPeer.NAME)).toList();
        if (!hako.isEmpty()) {
            sb.append("## Hako's gauges\n\nWhere Hako's memory was at each checkpoint (`HakoStats.line()`): live, in"
                    + " thread caches, free in owners' pages, pooled (resident), decommitted, committed; returned is"
                    + " cumulative.\n\n```text\n");
            for (MemoryRun r : hako) {
                sb.append("# ").append(r.scenario().id()).append(" run ").append(r.run()).append('\n');
                r.gauges().forEach(g -> sb.append(g).append('\n'));
            }
            sb.append("```\n\n");
        }
        sb.append("""
                ## How it was measured

                - Baseline: the resident set after the allocator is set up, a `System.gc()` and 300 ms of rest, just \
                before the work starts; `VmHWM` is reset there (`/proc/self/clear_refs`).
                - Peak: the larger of `VmHWM` and the largest sample. A sampler thread reads `VmRSS` every 50 ms.
                - After 1 s / 5 s: that long after the work ended (its last free), every thread of the scenario idle.
                - After trim (Hako only): right after `trim()`, called from the scenario's main thread after the 5 s.
                - Committed peak: the largest sample of each allocator's own count: %s.
                - Blocks are chained through their first word (no Java array of addresses) and every 4 KiB page of a \
                block is written. No thread closes its heap.

                """.formatted(COMMITTED_SOURCES));
        sb.append("## Machine and JDK\n\n");
        MarkdownTable m = new MarkdownTable("fact", "value");
        facts.forEach(m::row);
        if (!c.jvmOptions().isEmpty()) m.row("JVM options", String.join(" ", c.jvmOptions()));
        sb.append(m).append("\nFiles: `results.csv`, `results.json` (every run), `samples.csv` (every sample),"
                + " `rss-*.png`, `runs/*.log` (each JVM's output) and `runs/*.samples.csv`.\n");
        return sb.toString();
    }

    static String csv(List<MemoryRun> runs) {
        StringBuilder sb = new StringBuilder("scenario,allocator,run,baseline_mib,peak_mib,after_1s_mib,after_5s_mib,"
                + "after_trim_mib,committed_peak_mib,work_s,iters_per_s,peak_above_mib,after_1s_above_mib,"
                + "after_5s_above_mib,after_trim_above_mib,jvm_wall_s,log\n");
        for (MemoryRun r : runs) {
            MemoryLine l = r.line();
            List<String> cells = List.of(r.scenario().id(), r.allocator(), Integer.toString(r.run()), num(l.baselineMib()),
                    num(l.peakMib()), num(l.after1sMib()), num(l.after5sMib()), num(l.afterTrimMib()),
                    num(l.committedPeakMib()), num(l.workSeconds()), num(l.itersPerSecond()),
                    num(Targets.Figure.PEAK.of(l)), num(Targets.Figure.AFTER_1S.of(l)), num(Targets.Figure.AFTER_5S.of(l)),
                    num(Targets.Figure.AFTER_TRIM.of(l)), num(r.wallSeconds()), r.log());
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    static String samplesCsv(List<MemoryRun> runs) {
        StringBuilder sb = new StringBuilder("scenario,allocator,run,t_ms,s_from_work_end,rss_mib,rss_above_baseline_mib,"
                + "committed_mib\n");
        for (MemoryRun r : runs) {
            Samples s = r.samples();
            long end = s.mark(Samples.WORK_END);
            for (int i = 0; i < s.size(); i++) {
                double rss = s.rssKb()[i] / 1024.0;
                sb.append(r.scenario().id()).append(',').append(r.allocator()).append(',').append(r.run()).append(',')
                        .append(s.tMs()[i]).append(',').append(num((s.tMs()[i] - end) / 1000.0)).append(',')
                        .append(num(rss)).append(',').append(num(rss - r.line().baselineMib())).append(',')
                        .append(s.committedKb()[i] < 0 ? "" : num(s.committedKb()[i] / 1024.0)).append('\n');
            }
        }
        return sb.toString();
    }

    static String json(MemorySession.Config c, Map<String, String> facts, List<MemoryRun> runs,
                       List<Targets.Verdict> verdicts) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", c.commandLine());
        root.put("sizes", c.sizes().describe());
        root.put("runs_per_allocator", c.runs());
        root.put("jvm_options", c.jvmOptions());
        root.put("machine", facts);
        root.put("committed_sources", COMMITTED_SOURCES);
        List<Object> targets = new ArrayList<>();
        for (Targets.Verdict v : verdicts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", v.target().scenario().id());
            m.put("figure", v.target().figure().label());
            m.put("target", v.target().text());
            m.put("limit_mib", v.limitMib());
            m.put("hako_median_mib", v.hakoMib());
            m.put("status", v.status().name().toLowerCase(Locale.ROOT));
            targets.add(m);
        }
        root.put("targets", targets);
        List<Object> list = new ArrayList<>();
        for (MemoryRun r : runs) {
            MemoryLine l = r.line();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.scenario().id());
            m.put("allocator", r.allocator());
            m.put("run", r.run());
            m.put("line", l.format());
            m.put("baseline_mib", l.baselineMib());
            m.put("peak_mib", l.peakMib());
            m.put("after_1s_mib", l.after1sMib());
            m.put("after_5s_mib", l.after5sMib());
            m.put("after_trim_mib", l.afterTrimMib());
            m.put("committed_peak_mib", l.committedPeakMib());
            m.put("work_s", l.workSeconds());
            m.put("iters_per_s", l.itersPerSecond());
            m.put("jvm_wall_s", r.wallSeconds());
            m.put("log", r.log());
            m.put("gauges", r.gauges());
            list.add(m);
        }
        root.put("runs", list);
        return Json.write(root);
    }

    private static String withDelta(MemoryLine l, double v) {
        if (Double.isNaN(v)) return "";
        return String.format(Locale.ROOT, "%.1f (%+.1f)", v, v - l.baselineMib());
    }

    private static String mib(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "") : "";
    }

    private static Path text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
