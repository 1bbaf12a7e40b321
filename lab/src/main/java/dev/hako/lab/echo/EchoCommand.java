package dev.hako.lab.echo;

import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.Progress;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.peers.NettyPeer;
import dev.hako.lab.report.MachineFacts;
import dev.hako.lab.report.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code hako echo}: Netty's echo over loopback TCP for each allocator, each run in its own JVM. */
@Command(name = "echo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        subcommands = EchoRunCommand.class,
        description = {"Netty's echo over loopback TCP (NIO) with every buffer from the allocator under test: server"
                + " event loops read requests, worker threads allocate the replies and release the requests, the event"
                + " loops release the replies once written (frees on foreign threads both ways); each client"
                + " connection keeps one message in flight.",
                "For every cell (connections x size) and allocator, --runs JVMs, interleaved (the order rotates each"
                        + " round); reports throughput (messages/s, MiB/s) and peak RSS, and judges the target:"
                        + " netty-hako at least netty-pooled's throughput and a lower peak RSS.",
                "One line per run on stdout: echo: allocator=.. connections=.. size=.. msgs_per_s=.. mib_per_s=.."
                        + " peak_rss_mib=.. (and direct_mib, messages, seconds). The folder --out gets report.md,"
                        + " results.csv, results.json, chart.png and each JVM's log.",
                ""},
        footer = {"", "Allocators: netty-pooled, netty-adaptive (as in 'hako bench --help'), netty-hako"
                + " (HakoByteBufAllocator; netty-hako:remote=parcel and other hako.* options set -Dhako.*).",
                "A quick look:   ./hako echo --sizes 1024 --seconds 2 --warmup 1 --runs 1",
                "A measurement:  ./hako echo --connections 16,64 --sizes 256,4096,32768 --seconds 10 --runs 5"
                        + " --allocators netty-pooled,netty-adaptive,netty-hako,netty-hako:remote=parcel",
                "Exit code 0 when every run finished, 1 when a run failed, 2 on bad arguments."})
