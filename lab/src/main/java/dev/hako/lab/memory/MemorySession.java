package dev.hako.lab.memory;

import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.Progress;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.report.MachineFacts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the plan: every scenario in a fresh JVM per allocator and run, allocators interleaved within a repetition
 * (burst: hako, glibc, jemalloc, mimalloc, then the next repetition), each JVM's line echoed as it arrives; then
 * the report folder, when there is one.
 */
final class MemorySession {
    /** A JVM that has not printed its line after this long is killed (the longest scenario takes about a minute). */
    private static final long JVM_TIMEOUT_SECONDS = 1200;

    /**
     * @param out         the report folder, or {@code null} for none
     * @param commandLine the command as typed (for the report)
     */
    record Config(List<Scenario> scenarios, List<String> allocators, int runs, Sizes sizes, List<String> jvmOptions,
                  Path out, String commandLine) {}

    record Job(Scenario scenario, String allocator, int run) {
        String slug() {
            return scenario.id() + "-" + allocator + "-" + run;
        }
    }

    private final RunExecutor executor;
    private final JvmCommand jvm;

    MemorySession(RunExecutor executor, JvmCommand jvm) {
        this.executor = executor;
        this.jvm = jvm;
    }

    static List<Job> plan(Config c) {
        List<Job> jobs = new ArrayList<>();
        for (Scenario s : c.scenarios()) {
            for (int r = 1; r <= c.runs(); r++) {
                for (String a : c.allocators()) jobs.add(new Job(s, a, r));
            }
        }
        return jobs;
    }

    /** The child JVM's command line for a job. */
    List<String> command(Config c, Job job, Path samples) {
        List<String> args = new ArrayList<>(List.of("memory", MemoryCommand.IN_PROCESS, "--scenario", job.scenario().id(),
                "--allocator", job.allocator(), MemoryCommand.SAMPLES, samples.toString()));
        if (c.sizes() == Sizes.QUICK) args.add("--quick");
        return jvm.lab(c.jvmOptions(), args);
    }

    /** @return 0 when every JVM delivered its line, 1 when one failed (the runs before it are reported) */
    int run(Config c, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        List<Job> jobs = plan(c);
        Path dir = c.out() != null ? c.out().toAbsolutePath() : Files.createTempDirectory("hako-memory");
        Path runsDir = dir.resolve("runs");
        Files.createDirectories(runsDir);
        Map<String, String> facts = MachineFacts.collect(Path.of(System.getProperty("hako.home", ".")));
        err.printf(Locale.ROOT, "memory: %d JVMs (%s x %s x %d run%s), sizes %s%s%n", jobs.size(),
                String.join(",", c.scenarios().stream().map(Scenario::id).toList()), String.join(",", c.allocators()),
                c.runs(), c.runs() == 1 ? "" : "s", c.sizes().name(), c.out() == null ? "" : "; report in " + c.out());
        List<MemoryRun> done = new ArrayList<>();
        int code = 0;
        long start = System.nanoTime();
        for (int i = 0; i < jobs.size(); i++) {
            Job job = jobs.get(i);
            err.printf(Locale.ROOT, "[memory %d/%d] %s %s run %d ... ", i + 1, jobs.size(), job.scenario().id(),
                    job.allocator(), job.run());
            err.flush();
            Path log = runsDir.resolve(job.slug() + ".log");
            Path samplesFile = runsDir.resolve(job.slug() + ".samples.csv");
            RunExecutor.Execution ex = executor.execute(command(c, job, samplesFile), log, JVM_TIMEOUT_SECONDS);
            try {
                MemoryRun r = collect(job, ex, samplesFile, c.out() != null ? "runs/" + log.getFileName() : log.toString());
                done.add(r);
                out.println(r.line().format());
                out.flush();
                double elapsed = (System.nanoTime() - start) / 1e9;
                err.printf(Locale.ROOT, "peak +%.0f MiB, after 5 s +%.0f MiB (%.1fs; elapsed %s, ETA %s)%n",
                        Targets.Figure.PEAK.of(r.line()), Targets.Figure.AFTER_5S.of(r.line()), ex.wallSeconds(),
                        Progress.duration(elapsed), Progress.duration(elapsed / (i + 1) * (jobs.size() - i - 1)));
            } catch (IOException | IllegalArgumentException e) {
                err.println("FAILED: " + e.getMessage());
                tail(log, err);
                code = 1;
                break;
            }
        }
        facts = new LinkedHashMap<>(facts);
        facts.put("load at end", MachineFacts.loadAverage());
        List<Targets.Verdict> verdicts = Targets.judge(Targets.of(c.sizes()), done.stream().map(MemoryRun::line).toList());
        if (!verdicts.isEmpty()) out.print("\n" + MemoryReport.targetsTable(verdicts, c.sizes()));
        if (c.out() != null) {
            List<Path> files = MemoryReport.write(dir, c, facts, done, verdicts);
            out.println("report: " + dir.resolve("report.md") + "  (" + String.join(", ",
                    files.stream().map(f -> f.getFileName().toString()).toList()) + ")");
        } else if (code == 0) {
            deleteTree(dir);
        } else {
            err.println("memory: logs kept in " + runsDir);
        }
        return code;
    }

    /** Checks a JVM's result and reads its line, gauges and samples. @throws IllegalArgumentException naming why not */
    static MemoryRun collect(Job job, RunExecutor.Execution ex, Path samplesFile, String log) throws IOException {
        if (ex.timedOut()) throw new IllegalArgumentException("killed after " + JVM_TIMEOUT_SECONDS + " s");
        if (ex.exitCode() != 0) throw new IllegalArgumentException("exit code " + ex.exitCode());
        MemoryLine line = null;
        List<String> gauges = new ArrayList<>();
        for (String l : ex.output().lines().toList()) {
            if (l.startsWith(MemoryLine.PREFIX + "scenario=")) line = MemoryLine.parse(l);
            else if (l.startsWith(GAUGES_PREFIX)) gauges.add(l);
        }
        if (line == null) throw new IllegalArgumentException("no '" + MemoryLine.PREFIX + "' line in the output");
        if (!line.scenario().equals(job.scenario().id()) || !line.allocator().equals(job.allocator())) {
            throw new IllegalArgumentException("the JVM ran " + line.scenario() + "/" + line.allocator() + ", not "
                    + job.scenario().id() + "/" + job.allocator());
        }
        return new MemoryRun(job.scenario(), job.allocator(), job.run(), line, Samples.read(samplesFile), gauges, log,
                ex.wallSeconds());
    }

    static final String GAUGES_PREFIX = "memory-gauges: ";

    private static void tail(Path log, PrintStream err) {
        try {
            List<String> lines = Files.readAllLines(log);
            err.println("last lines of " + log + ":");
            lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> err.println("  " + l));
        } catch (IOException e) {
            err.println("(no log: " + e.getMessage() + ")");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
