package dev.hako.lab.echo;

import dev.hako.lab.ab.Summary;
import dev.hako.lab.ab.VariantSpec;
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

/** Writes an echo experiment's folder: report.md, results.csv, results.json and chart.png. */
public final class EchoReport {
    private EchoReport() {}

    /** @return the files written */
    public static List<Path> write(EchoExperiment e) throws IOException {
        Path out = e.config().out();
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        files.add(text(out.resolve("results.csv"), csv(e)));
        files.add(text(out.resolve("results.json"), json(e)));
        if (!e.runs().isEmpty()) {
            Path png = out.resolve("chart.png");
            EchoChart.write(e, png);
            files.add(png);
        }
        files.add(text(out.resolve("report.md"), markdown(e)));
        return files;
    }

    /** The medians table, one row per cell and allocator (also printed at the end of {@code hako echo}). */
    public static String table(EchoExperiment e) {
        MarkdownTable t = new MarkdownTable("cell", "allocator", "runs", "msgs/s", "spread", "MiB/s", "peak RSS MiB",
                "allocator direct MiB", "GCs", "msgs/s vs pooled", "RSS vs pooled");
        int pooled = e.config().plain(dev.hako.lab.peers.NettyPeer.POOLED);
        List<VariantSpec> vs = e.config().variants();
        for (EchoExperiment.Cell cell : e.config().cells()) {
            for (int v = 0; v < vs.size(); v++) {
                Summary msgs = e.summary(cell, v, EchoLine::msgsPerS);
                if (msgs.n() == 0) continue;
                Summary rss = e.summary(cell, v, EchoLine::peakRssMib);
                String dm = "-", dr = "-";
                if (pooled >= 0 && pooled != v && e.summary(cell, pooled, EchoLine::msgsPerS).n() > 0) {
                    dm = pct(msgs.deltaPctOver(e.summary(cell, pooled, EchoLine::msgsPerS)));
                    dr = pct(rss.deltaPctOver(e.summary(cell, pooled, EchoLine::peakRssMib)));
                }
                t.row(cell.label(), vs.get(v).text(), Integer.toString(msgs.n()), fixed(msgs.median(), 0),
                        Double.isFinite(msgs.spreadPct()) ? fixed(msgs.spreadPct(), 1) + " %" : "-",
                        fixed(e.summary(cell, v, EchoLine::mibPerS).median(), 1), fixed(rss.median(), 1),
                        fixed(e.summary(cell, v, EchoLine::directMib).median(), 1),
                        fixed(e.summary(cell, v, l -> l.gcs()).median(), 0), dm, dr);
            }
        }
        return t.toString();
    }

    static String markdown(EchoExperiment e) {
        EchoExperiment.Config c = e.config();
        StringBuilder sb = new StringBuilder("# echo: ");
        sb.append(String.join(", ", c.variants().stream().map(v -> "`" + v.text() + "`").toList())).append("\n\n");
        if (!e.complete()) {
            sb.append("**Incomplete: the experiment stopped after a failed run; the figures cover the runs that"
                    + " finished.**\n\n");
        }
        sb.append(String.format(Locale.ROOT, "Connections %s, message sizes %s bytes, %s s measured after %s s of"
                        + " warm-up, %d run(s) per allocator and cell, each in its own JVM, interleaved.%n%n",
                join(c.connections()), join(c.sizes()), num(c.seconds()), num(c.warmup()), c.runs()));
        List<EchoTarget> targets = EchoTarget.judge(e);
        if (!targets.isEmpty()) {
            sb.append("## Target: netty-hako at least pooled's throughput and a lower peak RSS\n\n");
            for (EchoTarget t : targets) sb.append("- ").append(t.line(e)).append('\n');
            sb.append('\n');
        }
        sb.append("## Medians\n\n").append(table(e)).append('\n');
        sb.append("msgs/s: round trips per second over all connections; spread: (max - min) / median of the runs;"
                + " MiB/s: payload echoed per second (msgs/s x size, counted once); peak RSS: the JVM's VmHWM at the"
                + " end of the run (heap, Netty, allocator); allocator direct: the allocator's own usedDirectMemory"
                + " at the end of the window (for netty-hako: Hako's committed plus large-block bytes); GCs: garbage"
                + " collections in the window (the heap garbage an allocator makes shows here and in throughput).\n\n");
        sb.append("## Chart\n\n![throughput and peak RSS per cell](chart.png)\n\nTop row: thousand messages per second"
                + " (axis from zero); bottom row: peak RSS in MiB (axis fitted to the values). Points are runs, bars"
                + " medians.\n\n");
        sb.append("## Method\n\n").append(String.format(Locale.ROOT, "Server: 1 acceptor, %d NIO event loops and %d"
                        + " worker threads; each request is read into a buffer the event loop allocates, a worker"
                        + " allocates the reply, copies, releases the request and writes the reply, which the event"
                        + " loop releases (frees on foreign threads both ways). Clients: %d NIO event loops; each"
                        + " connection has one message in flight and sends the next when the whole echo is back."
                        + " Loopback TCP, TCP_NODELAY. Every buffer comes from the allocator under test; leak"
                        + " detection off. Java heap of every run: %s. Other JVM options: %s.%n%n", EchoPipeline.SERVER_LOOPS,
                EchoPipeline.SERVER_WORKERS, EchoPipeline.CLIENT_LOOPS,
                c.heap().equals(EchoCommand.JVM_DEFAULT_HEAP) ? "the JVM's default sizing (--heap default)"
                        : "fixed at " + c.heap() + " and pre-touched (-Xms = -Xmx, -XX:+AlwaysPreTouch), so peak"
                        + " RSS differences are the memory held beyond the heap (allocators, thread stacks, code)",
                c.jvmOptions().isEmpty() ? "none beyond the lab's" : "`" + String.join(" ", c.jvmOptions()) + "`"));
        sb.append("## Machine and JDK\n\n");
        MarkdownTable facts = new MarkdownTable("fact", "value");
        e.facts().forEach(facts::row);
        sb.append(facts).append('\n');
        sb.append("## Rerun\n\n```bash\n").append(c.rerun()).append("\n```\n\n");
        sb.append("Files: `results.csv`, `results.json` (every run), `chart.png`, `runs/*.log` (each JVM's output).\n");
        return sb.toString();
    }

