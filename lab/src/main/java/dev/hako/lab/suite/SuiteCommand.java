package dev.hako.lab.suite;

import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.Progress;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.report.MachineFacts;
import dev.hako.lab.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code hako suite}: mimalloc-bench's portable workloads, written in Java over the lab's address peers, each run a
 * fresh JVM, allocators interleaved; medians, the {@code suite:} lines, and a report folder with a chart in
 * mimalloc-bench's style. Values are parsed here rather than by picocli, so that a bad one gets one line on stderr.
 */
@Command(name = "suite", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        subcommands = SuiteRunCommand.class,
        description = {"Allocation-pattern workloads after mimalloc-bench's portable benchmarks, run on every address"
                + " peer: each run a fresh JVM ('hako suite run'), allocators interleaved, medians of --runs. Every"
                + " workload writes into its blocks where the original does and checks them before freeing them, so"
                + " the suite is also a correctness check.",
                "Prints progress with an ETA on stderr, then one line per workload and allocator:"
                        + " 'suite: workload=NAME allocator=NAME time_s=..|ops_per_s=.. peak_rss_mib=.. rel_time=.."
                        + " rel_rss=.. runs=..', and writes report.md, results.csv, results.json and chart.png (time and"
                        + " peak RSS relative to the best, per workload) to --out.",
                "", "Workloads (rows; N = --threads; docs/suite.md describes each):",
                "  alloc-test1, alloc-testN        mixed sizes 5..1024 B on 1 / N threads, 80/20 slot skew (OLogN"
                        + " alloc-test); time",
                "  cache-scratch1, cache-scratchN  passive false sharing between threads' tiny objects (Hoard); time",
                "  cache-thrash1, cache-thrashN    active false sharing between threads' tiny objects (Hoard); time",
                "  glibc-simple                    batches of 16..64 B blocks freed FIFO and LIFO, 1 thread (glibc); time",
                "  glibc-thread                    N threads, random replacement 4..32768 B, fixed time (glibc); ops/s",
                "  larson                          N threads of server churn handing their slots to successor threads"
                        + " (Larson); ops/s",
                "  mstress                         rounds of N threads, random lifetimes, blocks moving between"
                        + " threads; time",
                "  rptest                          N threads, 8..16000 B, batches freed by the next thread (rpmalloc);"
                        + " ops/s",
                "  sh6bench                        2N threads, size sweeps into a ring freed FIFO and LIFO (MicroQuill);"
                        + " time",
                "  sh8bench                        2N threads, size histogram bursts plus blocks freed across threads"
                        + " (MicroQuill); time",
                "  xmalloc-test                    N producers allocate, N consumers free (Lever & Boreham); ops/s",
                ""},
        footer = {"", "Examples:", "  ./hako suite                                  # full size, 3 runs (about 10 min on"
                + " 2 cores)", "  ./hako suite --quick --out target/suite-quick  # CI: small sizes, 1 run, checks only",
                "  ./hako suite --workloads larson,xmalloc-test --allocators hako,glibc,hako:remote=parcel",
                "Exit code 0 when every run passed, 1 when a run failed (a block check, a crash), 2 on bad arguments."})
public final class SuiteCommand implements Callable<Integer> {
    /** Sizes and runs of {@code --quick}: about a minute and a half on 2 cores for the four default allocators. */
    static final double QUICK_SCALE = 0.02;

    @Spec
    CommandSpec spec;

    @Option(names = "--workloads", paramLabel = "LIST", defaultValue = "all",
            description = "workloads or rows, comma-separated (default ${DEFAULT-VALUE}); a workload selects all its"
                    + " rows (alloc-test = alloc-test1 + alloc-testN)")
    String workloads;

    @Option(names = "--allocators", paramLabel = "LIST", defaultValue = "hako,glibc,jemalloc,mimalloc",
            description = "allocators, comma-separated (default ${DEFAULT-VALUE}); also native:/path/lib.so[:MALLOC:FREE]"
                    + " and A/B specs such as hako:remote=parcel or hako:build=DIR (another build's lab/target)")
    String allocators;

    @Option(names = "--threads", paramLabel = "N", description = "N (default: the number of processors)")
    String threads;

    @Option(names = "--runs", paramLabel = "N", description = "JVMs per workload and allocator (default 3; 1 with"
            + " --quick)")
    String runs;

    @Option(names = "--quick", description = "CI size: scale " + QUICK_SCALE + " and 1 run unless --scale or --runs"
            + " say otherwise; a correctness check, not a measurement")
    boolean quick;

    @Option(names = "--scale", paramLabel = "F", description = "size factor of every workload (default 1 = full size)")
    String scale;

