package dev.hako.lab.vthreads;

import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.report.MachineFacts;
import dev.hako.lab.report.MarkdownTable;
import dev.hako.lab.suite.SuitePeers;
import dev.hako.lab.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code hako vthreads}: the same tasks on virtual threads and on a pool of platform threads, per allocator, each
 * (allocator, mode) in a fresh JVM, allocators alternating run by run, medians over runs.
 */
@Command(name = "vthreads", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"Virtual threads against platform threads: TASKS tasks, each OPS random operations on a"
                + " working set of SLOTS blocks (an empty slot gets malloc(MIN..MAX) and a mark in its first word, a"
                + " full one has its mark checked and is freed). Mode 'virtual' runs one virtual thread per task on"
                + " CARRIERS carriers (-Djdk.virtualThreadScheduler.parallelism), mode 'platform' runs the same"
                + " tasks on a pool of CARRIERS platform threads. Figure: operations per second of wall time after"
                + " an unmeasured warm-up of the same kind.",
                "Every (allocator, mode) runs in a fresh JVM; the allocators alternate run by run. Hako runs as a new"
                        + " user would call it: Hako.malloc/Hako.free (--api heap: a Hako.heap() handle per task),"
                        + " and is audited after the run (every block accounted for). Other allocators: the lab's"
                        + " peers (glibc, jemalloc, mimalloc, native:PATH). Prints a table, writes report.md and"
                        + " results.csv to --out."},
        footer = {"", "  ./hako vthreads                                        # hako and glibc, the issue's shape",
                "  ./hako vthreads --allocators hako,hako:hako.virtual=0,glibc --runs 5",
                "  ./hako vthreads --tasks 100000 --ops 100               # many short-lived threads",
                "Exit code 0 when every run measured and was sound, 1 when a run failed, 2 on bad arguments."})