    static String csv(EchoExperiment e) {
        StringBuilder sb = new StringBuilder("sequence,round,allocator,connections,size,msgs_per_s,mib_per_s,"
                + "peak_rss_mib,direct_mib,gcs,gc_ms,messages,seconds,wall_s,log\n");
        for (EchoExperiment.Run r : e.runs()) {
            EchoLine l = r.line();
            sb.append(String.join(",", Integer.toString(r.sequence()), Integer.toString(r.round()),
                    e.config().variants().get(r.variant()).text(), Integer.toString(l.connections()),
                    Integer.toString(l.size()), num(l.msgsPerS()), num(l.mibPerS()), num(l.peakRssMib()),
                    num(l.directMib()), Long.toString(l.gcs()), Long.toString(l.gcMillis()), Long.toString(l.messages()), num(l.seconds()), num(r.wallSeconds()), r.log()))
                    .append('\n');
        }
        return sb.toString();
    }

    static String json(EchoExperiment e) {
        EchoExperiment.Config c = e.config();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", "echo");
        root.put("complete", e.complete());
        root.put("rerun", c.rerun());
        root.put("facts", e.facts());
        root.put("connections", c.connections());
        root.put("sizes", c.sizes());
        root.put("seconds", c.seconds());
        root.put("warmup_seconds", c.warmup());
        root.put("runs_per_cell", c.runs());
        root.put("heap", c.heap());
        root.put("jvm_options", c.jvmOptions());
        root.put("allocators", c.variants().stream().map(VariantSpec::text).toList());
        List<Object> cells = new ArrayList<>();
        for (EchoExperiment.Cell cell : c.cells()) {
            for (int v = 0; v < c.variants().size(); v++) {
                if (e.runs(cell, v).isEmpty()) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("connections", cell.connections());
                m.put("size", cell.size());
                m.put("allocator", c.variants().get(v).text());
                m.put("msgs_per_s", summary(e.summary(cell, v, EchoLine::msgsPerS)));
                m.put("mib_per_s", summary(e.summary(cell, v, EchoLine::mibPerS)));
                m.put("peak_rss_mib", summary(e.summary(cell, v, EchoLine::peakRssMib)));
                m.put("direct_mib", summary(e.summary(cell, v, EchoLine::directMib)));
                m.put("gcs", summary(e.summary(cell, v, l -> l.gcs())));
                cells.add(m);
            }
        }
        root.put("cells", cells);
        List<Object> targets = new ArrayList<>();
        for (EchoTarget t : EchoTarget.judge(e)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("allocator", c.variants().get(t.variant()).text());
            m.put("connections", t.cell().connections());
            m.put("size", t.cell().size());
            m.put("msgs_delta_pct_vs_pooled", t.msgsDeltaPct());
            m.put("rss_delta_pct_vs_pooled", t.rssDeltaPct());
            m.put("met", t.met());
            targets.add(m);
        }
        root.put("target", targets);
        List<Object> runs = new ArrayList<>();
        for (EchoExperiment.Run r : e.runs()) {
            EchoLine l = r.line();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", r.sequence());
            m.put("round", r.round());
            m.put("allocator", c.variants().get(r.variant()).text());
            m.put("connections", l.connections());
            m.put("size", l.size());
            m.put("msgs_per_s", l.msgsPerS());
            m.put("mib_per_s", l.mibPerS());
            m.put("peak_rss_mib", l.peakRssMib());
            m.put("direct_mib", l.directMib());
            m.put("gcs", l.gcs());
            m.put("gc_ms", l.gcMillis());
            m.put("messages", l.messages());
            m.put("seconds", l.seconds());
            m.put("wall_s", r.wallSeconds());
            m.put("log", r.log());
            runs.add(m);
        }
        root.put("runs", runs);
        return Json.write(root);
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

    private static String join(List<Integer> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f %%", v) : "-";
    }

    private static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    /** A number as written in CSV and prose: no trailing zeros. */
    static String num(double v) {
        if (!Double.isFinite(v)) return "";
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static Path text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