    @Option(names = "--warmup", paramLabel = "N", description = "unmeasured passes at a tenth of the size in each JVM"
            + " before the measured one (default 1)")
    String warmup;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/suite-<time>)")
    Path out;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "an extra option for every JVM (repeatable), e.g."
            + " --jvm-opt=-Xmx1g")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--run-timeout", paramLabel = "SECONDS", description = "kill a JVM that runs longer (default 600;"
            + " 0 = no limit)")
    String runTimeout;

    @Option(names = "--dry-run", description = "print the JVMs that would run, in order, and exit")
    boolean dryRun;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:=/+@%-]+");

    @Override
    public Integer call() throws IOException, InterruptedException {
        SuiteConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("suite: " + e.getMessage() + " (./hako suite --help)");
            return 2;
        }
        return run(config, dryRun, System.out, System.err, new ForkedJvm());
    }

    /** Parses the options into a configuration. @throws IllegalArgumentException for a bad value, in one line */
    SuiteConfig config() {
        if (!unmatched.isEmpty()) {
            throw new IllegalArgumentException("unknown option or argument '" + unmatched.getFirst() + "'");
        }
        List<SuiteCase> rows = Workloads.select(List.of(workloads.split(",")));
        List<VariantSpec> specs = SuitePeers.parse(List.of(allocators));
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : integer("--threads", threads);
        int r = runs == null ? (quick ? 1 : 3) : integer("--runs", runs);
        double s = scale == null ? (quick ? QUICK_SCALE : 1.0) : number("--scale", scale);
        int w = warmup == null ? 1 : integer("--warmup", warmup);
        long timeout = runTimeout == null ? 600 : integer("--run-timeout", runTimeout);
        Path dir = out != null ? out : ResultsFolder.fresh("suite");
        return new SuiteConfig(rows, specs, n, r, s, w, quick, dir, jvmOptions, timeout, rerun(n, r, s, w));
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be an integer, got '" + value + "'");
        }
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + value + "'");
        }
    }

    /** The command that reruns this suite into a new folder. */
    private String rerun(int n, int r, double s, int w) {
        List<String> a = new ArrayList<>(List.of("./hako", "suite", "--workloads", workloads, "--allocators",
                allocators, "--threads", Integer.toString(n), "--runs", Integer.toString(r), "--scale",
                Double.toString(s), "--warmup", Integer.toString(w)));
        for (String o : jvmOptions) a.add("--jvm-opt=" + o);
        return String.join(" ", a.stream().map(SuiteCommand::quote).toList());
    }

    static String quote(String s) {
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /** Plans, runs, prints and writes the report; 0 when every run passed, 1 otherwise. */
    static int run(SuiteConfig config, boolean dryRun, PrintStream out, PrintStream err, RunExecutor executor)
            throws IOException, InterruptedException {
        List<SuiteJob> plan = config.plan();
        SuiteRunner runner = new SuiteRunner(executor, JvmCommand.current());
        if (dryRun) {
            for (SuiteJob j : plan) out.println(String.join(" ", runner.command(config, j).stream().map(SuiteCommand::quote).toList()));
            return 0;
        }
        err.printf("suite: %d workloads x %d allocators x %d runs = %d JVMs, N=%d, scale %s; report in %s%n",
                config.rows().size(), config.allocators().size(), config.runs(), plan.size(), config.n(),
                config.scale(), config.out());
        Map<String, String> facts = new LinkedHashMap<>(MachineFacts.collect(home()));
        Instant started = Instant.now();
        List<String> labels = plan.stream().map(j -> SuiteRunner.label(config, j)).toList();
        double[] units = new double[plan.size()];
        Arrays.fill(units, 1.0); // JVMs of a suite take similar times; the ETA calibrates on those done
        List<SuiteRecord> records = runner.run(config, plan, new Progress(err, "suite", labels, units));
        facts.put("load at end", MachineFacts.loadAverage());
        SuiteResult result = new SuiteResult(config, records, facts, started, Instant.now());
        List<Path> files = SuiteReport.write(result);
        out.println();
        SuiteReport.lines(result).forEach(out::println);
        out.println("report: " + config.out().resolve("report.md") + "  (" + String.join(", ",
                files.stream().map(f -> f.getFileName().toString()).toList()) + ")");
        if (!result.failures().isEmpty()) {
            err.println("suite: " + result.failures().size() + " of " + records.size() + " runs failed; see the"
                    + " report's Failures");
            return 1;
        }
        return 0;
    }

    private static Path home() {
        String h = System.getProperty("hako.home");
        return Path.of(h != null ? h : ".");
    }
}
