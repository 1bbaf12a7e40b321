package dev.hako.lab.memory;

import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.GlibcPeer;
import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.peers.JemallocPeer;
import dev.hako.lab.peers.MimallocPeer;
import dev.hako.lab.peers.Peer;
import dev.hako.lab.peers.Peers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hako memory}: what happens to memory over time, per scenario and allocator. The options are read as text
 * and checked here, so that every bad argument gets one line on stderr and exit code 2.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 120,
        description = {"What happens to memory over time. Each scenario runs in a fresh JVM per allocator; a sampler"
                + " thread reads the resident set (VmRSS) every 50 ms from a baseline taken before the work, and the"
                + " JVM prints one line:",
                "  memory: scenario=NAME allocator=NAME baseline_mib=.. peak_mib=.. after_1s_mib=.. after_5s_mib=.."
                        + " committed_peak_mib=..|na [after_trim_mib=..] work_s=.. [iters_per_s=..]",
                "after_Ns: N seconds after the work ended, the program idle. after_trim (hako only): right after"
                        + " trim(), called after the 5 s. committed_peak: the allocator's own count (hako: committed"
                        + " gauge; glibc: mallinfo2; jemalloc: stats.mapped; mimalloc: mi_process_info). Hako also"
                        + " prints its gauges (memory-gauges: ... [HAKO_STATS] ...) at checkpoints.",
                "Scenarios:",
                "  burst    one thread allocates random sizes 16 B..64 KiB (1 GiB), writes every page, frees all",
                "  phase    512 MiB of 64 B blocks, all freed, then 512 MiB of 1 KiB blocks (the peak is the figure)",
                "  handoff  a producer allocates 512 MiB of 16 B..1 KiB blocks, then hands them to a consumer that frees"
                        + " them; both stay alive, idle",
                "  churn    3,000 short-lived platform threads, 8 alive at a time, 8 MiB each, no close()",
                "  seed     the seed's benchmark at T=4 R=90, 2,500,000 iterations, ring 2097152: peak RSS and iters/s",
                "  all      every scenario",
                "With --out DIR: report.md (Hako against issue 8's targets, every line, charts, Hako's gauges),"
                        + " results.csv, results.json, samples.csv, rss-SCENARIO.png and runs/*.log.",
                "hako.* system properties of this JVM (HAKO_JAVA_OPTS) pass through to the scenario JVMs."},
        footer = {"", "Example: ./hako memory --scenario all --out hako-results/memory",
                "Exit code 0 when every JVM delivered its line, 1 when one failed, 2 on bad arguments."})