public final class VthreadsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--allocators", paramLabel = "LIST", defaultValue = "hako,glibc",
            description = "allocators, comma-separated A/B specs, e.g. hako:hako.virtual=0,hako.shared=8 (default"
                    + " ${DEFAULT-VALUE}); also jemalloc, mimalloc, native:/path/lib.so[:MALLOC:FREE];"
                    + " build=DIR runs another build's lab/target (one with this command)")
    String allocators;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", defaultValue = "virtual,platform",
            description = "virtual and/or platform (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--tasks", defaultValue = "1000", description = "tasks (default ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--ops", defaultValue = "200000", description = "operations per task (default ${DEFAULT-VALUE})")
    int ops;

    @Option(names = "--slots", defaultValue = "32", description = "working set per task (default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--min", defaultValue = "16", description = "smallest request (default ${DEFAULT-VALUE})")
    int min;

    @Option(names = "--max", defaultValue = "1039", description = "largest request (default ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--carriers", defaultValue = "0",
            description = "carrier threads and platform pool size (default 0: the processors)")
    int carriers;

    @Option(names = "--warmup-ops", defaultValue = "20000000", paramLabel = "N",
            description = "operations of unmeasured tasks first, in whole tasks (default ${DEFAULT-VALUE})")
    long warmupOps;

    @Option(names = "--api", defaultValue = "static", description = "Hako's API: static or heap (default ${DEFAULT-VALUE})")
    String api;

    @Option(names = "--runs", defaultValue = "3", description = "JVMs per (allocator, mode) (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "an option for every forked JVM (repeatable)")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/vthreads-<time>)")
    Path out;

    @Option(names = "--in-jvm", description = "measure ALLOCATOR (a plain name) in MODE in this JVM and print one"
            + " [VTHREADS] line: what each forked JVM runs")
    boolean inJvm;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<VariantSpec> specs;
        try {
            specs = SuitePeers.parse(List.of(allocators));
            for (String m : modes) {
                if (!m.equals(VthreadsRun.VIRTUAL) && !m.equals(VthreadsRun.PLATFORM)) {
                    throw new IllegalArgumentException("mode must be virtual or platform, was '" + m + "'");
                }
            }
            if (tasks <= 0 || ops <= 0 || slots <= 0) throw new IllegalArgumentException("--tasks, --ops and --slots must be positive");
            if (min <= 0 || max < min) throw new IllegalArgumentException("need 0 < --min <= --max");
            if (max < 8) throw new IllegalArgumentException("--max must be >= 8 (each block gets an 8-byte mark)");
            if (min < 8) throw new IllegalArgumentException("--min must be >= 8 (each block gets an 8-byte mark)");
            if (carriers < 0 || runs <= 0 || warmupOps < 0) {
                throw new IllegalArgumentException("--carriers and --warmup-ops must be >= 0, --runs positive");
            }
            if (!api.equals("static") && !api.equals("heap")) throw new IllegalArgumentException("--api is static or heap");
            if (inJvm && (specs.size() != 1 || !specs.getFirst().properties().isEmpty() || modes.size() != 1)) {
                throw new IllegalArgumentException("--in-jvm measures one plain allocator in one mode");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "vthreads: " + e.getMessage());
        }
        int c = carriers > 0 ? carriers : Runtime.getRuntime().availableProcessors();
        PrintWriter stdout = spec.commandLine().getOut();
        VthreadsRun.Shape shape = new VthreadsRun.Shape(tasks, ops, slots, min, max, warmupOps);
        if (inJvm) {
            VthreadsRun r = VthreadsRun.measure(specs.getFirst().allocator(), modes.getFirst(), c, api, shape);
            stdout.println(r.line());
            stdout.flush();
            return r.sound() ? 0 : 1;
        }
        return fork(specs, c, stdout, spec.commandLine().getErr());
    }

    record Result(VariantSpec spec, VthreadsRun run) {}

    private int fork(List<VariantSpec> specs, int c, PrintWriter stdout, PrintWriter err)
            throws IOException, InterruptedException {
        Path dir = out != null ? out : ResultsFolder.fresh("vthreads");
        Map<String, String> facts = MachineFacts.collect(Path.of(System.getProperty("hako.home", ".")));
        JvmCommand jvm = JvmCommand.current();
        RunExecutor executor = new ForkedJvm();
        List<Result> results = new ArrayList<>();
        int total = runs * specs.size() * modes.size();
        int done = 0;
        err.printf("vthreads: %d JVMs (%d runs x %d allocators x %d modes); report in %s%n", total, runs, specs.size(),
                modes.size(), dir);
        for (int run = 1; run <= runs; run++) {
            // Alternate the order run by run, so a drift in the machine's load does not favour one side.
            List<VariantSpec> order = run % 2 == 0 ? new ArrayList<>(specs).reversed() : specs;
            for (VariantSpec s : order) {
                for (String mode : modes) {
                    List<String> options = new ArrayList<>(jvmOptions);
                    options.add("-Djdk.virtualThreadScheduler.parallelism=" + c);
                    List<String> args = List.of("vthreads", "--in-jvm", "--allocators", s.allocator(), "--modes", mode,
                            "--tasks", Integer.toString(tasks), "--ops", Integer.toString(ops), "--slots",
                            Integer.toString(slots), "--min", Integer.toString(min), "--max", Integer.toString(max),
                            "--carriers", Integer.toString(c), "--warmup-ops", Long.toString(warmupOps), "--api", api);
                    Path log = dir.resolve("runs").resolve(String.format(Locale.ROOT, "run%d-%s-%s.log", run,
                            s.text().replaceAll("[^A-Za-z0-9_.=-]", "_"), mode));
                    // build=DIR: another build of the lab (one that has this command), for before/after of a change
                    JvmCommand build = s.build() == null ? jvm
                            : new JvmCommand(jvm.java(), s.build() + "/hako-lab.jar:" + s.build() + "/lib/*");
                    RunExecutor.Execution e = executor.execute(build.command(options, s.properties(), args), log, 3600);
                    var r = VthreadsRun.parse(e.output());
                    if (e.exitCode() != 0 || r.isEmpty()) {
                        err.println("vthreads: run failed (exit " + e.exitCode() + "), see " + log);
                        return 1;
                    }
                    results.add(new Result(s, r.get()));
                    done++;
                    err.printf(Locale.ROOT, "vthreads: [%d/%d] run %d %-28s %-8s %8.1f M ops/s  %s%n", done, total, run,
                            s.text(), mode, r.get().opsPerSecond() / 1e6, r.get().hako());
                    err.flush();
                }
            }
        }
        facts.put("load at end", MachineFacts.loadAverage());
        String table = table(specs, results);
        stdout.print(table);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(results));
        Files.writeString(dir.resolve("report.md"), report(table, facts, c));
        stdout.println("report: " + dir.resolve("report.md"));
        return 0;
    }

    /** Per allocator: the median of each mode (M ops/s), virtual over platform, and virtual over the first peer's. */
    String table(List<VariantSpec> specs, List<Result> results) {
        boolean both = modes.contains(VthreadsRun.VIRTUAL) && modes.contains(VthreadsRun.PLATFORM);
        VariantSpec peer = specs.stream().filter(s -> !s.isHako()).findFirst().orElse(null);
        List<String> header = new ArrayList<>(List.of("allocator"));
        for (String m : modes) header.add(m + " M ops/s (min-max)");
        if (both) header.add("virtual / platform");
        if (peer != null && modes.contains(VthreadsRun.VIRTUAL)) header.add("virtual / " + peer.text() + " virtual");
        header.add("peak RSS MiB (virtual)");
        MarkdownTable t = new MarkdownTable(header);
        for (VariantSpec s : specs) {
            List<String> row = new ArrayList<>(List.of(s.text()));
            for (String m : modes) {
                double[] v = values(results, s, m, VthreadsRun::opsPerSecond);
                row.add(String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(v) / 1e6, v[0] / 1e6,
                        v[v.length - 1] / 1e6));
            }
            if (both) {
                row.add(String.format(Locale.ROOT, "%.2f", median(values(results, s, VthreadsRun.VIRTUAL,
                        VthreadsRun::opsPerSecond)) / median(values(results, s, VthreadsRun.PLATFORM,
                        VthreadsRun::opsPerSecond))));
            }
            if (peer != null && modes.contains(VthreadsRun.VIRTUAL)) {
                row.add(String.format(Locale.ROOT, "%.2f", median(values(results, s, VthreadsRun.VIRTUAL,
                        VthreadsRun::opsPerSecond)) / median(values(results, peer, VthreadsRun.VIRTUAL,
                        VthreadsRun::opsPerSecond))));
            }
            String rssMode = modes.contains(VthreadsRun.VIRTUAL) ? VthreadsRun.VIRTUAL : modes.getFirst();
            row.add(String.format(Locale.ROOT, "%.0f", median(values(results, s, rssMode, VthreadsRun::peakRssMib))));
            t.row(row);
        }
        return t.toString();
    }

    private static double[] values(List<Result> results, VariantSpec s, String mode, ToDoubleFunction<VthreadsRun> f) {
        double[] v = results.stream().filter(r -> r.spec().equals(s) && r.run().mode().equals(mode))
                .mapToDouble(r -> f.applyAsDouble(r.run())).toArray();
        Arrays.sort(v);
        return v;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private String command() {
        return "./hako vthreads --allocators " + allocators + " --modes " + String.join(",", modes)
                + " --tasks " + tasks + " --ops " + ops + " --slots " + slots + " --min " + min + " --max " + max
                + (carriers > 0 ? " --carriers " + carriers : "") + " --warmup-ops " + warmupOps + " --api " + api
                + " --runs " + runs + jvmOptions.stream().map(o -> " --jvm-opt " + o).reduce("", String::concat);
    }

    private String report(String table, Map<String, String> facts, int c) {
        StringBuilder sb = new StringBuilder("# Virtual threads against platform threads\n\n");
        sb.append("Command: `").append(command()).append("`\n\n");
        sb.append("Median over ").append(runs).append(" fresh JVMs per (allocator, mode), min-max in brackets; ")
                .append(c).append(" carriers and a pool of ").append(c).append(" platform threads. Higher is better.\n\n");
        sb.append(table).append('\n');
        MarkdownTable f = new MarkdownTable("fact", "value");
        facts.forEach(f::row);
        sb.append(f);
        return sb.toString();
    }

    private static String csv(List<Result> results) {
        StringBuilder sb = new StringBuilder("allocator,mode,carriers,tasks,ops,ops_per_s,time_s,peak_rss_mib,corrupt,hako\n");
        for (Result r : results) {
            VthreadsRun v = r.run();
            sb.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%d,%d,%.0f,%.3f,%.1f,%d,%s%n", r.spec().text(), v.mode(),
                    v.carriers(), v.tasks(), v.ops(), v.opsPerSecond(), v.seconds(), v.peakRssMib(), v.corrupt(),
                    v.hako().replace(',', ';')));
        }
        return sb.toString();
    }
}
