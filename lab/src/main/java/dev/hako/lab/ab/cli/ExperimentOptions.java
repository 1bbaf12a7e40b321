package dev.hako.lab.ab.cli;

import dev.hako.lab.ab.BenchArgs;
import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.RankComparison;
import dev.hako.lab.ab.Variant;
import dev.hako.lab.report.ResultsFolder;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The options {@code ab} and {@code compare} share: the matrix, the benchmark's arguments, repetitions, output. */
public final class ExperimentOptions {
    @Option(names = "--threads", split = ",", paramLabel = "T", defaultValue = "4,32",
            description = "thread counts of the matrix (default ${DEFAULT-VALUE}: the seed's T=32 plus T=4)")
    List<Integer> threads;

    @Option(names = "--remote", split = ",", paramLabel = "R", defaultValue = "0,90",
            description = "remote-free percentages of the matrix (default ${DEFAULT-VALUE}: the seed's regression"
                    + " check and target)")
    List<Integer> remote;

    @Option(names = "--iters", defaultValue = "2500000", description = "iterations per thread (default ${DEFAULT-VALUE},"
            + " the seed's; scale down for quick looks, the report says so)")
    long iters;

    @Option(names = "--ws", defaultValue = "400", description = "working-set slots per thread (default ${DEFAULT-VALUE})")
    int ws;

    @Option(names = "--min", defaultValue = "16", description = "smallest size (default ${DEFAULT-VALUE})")
    int min;

    @Option(names = "--max", defaultValue = "2048", description = "largest size (default ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--ring", defaultValue = "262144", description = "ring slots per thread pair (default ${DEFAULT-VALUE})")
    int ring;

    @Option(names = "--warmup", defaultValue = "2", description = "unmeasured bench runs inside each JVM before the"
            + " measured one (default ${DEFAULT-VALUE}; one is not enough for C2 on this loop)")
    int warmup;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N|auto", description = "timed JVMs per variant and cell"
            + " (default ${DEFAULT-VALUE}); auto: start with 5, then add interleaved rounds to cells whose interval"
            + " leaves the seed's criteria unresolved, sized by their runs estimate, up to --max-runs")
    String runs;

    @Option(names = "--max-runs", defaultValue = "20", paramLabel = "N",
            description = "with --runs auto: timed JVMs per variant and cell not to go beyond (default ${DEFAULT-VALUE})")
    int maxRuns;

    @Option(names = "--confidence", defaultValue = "95", paramLabel = "PCT",
            description = "level of the rank test's interval for B/A that the throughput criteria are judged on,"
                    + " in %% (default ${DEFAULT-VALUE})")
    double confidence;

    @Option(names = {"--counter-runs", "--stats"}, defaultValue = "1", paramLabel = "N",
            description = "extra JVMs per cell and Hako variant with -Dhako.stats=true, for the counters; never timed"
                    + " (default ${DEFAULT-VALUE}; 0 = none)")
    int counterRuns;

    @Option(names = {"--jfr-runs", "--jfr"}, defaultValue = "1", paramLabel = "N",
            description = "extra JVMs per cell with remote frees and Hako variant under JFR (settings=profile), for the"
                    + " push-path share of samples; never timed (default ${DEFAULT-VALUE}; 0 = none)")
    int jfrRuns;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/<command>-<time>)")
    Path out;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "an extra option for every forked JVM, both sides"
            + " alike (repeatable), e.g. --jvm-opt=-Xmx2g")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--keep-jfr", description = "keep the JFR recordings in DIR/runs (large)")
    boolean keepJfr;

    @Option(names = "--run-timeout", defaultValue = "3600", paramLabel = "SECONDS",
            description = "kill a JVM that runs longer and stop (default ${DEFAULT-VALUE}; 0 = no limit)")
    long runTimeout;

    @Option(names = "--dry-run", description = "print the JVMs that would run, in order, and exit")
    boolean dryRun;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:=/+@%-]+");

    /** With {@code --runs auto}: the timed runs per side to start with (unless the level needs more, or the cap is lower). */
    static final int AUTO_START_RUNS = 5;

    /** The experiment these options describe. @throws IllegalArgumentException on a bad value */
    ExperimentConfig config(String command, List<Variant> variants, List<String> variantArgs) {
        List<Cell> cells = Cell.matrix(threads, remote);
        BenchArgs args = new BenchArgs(iters, ws, min, max, ring, warmup);
        double level = confidenceLevel(confidence);
        boolean auto = runs.strip().equalsIgnoreCase("auto");
        int startRuns;
        if (auto) {
            int least = RankComparison.minimumRuns(level);
            if (maxRuns < least) {
                throw new IllegalArgumentException("--max-runs " + maxRuns + " cannot resolve anything at "
                        + RankComparison.percent(level) + ": the rank test needs >= " + least + " runs per side");
            }
            startRuns = Math.min(maxRuns, Math.max(AUTO_START_RUNS, least));
        } else {
            try {
                startRuns = Integer.parseInt(runs.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--runs must be a number or 'auto', got '" + runs + "'");
            }
            if (startRuns < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + startRuns);
        }
        if (runTimeout < 0) throw new IllegalArgumentException("--run-timeout must be >= 0");
        Path dir = out != null ? out : ResultsFolder.fresh(command);
        if (jfrRuns > 0 && dir.toAbsolutePath().toString().contains(",")) {
            throw new IllegalArgumentException("--out must not contain ',' with JFR runs (it ends the JFR file name in"
                    + " -XX:StartFlightRecording); pick another folder or --jfr-runs 0");
        }
        return new ExperimentConfig(command, variants, cells, args, startRuns, counterRuns, jfrRuns, dir, jvmOptions,
                keepJfr, runTimeout, rerun(command, variantArgs, auto), level, auto, auto ? maxRuns : startRuns);
    }

    /** {@code --confidence} as a fraction: a percentage (95), or a fraction (0.95) read as such. */
    static double confidenceLevel(double pct) {
        if (pct >= 50 && pct < 100) return pct / 100;
        if (pct >= 0.5 && pct < 1) return pct;
        throw new IllegalArgumentException("--confidence must be a percentage from 50 up to (not including) 100,"
                + " e.g. 95 or 99; got " + pct);
    }

    /** The command that reruns the experiment into a new folder. */
    private String rerun(String command, List<String> variantArgs, boolean auto) {
        List<String> a = new ArrayList<>(List.of("./hako", command));
        a.addAll(variantArgs);
        a.addAll(List.of("--threads", join(threads), "--remote", join(remote), "--iters", Long.toString(iters),
                "--ws", Integer.toString(ws), "--min", Integer.toString(min), "--max", Integer.toString(max),
                "--ring", Integer.toString(ring), "--warmup", Integer.toString(warmup), "--runs", runs.strip()));
        if (auto) a.addAll(List.of("--max-runs", Integer.toString(maxRuns)));
        a.addAll(List.of("--confidence", RankComparison.percent(confidenceLevel(confidence)).replace(" %", ""),
                "--counter-runs", Integer.toString(counterRuns), "--jfr-runs", Integer.toString(jfrRuns)));
        for (String o : jvmOptions) a.add("--jvm-opt=" + o);
        return String.join(" ", a.stream().map(ExperimentOptions::quote).toList());
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }

    /** Shell-quotes a word unless it is plain. */
    static String quote(String s) {
        return PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