public final class MemoryCommand implements Callable<Integer> {
    /** The allocators this command knows (one per JVM), in report order. */
    public static final List<String> ALLOCATORS = List.of(HakoPeer.NAME, GlibcPeer.NAME, JemallocPeer.NAME,
            MimallocPeer.NAME);
    static final String IN_PROCESS = "--in-process";
    static final String SAMPLES = "--samples";
    /** What picocli puts in an option given without its value (then the check below reports it). */
    private static final String NO_VALUE = "__no_value__";

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", arity = "0..1", fallbackValue = NO_VALUE, paramLabel = "NAME",
            description = "burst, phase, handoff, churn, seed or all (a comma-separated list works too)")
    String scenario;

    @Option(names = "--allocator", arity = "0..1", fallbackValue = NO_VALUE, paramLabel = "NAME",
            description = "hako, glibc, jemalloc or mimalloc (a comma-separated list works too; default: all four)")
    String allocator;

    @Option(names = "--out", arity = "0..1", fallbackValue = NO_VALUE, paramLabel = "DIR",
            description = "write the report folder here")
    String out;

    @Option(names = "--runs", arity = "0..1", fallbackValue = NO_VALUE, paramLabel = "N",
            description = "JVMs per scenario and allocator, allocators interleaved (default 1)")
    String runs;

    @Option(names = "--quick", description = "scaled-down sizes (64 MiB burst, 32 MiB phase and handoff, 100 churn"
            + " threads of 2 MiB, seed 50,000 iterations): a look in seconds; the idle times stay")
    boolean quick;

    @Option(names = "--jvm-opt", arity = "0..1", fallbackValue = NO_VALUE, paramLabel = "OPT",
            description = "an extra option for every scenario JVM (repeatable), e.g. --jvm-opt=-Dhako.decay.ms=200")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = IN_PROCESS, hidden = true, description = "run one scenario on one allocator in this JVM")
    boolean inProcess;

    @Option(names = SAMPLES, arity = "0..1", fallbackValue = NO_VALUE, hidden = true,
            description = "with --in-process: write the samples here")
    String samples;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    /** A bad argument: the one line for stderr. */
    private static final class BadArgument extends Exception {
        BadArgument(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<Scenario> scenarios;
        List<String> allocators;
        int runCount;
        try {
            if (!unmatched.isEmpty()) throw new BadArgument("unknown argument '" + unmatched.getFirst() + "'");
            scenarios = scenarios();
            allocators = allocators();
            runCount = runs();
            if (out != null && missing(out)) throw new BadArgument("--out needs a folder");
            for (String o : jvmOptions) if (missing(o)) throw new BadArgument("--jvm-opt needs a value");
            if (inProcess && (scenarios.size() != 1 || allocators.size() != 1)) {
                throw new BadArgument(IN_PROCESS + " runs one scenario on one allocator");
            }
            if (samples != null && (!inProcess || missing(samples))) {
                throw new BadArgument(SAMPLES + " needs a file and " + IN_PROCESS);
            }
        } catch (BadArgument e) {
            err.println("memory: " + e.getMessage() + "; see ./hako memory --help");
            err.flush();
            return 2;
        }
        Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
        if (inProcess) return runHere(scenarios.getFirst(), allocators.getFirst(), sizes);
        List<String> childOptions = new ArrayList<>(passThroughProperties());
        childOptions.addAll(jvmOptions);
        MemorySession.Config config = new MemorySession.Config(scenarios, allocators, runCount, sizes, childOptions,
                out == null ? null : Path.of(out), commandLine());
        return new MemorySession(new ForkedJvm(), JvmCommand.current()).run(config, System.out, System.err);
    }

    private List<Scenario> scenarios() throws BadArgument {
        if (scenario == null) throw new BadArgument("--scenario is required (" + Scenario.ids() + ", all)");
        if (missing(scenario)) throw new BadArgument("--scenario needs a name (" + Scenario.ids() + ", all)");
        LinkedHashSet<Scenario> set = new LinkedHashSet<>();
        for (String s : names(scenario, "--scenario")) {
            if (s.equals("all")) set.addAll(Arrays.asList(Scenario.values()));
            else {
                try {
                    set.add(Scenario.of(s));
                } catch (IllegalArgumentException e) {
                    throw new BadArgument(e.getMessage());
                }
            }
        }
        return List.copyOf(set);
    }

    private List<String> allocators() throws BadArgument {
        if (allocator == null) return ALLOCATORS;
        if (missing(allocator)) throw new BadArgument("--allocator needs a name");
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String a : names(allocator, "--allocator")) {
            if (!ALLOCATORS.contains(a)) {
                throw new BadArgument("unknown allocator '" + a + "' (known: " + String.join(", ", ALLOCATORS) + ")");
            }
            set.add(a);
        }
        return List.copyOf(set);
    }

    private static boolean missing(String value) {
        return value.equals(NO_VALUE) || value.isBlank();
    }

    private static List<String> names(String value, String option) throws BadArgument {
        List<String> names = Arrays.stream(value.split(",", -1)).map(String::trim).toList();
        if (value.isBlank() || names.stream().anyMatch(String::isEmpty)) {
            throw new BadArgument(option + " needs a name");
        }
        return names;
    }

    private int runs() throws BadArgument {
        if (runs == null) return 1;
        if (missing(runs)) throw new BadArgument("--runs needs a number from 1 to 100");
        try {
            int n = Integer.parseInt(runs.trim());
            if (n >= 1 && n <= 100) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadArgument("--runs must be a number from 1 to 100, was '" + runs + "'");
    }

    /** The child JVM's side: one scenario, one allocator, the line on stdout. */
    private int runHere(Scenario s, String allocatorName, Sizes sizes) throws Exception {
        PrintStream stdout = System.out;
        Peer peer = Peers.create(allocatorName, null);
        try {
            stdout.println("[PEER] allocator=" + peer.name() + " detail=" + peer.describe());
            stdout.println("[SIZES] " + sizes.describe());
            ScenarioRun.Result r = ScenarioRun.run(s, sizes, (AddressPeer) peer, ScenarioRun.Timing.STANDARD, stdout);
            if (samples != null) r.samples().write(Path.of(samples));
            stdout.println(r.line().format());
            stdout.flush();
            return 0;
        } finally {
            peer.close();
        }
    }

    /** {@code -Dhako.*} properties of this JVM (the launcher's own {@code hako.home} aside). */
    private static List<String> passThroughProperties() {
        List<String> opts = new ArrayList<>();
        for (String k : System.getProperties().stringPropertyNames().stream().sorted().toList()) {
            if (k.startsWith("hako.") && !k.equals("hako.home")) opts.add("-D" + k + "=" + System.getProperty(k));
        }
        return opts;
    }

    /** The command as the user would type it again. */
    private String commandLine() {
        List<String> a = new ArrayList<>(List.of("./hako", "memory", "--scenario", scenario));
        if (allocator != null) a.addAll(List.of("--allocator", allocator));
        if (runs != null) a.addAll(List.of("--runs", runs));
        if (quick) a.add("--quick");
        for (String o : jvmOptions) a.add("--jvm-opt=" + o);
        if (out != null) a.addAll(List.of("--out", out));
        return String.join(" ", a);
    }
}
