package dev.hako.lab.memory;

import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.RunExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parent's side without JVMs: the plan's order, each child's command, and the report folder. */
class MemorySessionTest {
    /** Answers like a scenario JVM: a line, Hako's gauges, a samples file. */
    private static final class FakeScenarioJvm implements RunExecutor {
        final List<List<String>> commands = new ArrayList<>();
        int failAt = -1;

        @Override
        public Execution execute(List<String> cmd, Path log, long timeoutSeconds) throws IOException {
            commands.add(cmd);
            String scenario = cmd.get(cmd.indexOf("--scenario") + 1);
            String allocator = cmd.get(cmd.indexOf("--allocator") + 1);
            Path samples = Path.of(cmd.get(cmd.indexOf(MemoryCommand.SAMPLES) + 1));
            boolean hako = allocator.equals("hako");
            new Samples(new long[] {0, 50, 100, 6000, 6100}, new long[] {100 << 10, 900 << 10, 300 << 10, 120 << 10,
                    110 << 10}, new long[] {0, 800 << 10, 800 << 10, 800 << 10, 800 << 10},
                    Map.of(Samples.WORK_START, 10L, Samples.WORK_END, 100L)).write(samples);
            MemoryLine line = new MemoryLine(scenario, allocator, 100, 900, 300, 120, 800, hako ? 110 : Double.NaN,
                    0.1, scenario.equals("seed") ? 1e7 : Double.NaN);
            String out = (hako ? MemorySession.GAUGES_PREFIX + "scenario=" + scenario + " at=after_5s [HAKO_STATS] x=1\n"
                    : "") + line.format() + "\n";
            Files.writeString(log, out);
            return new Execution(commands.size() == failAt ? 1 : 0, out, 0.5, false);
        }
    }

    private static MemorySession.Config config(Path out, int runs) {
        return new MemorySession.Config(List.of(Scenario.BURST, Scenario.SEED), MemoryCommand.ALLOCATORS, runs,
                Sizes.QUICK, List.of("-Dhako.decay.ms=200"), out, "./hako memory --scenario burst,seed --quick");
    }

    @Test
    void allocatorsAreInterleavedWithinEachRepetition() {
        List<MemorySession.Job> plan = MemorySession.plan(config(null, 2));
        assertEquals(2 * 2 * 4, plan.size());
        assertEquals(List.of("hako", "glibc", "jemalloc", "mimalloc", "hako"),
                plan.subList(0, 5).stream().map(MemorySession.Job::allocator).toList());
        assertEquals(2, plan.get(4).run());
        assertTrue(plan.subList(0, 8).stream().allMatch(j -> j.scenario() == Scenario.BURST));
    }

    @Test
    void writesTheReportFolderAndEchoesEachLine(@TempDir Path dir) throws Exception {
        FakeScenarioJvm jvm = new FakeScenarioJvm();
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = new MemorySession(jvm, new JvmCommand("java", "cp.jar")).run(config(dir, 1),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> first = jvm.commands.getFirst();
        assertTrue(first.contains("-Dhako.decay.ms=200") && first.contains(MemoryCommand.IN_PROCESS)
                && first.contains("--quick"), first.toString());
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(8, stdout.lines().filter(l -> l.startsWith("memory: scenario=")).count(), stdout);
        assertTrue(stdout.contains("RSS 5 s after the free within 64 MiB") && stdout.contains("| met"),
                "the targets table: " + stdout);
        for (String f : List.of("report.md", "results.csv", "results.json", "samples.csv", "rss-burst.png", "rss-seed.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Hako against the issue's targets") && md.contains("![burst](rss-burst.png)")
                && md.contains("[HAKO_STATS] x=1"), md);
        assertEquals(9, Files.readAllLines(dir.resolve("results.csv")).size());
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"after_trim_mib\": 110"));
    }

    @Test
    void aFailedJvmStopsTheSessionWithExit1AndKeepsWhatRan(@TempDir Path dir) throws Exception {
        FakeScenarioJvm jvm = new FakeScenarioJvm();
        jvm.failAt = 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = new MemorySession(jvm, new JvmCommand("java", "cp.jar")).run(config(dir, 1),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals(3, jvm.commands.size());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("FAILED: exit code 1"));
        assertEquals(3, Files.readAllLines(dir.resolve("results.csv")).size()); // header + the two that ran
    }
}
