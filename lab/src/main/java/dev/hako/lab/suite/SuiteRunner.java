package dev.hako.lab.suite;

import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.Progress;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.ab.VariantSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the suite's plan, one fresh JVM per job ({@code hako suite run}), and checks each before it counts: the JVM
 * exited cleanly and printed a {@code suite:} line for the row and allocator asked for. A failed run (a block check,
 * a crash, a time-out) is recorded and the suite goes on, so that one broken allocator does not hide the others;
 * the command's exit code reports it.
 */
public final class SuiteRunner {
    private final RunExecutor executor;
    private final JvmCommand jvm;

    public SuiteRunner(RunExecutor executor, JvmCommand jvm) {
        this.executor = executor;
        this.jvm = jvm;
    }

    /** The JVM command of a job; a spec with {@code build=DIR} runs that build's lab (same JVM binary). */
    public List<String> command(SuiteConfig config, SuiteJob job) {
        VariantSpec spec = config.allocators().get(job.allocator());
        JvmCommand lab = spec.build() == null ? jvm
                : new JvmCommand(jvm.java(), spec.build() + "/hako-lab.jar:" + spec.build() + "/lib/*");
        return lab.command(config.jvmOptions(), spec.properties(), config.runArgs(job));
    }

    /** What the progress line calls a job. */
    public static String label(SuiteConfig config, SuiteJob job) {
        return job.row().name() + " " + config.allocators().get(job.allocator()).text() + " run " + job.round();
    }

    public List<SuiteRecord> run(SuiteConfig config, List<SuiteJob> plan, Progress progress)
            throws IOException, InterruptedException {
        Files.createDirectories(config.out().resolve("runs"));
        List<SuiteRecord> done = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            SuiteJob job = plan.get(i);
            VariantSpec spec = config.allocators().get(job.allocator());
            String log = String.format(Locale.ROOT, "runs/%03d-%s-%s-r%d.log", i + 1, job.row().name(),
                    spec.shortLabel().replaceAll("[^A-Za-z0-9._-]+", "_"), job.round());
            if (progress != null) progress.starting(i, label(config, job));
            RunExecutor.Execution ex = executor.execute(command(config, job), config.out().resolve(log),
                    config.runTimeout());
            SuiteRecord r = check(config, job, spec, ex, i + 1, log);
            done.add(r);
            if (progress != null) {
                if (r.ok()) progress.finished(i, ex.wallSeconds(), figures(r));
                else progress.failed(r.failure());
            }
        }
        return done;
    }

    static SuiteRecord check(SuiteConfig config, SuiteJob job, VariantSpec spec, RunExecutor.Execution ex,
                             int sequence, String log) {
        Map<String, String> fields = SuiteLine.parse(ex.output());
        String failure = null;
        String failed = SuiteLine.failure(ex.output());
        if (ex.timedOut()) {
            failure = "killed after " + config.runTimeout() + " s (--run-timeout)";
        } else if (failed != null) {
            failure = failed;
        } else if (ex.exitCode() != 0) {
            failure = "the JVM exited with code " + ex.exitCode() + tail(ex.output());
        } else if (fields.isEmpty()) {
            failure = "no 'suite: workload=' line in the output" + tail(ex.output());
        } else if (!job.row().name().equals(fields.get("workload"))) {
            failure = "asked for workload " + job.row().name() + ", the JVM ran " + fields.get("workload");
        } else if (!spec.allocator().startsWith(VariantSpec.NATIVE_PREFIX)
                && !spec.allocator().equals(fields.get("allocator"))) {
            failure = "asked for allocator " + spec.allocator() + ", the JVM ran " + fields.get("allocator");
        }
        SuiteRecord r = new SuiteRecord(sequence, job, ex.wallSeconds(), fields, failure, log);
        if (failure == null && !(r.value() > 0)) {
            r = new SuiteRecord(sequence, job, ex.wallSeconds(), fields, "no positive "
                    + job.row().workload().figure().key() + " in the suite line", log);
        }
        return r;
    }

    private static String figures(SuiteRecord r) {
        Figure f = r.job().row().workload().figure();
        String value = f == Figure.TIME_S ? String.format(Locale.ROOT, "%.3f s", r.value())
                : String.format(Locale.ROOT, "%.2f M ops/s", r.value() / 1e6);
        return String.format(Locale.ROOT, "%s  peak RSS %.1f MiB  %s checked", value, r.peakRssMib(),
                r.fields().getOrDefault("checked", "?"));
    }

    private static String tail(String output) {
        String[] lines = output.strip().split("\\R");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - 6); i < lines.length; i++) sb.append("\n    | ").append(lines[i]);
        return sb.toString();
    }
}
