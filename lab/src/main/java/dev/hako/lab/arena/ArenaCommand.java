package dev.hako.lab.arena;

import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.report.MachineFacts;
import dev.hako.lab.report.MarkdownTable;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code hako arena}: the arena workload ({@link ArenaWorkload}) for Hako's and the JDK's arenas, each (arena, size)
 * in a fresh JVM, the arenas alternating within a run, medians over runs, and the ratio of each arena's cost to
 * {@code jdk-confined}'s.
 */
@Command(name = "arena", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"Arena workload, same thread: open an arena, allocate COUNT structs (8-byte aligned), write a word"
                + " into each and keep it, close the arena. Figures: ns per allocation, the arena's open and close"
                + " spread over its COUNT allocations, by the wall clock and by the thread's CPU time (median of"
                + " ~50 ms batches in a JVM, then median over runs).",
                "Every (arena, size) runs in a fresh JVM; within a run the arenas alternate. Prints a table, and writes"
                        + " report.md and results.csv to --out.",
                "Arenas: hako-confined, hako-confined-uninit (allocateUninitialized: no zeroing), hako-shared,"
                        + " jdk-confined (the JDK's Arena.ofConfined), jdk-shared, jdk-auto (never closed; the GC's"
                        + " cleaner frees it off the measured thread), floor (scope-bound slices of one block: a JDK"
                        + " arena and a segment per allocation, no memory management; with it, a third table gives"
                        + " each arena's CPU cost over the floor)."},
        footer = {"", "  ./hako arena --sizes 16,64,256,16-256 --count 100 --runs 5",
                "Exit code 0 when every run measured, 1 when a run failed, 2 on bad arguments."})
public final class ArenaCommand implements Callable<Integer> {
    static final String DEFAULT_ARENAS = "floor,hako-confined,hako-shared,jdk-confined,jdk-shared,jdk-auto";
    private static final String BASELINE = "jdk-confined";

    @Spec
    CommandSpec spec;

