package dev.hako.lab.ab;

import dev.hako.lab.report.MarkdownReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --runs auto} on a fake bench: which cells get more rounds, how many, in what order, and where it stops. */
class AutoRunsTest {
    static final Cell LOCAL = new Cell(2, 0);
    static final Cell REMOTE = new Cell(2, 90);
    static final List<Variant> AB = List.of(new Variant("A", VariantSpec.parse("hako:remote=push")),
            new Variant("B", VariantSpec.parse("hako:remote=parcel")));

    @TempDir
    static Path shared;
    static Path recording;

    @BeforeAll
    static void emptyRecording() throws Exception {
        recording = shared.resolve("none.jfr");
        Files.writeString(recording, ""); // no profile runs here
    }

    record Outcome(ExperimentResult result, String progress) {}

    static Outcome run(Path out, boolean auto, int maxRuns, ToDoubleFunction<List<String>> speed) throws Exception {
        ExperimentConfig config = new ExperimentConfig("ab", AB, List.of(LOCAL, REMOTE),
                new BenchArgs(1000, 400, 16, 2048, 262144, 0), 5, 0, 0, out, List.of(), false, 60, "./hako ab ...",
                0.95, auto, maxRuns);
        List<PlannedRun> plan = RunPlan.build(config.cells(), config.variants(), config.runs(), 0, 0);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(text, true, StandardCharsets.UTF_8), "ab", plan, config.args(),
                auto ? 1 : 0);
        ExperimentResult result = new ExperimentRunner(new FakeBench(speed, recording), new JvmCommand("java", "cp"))
                .run(config, plan, Map.of(), progress);
        return new Outcome(result, text.toString(StandardCharsets.UTF_8));
    }

    /**
     * M it/s of the fake bench: A runs at 10 in both cells; B at {@code localRatio} x A at R=0 and {@code remoteRatio}
     * x A at R=90; every run carries seeded noise of about {@code noise} (log-normal).
     */
    static ToDoubleFunction<List<String>> speeds(double localRatio, double remoteRatio, double noise, long seed) {
        Random rnd = new Random(seed);
        return cmd -> {
            int bench = cmd.indexOf("bench");
            boolean remote = Integer.parseInt(cmd.get(bench + 6)) > 0;
            double ratio = FakeBench.remoteOf(cmd).equals("parcel") ? (remote ? remoteRatio : localRatio) : 1;
            return 10 * ratio * Math.exp(noise * rnd.nextGaussian());
        };
    }

    static int runs(ExperimentResult r, Cell cell, int variant) {
        return r.side(cell, variant).itersRuns().size();
    }

    @Test
    void anUnresolvedCellGetsInterleavedRoundsAndAResolvedOneDoesNot(@TempDir Path out) throws Exception {
        // R=0: the same speed under 15 % noise cannot show "not 5 % slower" in 5 runs; R=90: +50 % shows at once
        Outcome o = run(out, true, 20, speeds(1.0, 1.5, 0.06, 1));
        ExperimentResult r = o.result();
        assertEquals(5, runs(r, REMOTE, 0));
        assertEquals(5, runs(r, REMOTE, 1));
        int local = runs(r, LOCAL, 0);
        assertEquals(local, runs(r, LOCAL, 1), "both sides get the same rounds");
        assertTrue(local > 5 && local <= 20, "R=0 was extended within the cap: " + local);
        assertTrue(o.progress().contains("[ab] --runs auto, T=2 R=0: 5 -> "), o.progress());
        // the added runs come after the planned 20, alternate A B A B, and continue the round numbers
        List<RunRecord> added = r.runs().subList(20, r.runs().size());
        for (int i = 0; i < added.size(); i++) {
            PlannedRun p = added.get(i).plan();
            assertEquals(LOCAL, p.cell());
            assertEquals(RunKind.TIMED, p.kind());
            assertEquals(i % 2, p.variant(), "interleaved");
            assertEquals(6 + i / 2, p.index());
        }
        CellCheck k = MarkdownReport.throughputCheck(r.assess(0, 1), LOCAL);
        assertTrue(k.status() != Status.INCONCLUSIVE || local == 20, "resolved, or at the cap: " + k.line());
    }

    @Test
    void eachStepGoesToTheEstimateOfTheRunsSoFar(@TempDir Path out) throws Exception {
        Outcome o = run(out, true, 20, speeds(1.0, 1.5, 0.06, 1));
        ExperimentResult r = o.result();
        // replay the first look: the planned runs alone, and the estimate they gave
        ExperimentResult firstLook = new ExperimentResult(r.config(), r.runs().subList(0, 20), r.started(), r.finished(),
                r.facts(), true);
        List<AutoRuns.Step> steps = AutoRuns.next(firstLook);
        assertEquals(1, steps.size(), steps.toString());
        CellCheck k = MarkdownReport.throughputCheck(firstLook.assess(0, 1), LOCAL);
        assertEquals(Math.min(20, k.runsNeeded()), steps.getFirst().target());
        assertTrue(o.progress().contains("T=2 R=0: 5 -> " + steps.getFirst().target() + " runs per side"), o.progress());
    }

    @Test
    void anEffectOnTheThresholdRunsToTheCapAndStaysUnresolved(@TempDir Path out) throws Exception {
        // B exactly 5 % faster at R=90, under 10 % noise: no number of runs decides "+5 % or better"
        Outcome o = run(out, true, 8, speeds(1.2, 1.05, 0.10, 3));
        ExperimentResult r = o.result();
        assertEquals(8, runs(r, REMOTE, 0));
        assertEquals(8, runs(r, REMOTE, 1));
        CellCheck k = MarkdownReport.throughputCheck(r.assess(0, 1), REMOTE);
        assertEquals(Status.INCONCLUSIVE, k.status(), k.line());
        assertTrue(k.runsNeeded() > 8, k.line());
        assertTrue(r.assess(0, 1).verdict().line().contains("T=2 R=90 unresolved"), r.assess(0, 1).verdict().line());
        assertTrue(MarkdownReport.abMatrix(r).contains("(> --max-runs 8)"), MarkdownReport.abMatrix(r));
    }

    @Test
    void withoutAutoNothingIsAdded(@TempDir Path out) throws Exception {
        Outcome o = run(out, false, 5, speeds(1.0, 1.05, 0.15, 1));
        assertEquals(20, o.result().runs().size());
        assertTrue(AutoRuns.next(o.result()).isEmpty());
        assertTrue(!o.progress().contains("--runs auto"), o.progress());
    }

    @Test
    void stepsPlanEveryVariantPerRound() {
        List<PlannedRun> plan = AutoRuns.runs(List.of(new AutoRuns.Step(LOCAL, 5, 7, "why")), AB);
        assertEquals(List.of("6A", "6B", "7A", "7B"),
                plan.stream().map(p -> p.index() + AB.get(p.variant()).label()).toList());
    }
}