public final class EchoCommand implements Callable<Integer> {
    public static final List<String> ALLOCATORS = List.of(NettyPeer.POOLED, NettyPeer.ADAPTIVE, NettyPeer.HAKO);
    static final int MAX_CONNECTIONS = 4096;
    /** {@code --heap default}: leave the heap to the JVM's own sizing. */
    static final String JVM_DEFAULT_HEAP = "default";
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    static final int MAX_SIZE = 16 << 20;
    /** Seconds a JVM may take beyond its warm-up and window (start-up, connect, shutdown) before it is killed. */
    private static final long GRACE_SECONDS = 120;
    /** Where a list of allocator specs splits: a comma that starts a new spec, not another option of the last one. */
    private static final Pattern SPEC_START = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*(:.*)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--connections", split = ",", paramLabel = "N", defaultValue = "16",
            description = "client connections, one or more (default ${DEFAULT-VALUE})")
    List<Integer> connections;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", defaultValue = "256,4096,32768",
            description = "message sizes in bytes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "measured seconds per run (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "2",
            description = "unmeasured seconds before the window, in the same JVM (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--allocators", paramLabel = "SPEC,...", defaultValue = "netty-pooled,netty-adaptive,netty-hako",
            description = "allocators to compare (default ${DEFAULT-VALUE}); a spec may carry options as in"
                    + " 'hako ab': netty-hako:remote=parcel")
    String allocators;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "JVMs per allocator and cell (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default hako-results/echo-<time>)")
    Path out;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Java heap of every run: -Xms = -Xmx, pre-touched (default ${DEFAULT-VALUE}), so that peak RSS"
                    + " differences are what the allocators hold beyond the heap, and their garbage shows as GC work;"
                    + " 'default' leaves the JVM's own sizing (then heap growth from garbage shows in RSS too)")
    String heap;

    @Option(names = "--jvm-opt", paramLabel = "OPT", description = "an extra option for every forked JVM, all"
            + " allocators alike (repeatable), e.g. --jvm-opt=-Xmx512m")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--dry-run", description = "print the JVMs that would run, in order, and exit")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        EchoExperiment.Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "echo: " + e.getMessage());
        }
        List<Planned> plan = plan(config);
        JvmCommand jvm = JvmCommand.current();
        PrintStream stdout = System.out, err = System.err;
        if (dryRun) {
            for (Planned p : plan) stdout.println(String.join(" ", command(jvm, config, p)));
            return 0;
        }
        err.printf(Locale.ROOT, "echo: %s; cells %s; heap %s; %d JVMs of about %s each; report in %s%n",
                String.join("  vs  ", config.variants().stream().map(VariantSpec::text).toList()),
                String.join(", ", config.cells().stream().map(EchoExperiment.Cell::label).toList()), config.heap(),
                plan.size(), Progress.duration(config.warmup() + config.seconds() + 2), config.out());
        Map<String, String> facts = MachineFacts.collect(Path.of(System.getProperty("hako.home", ".")));
        EchoExperiment result = execute(config, plan, jvm, new ForkedJvm(), facts, stdout, err)
                .withFacts(Map.of("load at end", MachineFacts.loadAverage()));
        List<Path> files = EchoReport.write(result);
        stdout.println();
        stdout.print(EchoReport.table(result));
        for (EchoTarget t : EchoTarget.judge(result)) stdout.println(t.line(result));
        stdout.println("report: " + config.out().resolve("report.md") + "  (" + String.join(", ",
                files.stream().map(f -> f.getFileName().toString()).toList()) + ")");
        return result.complete() ? 0 : 1;
    }

    /** One JVM of the plan. */
    record Planned(int round, EchoExperiment.Cell cell, int variant) {}

    /** Round after round, every cell, every allocator; the allocators' order rotates by one each round. */
    static List<Planned> plan(EchoExperiment.Config config) {
        List<Planned> plan = new ArrayList<>();
        int n = config.variants().size();
        for (int round = 1; round <= config.runs(); round++) {
            for (EchoExperiment.Cell cell : config.cells()) {
                for (int k = 0; k < n; k++) plan.add(new Planned(round, cell, (k + round - 1) % n));
            }
        }
        return plan;
    }

    static EchoExperiment execute(EchoExperiment.Config config, List<Planned> plan, JvmCommand jvm,
                                  RunExecutor executor, Map<String, String> facts, PrintStream stdout,
                                  PrintStream err) throws InterruptedException {
        List<EchoExperiment.Run> done = new ArrayList<>();
        long start = System.nanoTime();
        double busy = 0;
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            VariantSpec variant = config.variants().get(p.variant());
            String log = String.format(Locale.ROOT, "runs/%03d-%s-%s-r%d.log", i + 1, p.cell().slug(),
                    variant.text().replaceAll("[^A-Za-z0-9.=-]+", "_"), p.round());
            err.printf(Locale.ROOT, "[echo %d/%d] %s %s run %d ... ", i + 1, plan.size(), p.cell().label(),
                    variant.text(), p.round());
            err.flush();
            try {
                Files.createDirectories(config.out().resolve("runs"));
                RunExecutor.Execution ex = executor.execute(command(jvm, config, p), config.out().resolve(log),
                        (long) Math.ceil(config.warmup() + config.seconds()) + GRACE_SECONDS);
                if (ex.timedOut()) throw new IllegalArgumentException("killed after the time-out");
                if (ex.exitCode() != 0) throw new IllegalArgumentException("the JVM exited with code " + ex.exitCode());
                EchoLine line = EchoLine.parse(ex.output());
                if (line.connections() != p.cell().connections() || line.size() != p.cell().size()) {
                    throw new IllegalArgumentException("asked for " + p.cell().label() + ", the run did c="
                            + line.connections() + " size=" + line.size());
                }
                done.add(new EchoExperiment.Run(i + 1, p.round(), p.cell(), p.variant(), line, ex.wallSeconds(), log));
                busy += ex.wallSeconds();
                double eta = busy / (i + 1) * (plan.size() - i - 1);
                err.printf(Locale.ROOT, "%.0f msgs/s  %.1f MiB/s  peak RSS %.0f MiB  %d GCs  (%.1fs; elapsed %s, ETA %s)%n",
                        line.msgsPerS(), line.mibPerS(), line.peakRssMib(), line.gcs(), ex.wallSeconds(),
                        Progress.duration((System.nanoTime() - start) / 1e9), Progress.duration(eta));
                stdout.println(line.format());
                stdout.flush();
            } catch (IllegalArgumentException | java.io.IOException e) {
                err.println("FAILED: " + e.getMessage() + " (log: " + config.out().resolve(log) + ")");
                return new EchoExperiment(config, done, facts, false);
            }
        }
        return new EchoExperiment(config, done, facts, true);
    }

    static List<String> command(JvmCommand jvm, EchoExperiment.Config config, Planned p) {
        VariantSpec v = config.variants().get(p.variant());
        return jvm.lab(config.allJvmOptions(), v.properties(), List.of("echo", "run", "--allocator", v.allocator(),
                "--label", v.text(), "--connections", Integer.toString(p.cell().connections()),
                "--size", Integer.toString(p.cell().size()), "--seconds", EchoReport.num(config.seconds()),
                "--warmup", EchoReport.num(config.warmup())));
    }

    /** @throws IllegalArgumentException naming the bad value */
    EchoExperiment.Config config() {
        for (int c : connections) checkRange("--connections", c, 1, MAX_CONNECTIONS);
        for (int s : sizes) checkRange("--size", s, 1, MAX_SIZE);
        checkSeconds(seconds, warmup);
        if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, was " + runs);
        if (!heap.equals(JVM_DEFAULT_HEAP) && !HEAP.matcher(heap).matches()) {
            throw new IllegalArgumentException("--heap must be a size such as 256m or 1g, or 'default', was '" + heap
                    + "'");
        }
        List<VariantSpec> variants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : splitSpecs(allocators)) {
            VariantSpec v = VariantSpec.parse(text);
            if (!ALLOCATORS.contains(v.allocator())) {
                throw new IllegalArgumentException("'" + v.allocator() + "' is not a Netty allocator; echo runs "
                        + String.join(", ", ALLOCATORS));
            }
            if (!seen.add(v.text())) throw new IllegalArgumentException("allocator '" + v.text() + "' given twice");
            variants.add(v);
        }
        Path dir = out != null ? out : ResultsFolder.fresh("echo");
        return new EchoExperiment.Config(List.copyOf(connections), List.copyOf(sizes), seconds, warmup, runs,
                List.copyOf(variants), heap, List.copyOf(jvmOptions), dir, rerun(variants));
    }

    private String rerun(List<VariantSpec> variants) {
        List<String> a = new ArrayList<>(List.of("./hako", "echo", "--connections", join(connections), "--sizes",
                join(sizes), "--seconds", EchoReport.num(seconds), "--warmup", EchoReport.num(warmup), "--runs",
                Integer.toString(runs), "--heap", heap, "--allocators",
                String.join(",", variants.stream().map(VariantSpec::text).toList())));
        for (String o : jvmOptions) a.add("--jvm-opt=" + o);
        return String.join(" ", a);
    }

    /**
     * Splits {@code netty-pooled,netty-hako:remote=parcel,hako.arena=8g} into specs: a comma starts a new spec
     * unless what follows is another {@code key=value} option of the previous one.
     */
    static List<String> splitSpecs(String text) {
        List<String> specs = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            boolean option = part.indexOf('=') >= 0 && (part.indexOf(':') < 0 || part.indexOf(':') > part.indexOf('='));
            if (option && !specs.isEmpty() && specs.getLast().indexOf(':') >= 0) {
                specs.set(specs.size() - 1, specs.getLast() + "," + part);
            } else if (part.isBlank() || !SPEC_START.matcher(part).matches()) {
                throw new IllegalArgumentException("bad allocator list '" + text + "': '" + part + "' is not an"
                        + " allocator spec");
            } else {
                specs.add(part);
            }
        }
        return specs;
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }

    static void checkRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", was " + value);
        }
    }

    static void checkSeconds(double seconds, double warmup) {
        if (!(seconds > 0) || seconds > 3600) throw new IllegalArgumentException("--seconds must be in (0, 3600], was "
                + seconds);
        if (!(warmup >= 0) || warmup > 3600) throw new IllegalArgumentException("--warmup must be in [0, 3600], was "
                + warmup);
    }
}
