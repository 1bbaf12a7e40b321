package dev.hako.lab.suite;

import dev.hako.lab.ab.VariantSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite end to end (runs in this JVM instead of forked ones): plan, runs, summary lines and report folder. */
class SuitePipelineTest {
    private static SuiteConfig config(Path out) {
        return new SuiteConfig(Workloads.select(List.of("glibc-simple", "larson")),
                SuitePeers.parse(List.of("hako,glibc")), 2, 2, 0.004, 0, false, out, List.of(), 60, "./hako suite ...");
    }

    @Test
    void runsEveryJobAndWritesTheReport(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InProcessSuite executor = new InProcessSuite(s -> s);
        int code = SuiteCommand.run(config(dir), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), executor);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8) + printed);
        assertEquals(8, executor.calls);
        List<String> lines = printed.lines().filter(l -> l.startsWith("suite: workload=")).toList();
        assertEquals(4, lines.size(), printed);
        assertTrue(lines.get(0).matches("suite: workload=glibc-simple allocator=hako time_s=[0-9.]+ peak_rss_mib=[0-9.]+"
                + " rel_time=[0-9.]+ rel_rss=[0-9.]+ runs=2"), lines.get(0));
        assertTrue(lines.get(3).startsWith("suite: workload=larson allocator=glibc ops_per_s="), lines.get(3));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("[suite 8/8] larson glibc run 2 ... ") && progress.contains("ETA"), progress);
        for (String f : List.of("report.md", "results.csv", "results.json", "chart.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(1 + 8, Files.readAllLines(dir.resolve("results.csv")).size());
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Time relative to the best") && md.contains("| larson ") && !md.contains("FAILED"), md);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"relative_time\""));
    }

    @Test
    void aFailedRunIsReportedAndTheSuiteGoesOn(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InProcessSuite executor = new InProcessSuite(s -> s.contains("workload=larson allocator=glibc")
                ? "suite: FAILED workload=larson allocator=glibc reason=larson: tag written at allocation: block 0x10"
                + " of 8 bytes differs at offset 0\n" : s);
        int code = SuiteCommand.run(config(dir), false, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), executor);
        assertEquals(1, code);
        assertEquals(8, executor.calls);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("suite: workload=larson allocator=glibc FAILED (all 2 runs): FAILED workload=larson"),
                printed);
        assertTrue(printed.contains("suite: workload=larson allocator=hako ops_per_s="), printed);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Failures") && md.contains("tag written at allocation"), md);
    }

    @Test
    void planInterleavesTheAllocatorsWithinEachRow(@TempDir Path dir) {
        List<SuiteJob> plan = config(dir).plan();
        assertEquals(8, plan.size());
        List<String> order = plan.stream().map(j -> j.row().name() + "/" + j.allocator() + "/" + j.round()).toList();
        assertEquals(List.of("glibc-simple/0/1", "glibc-simple/1/1", "glibc-simple/0/2", "glibc-simple/1/2",
                "larson/0/1", "larson/1/1", "larson/0/2", "larson/1/2"), order);
        SuiteJob first = plan.getFirst();
        assertEquals(List.of("suite", "run", "--workload", "glibc-simple", "--allocator", "hako", "--threads", "2",
                "--scale", "0.004", "--warmup", "0"), config(dir).runArgs(first));
        VariantSpec hako = config(dir).allocators().getFirst();
        assertEquals("hako", hako.allocator());
    }
}
