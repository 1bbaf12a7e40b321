package dev.hako.lab.ab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an experiment's plan, one fresh JVM after another, and checks each run before it counts: the JVM exited
 * cleanly, printed the seed's lines, and ran what its spec asked for (a mistyped property must not silently compare
 * push with push). With {@code --runs auto}, when the plan is done it asks {@link AutoRuns} for more rounds and runs
 * them, until no cell asks for more.
 */
public final class ExperimentRunner {
    private final RunExecutor executor;
    private final JvmCommand jvm;

    public ExperimentRunner(RunExecutor executor, JvmCommand jvm) {
        this.executor = executor;
        this.jvm = jvm;
    }

    /**
     * @param facts    machine facts recorded at the start
     * @param progress where to report each run, or null
     * @throws ExperimentFailedException when a run fails, with the runs done so far
     */
    public ExperimentResult run(ExperimentConfig config, List<PlannedRun> initialPlan, Map<String, String> facts,
                                Progress progress) throws IOException, InterruptedException {
        Instant started = Instant.now();
        List<RunRecord> done = new ArrayList<>();
        List<PlannedRun> plan = new ArrayList<>(initialPlan);
        Files.createDirectories(config.out().resolve("runs"));
        for (int i = 0; ; i++) {
            if (i == plan.size()) {
                List<AutoRuns.Step> steps = AutoRuns.next(new ExperimentResult(config, done, started, Instant.now(), facts, true));
                if (steps.isEmpty()) break;
                List<PlannedRun> more = AutoRuns.runs(steps, config.variants());
                plan.addAll(more);
                if (progress != null) {
                    Map<Cell, Integer> after = new LinkedHashMap<>();
                    for (AutoRuns.Step s : steps) after.put(s.cell(), s.target());
                    progress.extended(more, steps, AutoRuns.reserveUnits(config, after));
                }
            }
            PlannedRun run = plan.get(i);
            Variant variant = config.variants().get(run.variant());
            String name = String.format(Locale.ROOT, "%03d-%s-%s-%s%d", i + 1, run.cell().slug(), variant.slug(),
                    run.kind().id(), run.index());
            String log = "runs/" + name + ".log";
            Path recording = config.out().resolve("runs").resolve(name + ".jfr").toAbsolutePath();
            if (progress != null) progress.starting(i, variant);
            List<String> command = jvm.build(config, run, recording);
            RunExecutor.Execution ex = executor.execute(command, config.out().resolve(log), config.runTimeoutSeconds());
            try {
                RunRecord record = check(config, run, variant, ex, i + 1, log, recording);
                done.add(record);
                if (progress != null) progress.finished(i, record);
            } catch (IllegalArgumentException | IOException e) {
                String why = e.getMessage() + " (log: " + config.out().resolve(log) + ")" + tail(ex.output());
                if (progress != null) progress.failed(e.getMessage());
                throw new ExperimentFailedException("run " + (i + 1) + " (" + run.cell().label() + " "
                        + variant.display() + " " + run.kind().id() + ") failed: " + why,
                        new ExperimentResult(config, done, started, Instant.now(), facts, false));
            }
        }
        return new ExperimentResult(config, done, started, Instant.now(), facts, true);
    }

    private static RunRecord check(ExperimentConfig config, PlannedRun run, Variant variant, RunExecutor.Execution ex,
                                   int sequence, String log, Path recording) throws IOException {
        if (ex.timedOut()) {
            throw new IllegalArgumentException("killed after " + config.runTimeoutSeconds() + " s (--run-timeout)");
        }
        if (ex.exitCode() != 0) throw new IllegalArgumentException("the JVM exited with code " + ex.exitCode());
        BenchOutput out = BenchOutputParser.parse(ex.output(), config.args().iters());
        checkIdentity(variant.spec(), out);
        if (out.threads() != run.cell().threads()) {
            throw new IllegalArgumentException("asked for T=" + run.cell().threads() + ", the bench ran T=" + out.threads());
        }
        SampleShare samples = SampleShare.NONE;
        if (run.kind() == RunKind.PROFILE) {
            if (!Files.exists(recording)) throw new IOException("no JFR recording at " + recording);
            samples = JfrPushPath.read(recording);
            if (!config.keepJfr()) Files.delete(recording);
        }
        return new RunRecord(sequence, run, out, ex.wallSeconds(), log, samples);
    }

    /** The run's {@code [HAKO]} line must name the allocator and strategy the spec asked for. */
    static void checkIdentity(VariantSpec spec, BenchOutput out) {
        if (out.allocator() != null && !spec.allocator().startsWith(VariantSpec.NATIVE_PREFIX)
                && !out.allocator().startsWith(spec.allocator())) {
            throw new IllegalArgumentException("spec " + spec + " asked for allocator " + spec.allocator()
                    + ", the bench ran " + out.allocator());
        }
        if (spec.remote() != null && out.remote() != null && !out.remote().equals(spec.remote())) {
            throw new IllegalArgumentException("spec " + spec + " asked for remote=" + spec.remote()
                    + ", the bench ran remote=" + out.remote());
        }
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\\R");
        int from = Math.max(0, lines.length - 8);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < lines.length; i++) sb.append("\n    | ").append(lines[i]);
        return sb.toString();
    }
}
