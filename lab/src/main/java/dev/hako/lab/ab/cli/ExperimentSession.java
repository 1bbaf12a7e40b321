package dev.hako.lab.ab.cli;

import dev.hako.lab.ab.AutoRuns;
import dev.hako.lab.ab.Cell;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.ExperimentFailedException;
import dev.hako.lab.ab.ExperimentResult;
import dev.hako.lab.ab.ExperimentRunner;
import dev.hako.lab.ab.ForkedJvm;
import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.PlannedRun;
import dev.hako.lab.ab.RankComparison;
import dev.hako.lab.ab.Progress;
import dev.hako.lab.ab.RunKind;
import dev.hako.lab.ab.RunPlan;
import dev.hako.lab.report.MachineFacts;
import dev.hako.lab.report.ReportWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code ab} and {@code compare} do alike: plan, announce, run (or print the plan), write the report folder,
 * and hand the result to the command's summary printer. Exit codes: 0 when the experiment ran (whatever the
 * verdict: read it from the output or results.json), 1 when a run failed.
 */
final class ExperimentSession {
    private ExperimentSession() {}

    static int run(ExperimentConfig config, boolean dryRun, PrintStream out, PrintStream err,
                   Function<ExperimentResult, String> summary) throws IOException, InterruptedException {
        List<PlannedRun> plan = RunPlan.build(config.cells(), config.variants(), config.runs(), config.counterRuns(),
                config.profileRuns());
        JvmCommand jvm = JvmCommand.current();
        if (dryRun) {
            for (PlannedRun r : plan) {
                Path jfr = config.out().resolve("runs").resolve("run.jfr");
                out.println(String.join(" ", jvm.build(config, r, jfr).stream().map(ExperimentOptions::quote).toList()));
            }
            return 0;
        }
        long timed = plan.stream().filter(r -> r.kind() == RunKind.TIMED).count();
        long counters = plan.stream().filter(r -> r.kind() == RunKind.COUNTERS).count();
        long profile = plan.stream().filter(r -> r.kind() == RunKind.PROFILE).count();
        err.printf("%s: %s%n", config.command(), String.join("  vs  ",
                config.variants().stream().map(v -> v.display()).toList()));
        err.printf("%s: cells %s; %d JVMs (%d timed, %d counter, %d JFR)%s; report in %s%n", config.command(),
                String.join(", ", config.cells().stream().map(c -> c.label()).toList()), plan.size(), timed, counters,
                profile, config.autoRuns() ? " to start with, then up to " + config.maxRuns()
                        + " timed per side in unresolved cells (--runs auto)" : "", config.out());
        err.printf("%s: throughput judged on the %s interval of B/A (Mann-Whitney, Hodges-Lehmann on log it/s)%n",
                config.command(), RankComparison.percent(config.confidence()));
        Map<Cell, Integer> start = new LinkedHashMap<>();
        for (Cell c : config.cells()) start.put(c, config.runs());
        double reserve = config.autoRuns() ? AutoRuns.reserveUnits(config, start) : 0;
        Map<String, String> facts = MachineFacts.collect(home());
        ExperimentResult result;
        int code = 0;
        try {
            result = new ExperimentRunner(new ForkedJvm(), jvm).run(config, plan, facts,
                    new Progress(err, config.command(), plan, config.args(), reserve));
        } catch (ExperimentFailedException e) {
            err.println(config.command() + ": " + e.getMessage());
            result = e.partial();
            code = 1;
        }
        result = result.withFacts(Map.of("load at end", MachineFacts.loadAverage()));
        List<Path> files = ReportWriter.write(result);
        if (code == 0) out.print(summary.apply(result));
        out.println("report: " + config.out().resolve("report.md") + "  (" + String.join(", ",
                files.stream().map(f -> f.getFileName().toString()).toList()) + ")");
        return code;
    }

    /** The checkout the lab runs from (for the commit in the report): {@code -Dhako.home}, else the working directory. */
    private static Path home() {
        String h = System.getProperty("hako.home");
        return Path.of(h != null ? h : ".");
    }
}