    @Option(names = "--arenas", split = ",", paramLabel = "NAME", defaultValue = DEFAULT_ARENAS,
            description = "arenas to measure (default ${DEFAULT-VALUE})")
    List<String> arenas;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE", defaultValue = "16,64,256,16-256",
            description = "struct sizes: N bytes, or MIN-MAX drawn uniformly in steps of 8 (default ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--count", defaultValue = "100", description = "allocations per arena (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--runs", defaultValue = "3", description = "JVMs per (arena, size) (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup-ms", defaultValue = "1000", paramLabel = "MS",
            description = "unmeasured work in each JVM first (default ${DEFAULT-VALUE})")
    long warmupMillis;

    @Option(names = "--measure-ms", defaultValue = "1000", paramLabel = "MS",
            description = "measured work in each JVM (default ${DEFAULT-VALUE})")
    long measureMillis;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/arena-<time>)")
    Path out;

    @Option(names = "--in-jvm", description = "measure in this JVM and print one [ARENA] line per (arena, size) (what"
            + " each forked JVM runs); with several arenas the workload's calls are no longer monomorphic")
    boolean inJvm;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<ArenaKind> kinds = new ArrayList<>();
        try {
            for (String a : arenas) {
                ArenaKind k = ArenaKind.of(a);
                if (kinds.contains(k)) throw new IllegalArgumentException("arena '" + a + "' given twice");
                kinds.add(k);
            }
            for (String s : sizes) ArenaWorkload.sizes(s, 1);
            if (count <= 0) throw new IllegalArgumentException("--count must be positive, was " + count);
            if (runs <= 0) throw new IllegalArgumentException("--runs must be positive, was " + runs);
            if (warmupMillis < 0 || measureMillis <= 0) {
                throw new IllegalArgumentException("--warmup-ms must be >= 0 and --measure-ms > 0");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "arena: " + e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (inJvm) {
            for (ArenaKind k : kinds) {
                for (String s : sizes) {
                    stdout.println(ArenaMeasurement.run(k, s, count, warmupMillis, measureMillis).line());
                    stdout.flush();
                }
            }
            return 0;
        }
        return fork(kinds, stdout, spec.commandLine().getErr());
    }

    private int fork(List<ArenaKind> kinds, PrintWriter stdout, PrintWriter err) throws IOException, InterruptedException {
        Path dir = out != null ? out : ResultsFolder.fresh("arena");
        Map<String, String> facts = MachineFacts.collect(Path.of(System.getProperty("hako.home", ".")));
        JvmCommand jvm = JvmCommand.current();
        RunExecutor executor = new ForkedJvm();
        List<ArenaMeasurement> results = new ArrayList<>();
        int total = runs * sizes.size() * kinds.size();
        int done = 0;
        err.printf("arena: %d JVMs (%d runs x %d sizes x %d arenas); report in %s%n", total, runs, sizes.size(),
                kinds.size(), dir);
        for (int run = 1; run <= runs; run++) {
            for (String size : sizes) {
                // Alternate the order run by run, so a drift in the machine's load does not favour one arena.
                List<ArenaKind> order = new ArrayList<>(kinds);
                if (run % 2 == 0) order = order.reversed();
                for (ArenaKind kind : order) {
                    List<String> cmd = new ArrayList<>(List.of(jvm.java(), "--enable-native-access=ALL-UNNAMED"));
                    cmd.addAll(hakoProperties());
                    cmd.addAll(List.of("-cp", jvm.classpath(), JvmCommand.MAIN_CLASS, "arena", "--in-jvm", "--arenas",
                            kind.label, "--sizes", size, "--count", Integer.toString(count), "--warmup-ms",
                            Long.toString(warmupMillis), "--measure-ms", Long.toString(measureMillis)));
                    Path log = dir.resolve("runs").resolve(String.format(Locale.ROOT, "run%d-%s-%s.log", run,
                            kind.label, size));
                    RunExecutor.Execution e = executor.execute(cmd, log, 600);
                    var m = ArenaMeasurement.parse(e.output());
                    if (e.exitCode() != 0 || m.isEmpty()) {
                        err.println("arena: run failed (exit " + e.exitCode() + "), see " + log);
                        return 1;
                    }
                    results.add(m.get());
                    done++;
                    err.printf(Locale.ROOT, "arena: [%d/%d] run %d %-20s size %-7s %8.2f ns/alloc (cpu %.2f)%n",
                            done, total, run, kind.label, size, m.get().wallNs(), m.get().cpuNs());
                    err.flush();
                }
            }
        }
        facts.put("load at end", MachineFacts.loadAverage());
        String table = tables(kinds, results);
        stdout.print(table);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(results));
        Files.writeString(dir.resolve("report.md"), report(table, facts));
        stdout.println("report: " + dir.resolve("report.md"));
        return 0;
    }

    /** This JVM's {@code -Dhako.*} settings (HAKO_JAVA_OPTS), for the forked JVMs' process-wide allocator. */
    private static List<String> hakoProperties() {
        List<String> p = new ArrayList<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("hako.") && !name.equals("hako.home")) p.add("-D" + name + "=" + System.getProperty(name));
        }
        return p;
    }

    /**
     * For one figure (wall or CPU ns per allocation): the median over runs for each size (rows) and arena
     * (columns), and how many times faster than {@code jdk-confined} each arena is. With {@code overFloor}, every
     * median less the floor arena's (which then has no column): the cost of the memory management alone.
     */
    String table(List<ArenaKind> kinds, List<ArenaMeasurement> results, ToDoubleFunction<ArenaMeasurement> figure,
                 boolean overFloor) {
        List<ArenaKind> shown = kinds.stream().filter(k -> !(overFloor && k == ArenaKind.FLOOR)).toList();
        List<String> header = new ArrayList<>(List.of("size"));
        for (ArenaKind k : shown) header.add(k.label + " ns");
        boolean ratio = shown.stream().anyMatch(k -> k.label.equals(BASELINE));
        // The floor has no memory management to compare: no ratio column for it.
        List<ArenaKind> compared = shown.stream().filter(k -> !k.label.equals(BASELINE) && k != ArenaKind.FLOOR).toList();
        if (ratio) for (ArenaKind k : compared) header.add(BASELINE + " / " + k.label);
        MarkdownTable t = new MarkdownTable(header);
        for (String size : sizes) {
            ToDoubleFunction<ArenaKind> median = k -> ArenaMeasurement.median(results.stream()
                    .filter(r -> r.kind() == k && r.size().equals(size)).mapToDouble(figure).toArray());
            double floor = overFloor ? median.applyAsDouble(ArenaKind.FLOOR) : 0;
            Map<ArenaKind, Double> value = new LinkedHashMap<>();
            for (ArenaKind k : shown) value.put(k, median.applyAsDouble(k) - floor);
            List<String> row = new ArrayList<>(List.of(size));
            for (ArenaKind k : shown) row.add(String.format(Locale.ROOT, "%.1f", value.get(k)));
            if (ratio) {
                double base = value.get(ArenaKind.of(BASELINE));
                for (ArenaKind k : compared) row.add(String.format(Locale.ROOT, "%.1fx", base / value.get(k)));
            }
            t.row(row);
        }
        return t.toString();
    }

    /** The tables, titled: wall clock, thread CPU and, with the floor arena measured, CPU over the floor. */
    String tables(List<ArenaKind> kinds, List<ArenaMeasurement> results) {
        String s = "Wall-clock ns per allocation (open and close included):\n\n"
                + table(kinds, results, ArenaMeasurement::wallNs, false)
                + "\nThread CPU ns per allocation (leaves out waiting for a core, GC threads and the JDK's cleaner):\n\n"
                + table(kinds, results, ArenaMeasurement::cpuNs, false);
        if (kinds.contains(ArenaKind.FLOOR) && kinds.size() > 1) {
            s += "\nThread CPU ns per allocation over the floor (what the memory management costs):\n\n"
                    + table(kinds, results, ArenaMeasurement::cpuNs, true);
        }
        return s;
    }

    private String report(String table, Map<String, String> facts) {
        StringBuilder sb = new StringBuilder("# Arena workload\n\n");
        sb.append("Command: `./hako arena --arenas ").append(String.join(",", arenas)).append(" --sizes ")
                .append(String.join(",", sizes)).append(" --count ").append(count).append(" --runs ").append(runs)
                .append(" --warmup-ms ").append(warmupMillis).append(" --measure-ms ").append(measureMillis)
                .append("`\n\n");
        sb.append("Median over ").append(runs).append(" JVMs of each JVM's median ~50 ms batch; lower is better."
                + " `X / Y` is how many times faster Y is than X.\n\n");
        sb.append(table).append('\n');
        MarkdownTable f = new MarkdownTable("fact", "value");
        facts.forEach(f::row);
        sb.append(f);
        return sb.toString();
    }

    private static String csv(List<ArenaMeasurement> results) {
        StringBuilder sb = new StringBuilder("arena,size,count,wall_ns_per_alloc,cpu_ns_per_alloc,arenas\n");
        for (ArenaMeasurement m : results) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%d%n", m.kind().label, m.size(), m.count(),
                    m.wallNs(), m.cpuNs(), m.arenas()));
        }
        return sb.toString();
    }
}
