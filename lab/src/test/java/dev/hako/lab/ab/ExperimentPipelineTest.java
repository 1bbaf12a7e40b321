package dev.hako.lab.ab;

import dev.hako.lab.report.ReportWriter;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole lab on a fake bench: plan, runs, checks, statistics, verdict and every report file. */
class ExperimentPipelineTest {
    @TempDir
    static Path shared;
    static Path recording;

    @BeforeAll
    static void recordSomething() throws Exception {
        recording = shared.resolve("tiny.jfr");
        try (Recording r = new Recording()) {
            r.enable(JfrPushPath.EVENT).withPeriod(Duration.ofMillis(1));
            r.start();
            long end = System.nanoTime() + 100_000_000L, x = 0;
            while (System.nanoTime() < end) x += Long.numberOfTrailingZeros(x | 1);
            r.stop();
            r.dump(recording);
        }
    }

    static ExperimentConfig config(Path out, String command, List<Variant> variants, List<Cell> cells) {
        return new ExperimentConfig(command, variants, cells, new BenchArgs(1000, 400, 16, 2048, 262144, 2), 5, 1, 1,
                out, List.of(), false, 60, "./hako " + command + " ...");
    }

    static ExperimentResult run(ExperimentConfig config, FakeBench bench) throws Exception {
        List<PlannedRun> plan = RunPlan.build(config.cells(), config.variants(), config.runs(), config.counterRuns(),
                config.profileRuns());
        Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), config.command(), plan, config.args());
        return new ExperimentRunner(bench, new JvmCommand("java", "cp")).run(config, plan, Map.of("nproc", "2"), progress);
    }

    @Test
    void abWritesEveryReportFile(@TempDir Path out) throws Exception {
        List<Variant> v = List.of(new Variant("A", VariantSpec.parse("hako:remote=push")),
                new Variant("B", VariantSpec.parse("hako:hako.arena=8g")));
        ExperimentConfig config = config(out, "ab", v, Cell.matrix(List.of(4, 32), List.of(0, 90)));
        FakeBench bench = new FakeBench(cmd -> cmd.contains("-Dhako.arena=8g") ? 11 : 10, recording);
        ExperimentResult result = run(config, bench);
        // 4 cells x (5 timed x 2 + 1 counter x 2) + 2 remote cells x 2 JFR
        assertEquals(4 * 12 + 2 * 2, result.runs().size());
        assertTrue(result.complete());
        Assessment a = result.assess(0, 1);
        assertEquals(Status.PASS, a.criteria().get(0).status(), a.criteria().get(0).result());
        assertEquals(Status.PASS, a.criteria().get(1).status(), "a gain at R=0 is no regression");
        assertEquals(Status.FAIL, a.criteria().get(2).status(), "both sides push: no fewer atomics");
        assertEquals(Verdict.Kind.NO_GO, a.verdict().kind());
    }

    @Test
    void reportsAreWrittenAndReadable(@TempDir Path out) throws Exception {
        List<Variant> v = List.of(new Variant("A", VariantSpec.parse("hako:remote=push")),
                new Variant("B", VariantSpec.parse("hako:hako.arena=8g")));
        ExperimentConfig config = config(out, "ab", v, Cell.matrix(List.of(4, 32), List.of(0, 90)));
        ExperimentResult result = run(config, new FakeBench(cmd -> cmd.contains("-Dhako.arena=8g") ? 10.2 : 10, recording));
        ReportWriter.write(result);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("**verdict: "), md);
        assertTrue(md.contains("| Throughput (R=90)"), md);
        assertTrue(md.contains("## Rerun"), md);
        assertTrue(md.contains("| B/A   | CI 95 %"), md);
        assertTrue(md.contains("| T=4 R=90  | 5 / 5    | 10.00    | 10.20    | 1.020 | [1.020, 1.020] |"), md);
        List<String> cells = Files.readAllLines(out.resolve("cells.csv"));
        assertEquals(1 + 4, cells.size(), "one row per cell: " + cells);
        assertTrue(cells.getFirst().startsWith("threads,remote_pct,baseline,candidate,criterion,runs_a,runs_b"), cells.getFirst());
        assertTrue(cells.get(2).startsWith("4,90,A,B,throughput,5,5,10000000,10200000,1.02,"), cells.get(2));
        assertTrue(cells.get(2).endsWith(",FAIL,"), "+2 % is below the target: " + cells.get(2));
        assertTrue(md.contains("| nproc"), md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(result.runs().size() + 1, csv.size());
        assertTrue(csv.getFirst().startsWith("seq,kind,threads,remote_pct,variant,spec"), csv.getFirst());
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"verdict_line\": \"verdict: "), json);
        assertTrue(json.contains("\"runs\": ["), json);
        assertTrue(json.contains("\"ci_low\": 1.02"), json);
        assertTrue(json.contains("\"confidence\": 0.95"), json);
        BufferedImage png = ImageIO.read(out.resolve("chart.png").toFile());
        assertNotNull(png, "chart.png is a PNG");
        assertTrue(png.getWidth() >= 1000 && png.getHeight() >= 800, png.getWidth() + "x" + png.getHeight());
    }

    @Test
    void compareWithNoopGivesTheFloorTable(@TempDir Path out) throws Exception {
        List<Variant> v = List.of(new Variant("noop", VariantSpec.parse("noop")),
                new Variant("hako", VariantSpec.parse("hako")), new Variant("glibc", VariantSpec.parse("glibc")));
        ExperimentConfig config = config(out, "compare", v, Cell.matrix(List.of(1, 2), List.of(0, 90)));
        FakeBench bench = new FakeBench(cmd -> switch (cmd.get(cmd.indexOf("--allocator") + 1)) {
            case "noop" -> 50;
            case "hako" -> 40;
            default -> 10;
        }, recording);
        ExperimentResult result = run(config, bench);
        ReportWriter.write(result);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Cost per op over the `noop` floor"), md);
        // ops = 3 * T * iters, so ops/s = 3 * it/s: hako 120 M ops/s, noop 150 M -> 1e9/120e6 - 1e9/150e6 = 1.67 ns
        assertTrue(md.contains("| hako      | 1.67"), md);
        assertTrue(md.contains("T=1: the benchmark ignores remote_pct"), md);
        assertTrue(Files.readString(out.resolve("results.json")).contains("\"cost_ns_per_op_over_noop\""));
        assertEquals(1, config.baseline(), "noop is a floor, not a baseline");
        assertEquals(List.of(2), config.candidates());
        assertTrue(md.contains("## The seed's criteria against `hako`"), md);
        String criteria = md.substring(md.indexOf("## The seed's criteria against"), md.indexOf("## Chart"));
        assertTrue(criteria.contains("| glibc   | FAIL"), criteria);
        assertFalse(criteria.contains("| noop"), "the floor is not judged: " + criteria);
    }

    @Test
    void aRunThatDidNotRunTheAskedStrategyStopsTheExperiment(@TempDir Path out) throws Exception {
        List<Variant> v = List.of(new Variant("A", VariantSpec.parse("hako:remote=push")),
                new Variant("B", VariantSpec.parse("hako:remote=push")));
        FakeBench bench = new FakeBench(cmd -> 10, recording);
        bench.remoteOverride = "batch";
        ExperimentFailedException e = assertThrows(ExperimentFailedException.class,
                () -> run(config(out, "ab", v, List.of(new Cell(2, 0))), bench));
        assertTrue(e.getMessage().contains("asked for remote=push, the bench ran remote=batch"), e.getMessage());
        assertFalse(e.partial().complete());
        assertEquals(0, e.partial().runs().size());
    }

    @Test
    void aFailingJvmStopsTheExperimentAndKeepsWhatRan(@TempDir Path out) throws Exception {
        List<Variant> v = List.of(new Variant("A", VariantSpec.parse("hako")), new Variant("B", VariantSpec.parse("glibc")));
        FakeBench bench = new FakeBench(cmd -> 10, recording);
        bench.failAtCall = 3;
        ExperimentFailedException e = assertThrows(ExperimentFailedException.class,
                () -> run(config(out, "ab", v, List.of(new Cell(2, 0))), bench));
        assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("| bench_random_mixed_mt_remote:"), "log tail shown: " + e.getMessage());
        assertEquals(2, e.partial().runs().size());
        ReportWriter.write(e.partial());
        assertTrue(Files.readString(out.resolve("report.md")).contains("**Incomplete"));
    }
}
