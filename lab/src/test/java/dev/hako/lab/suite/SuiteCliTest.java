package dev.hako.lab.suite;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hako suite}'s arguments: bad ones get one line on stderr and exit 2; the plan is what was asked for. */
class SuiteCliTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out, savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new HakoCli()).execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--runs x", "--runs 0", "--threads -1", "--scale 0", "--scale abc", "--warmup -2",
            "--workloads nope", "--allocators noop", "--allocators netty-pooled", "--allocators hako,hako",
            "--allocators tcmalloc", "--frobnicate", "extra"})
    void badArgumentsGetOneLineAndExit2(String args) {
        Run r = run(("suite " + args + " --dry-run").split(" "));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("suite: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void dryRunPrintsOneJvmPerRowAllocatorAndRun() {
        Run r = run("suite", "--dry-run", "--workloads", "larson,alloc-test", "--allocators",
                "hako:remote=parcel,glibc", "--runs", "2", "--threads", "4");
        assertEquals(0, r.code(), r.err());
        List<String> jvms = r.out().lines().toList();
        assertEquals(3 * 2 * 2, jvms.size());
        assertTrue(jvms.getFirst().contains("-Dhako.remote=parcel") && jvms.getFirst().contains(
                "suite run --workload alloc-test1 --allocator hako --threads 4 --scale 1.0 --warmup 1"), jvms.getFirst());
        assertTrue(jvms.get(1).contains("--allocator glibc") && !jvms.get(1).contains("hako.remote"), jvms.get(1));
        assertTrue(jvms.getLast().contains("--workload larson --allocator glibc"), jvms.getLast());
    }

    @Test
    void aBuildSpecRunsThatBuildsLab(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.createFile(dir.resolve("hako-lab.jar"));
        java.nio.file.Files.createDirectory(dir.resolve("lib"));
        Run r = run("suite", "--dry-run", "--workloads", "glibc-simple", "--allocators", "hako:build=" + dir + ",hako",
                "--runs", "1");
        assertEquals(0, r.code(), r.err());
        List<String> jvms = r.out().lines().toList();
        assertEquals(2, jvms.size());
        assertTrue(jvms.getFirst().contains(dir + "/hako-lab.jar:" + dir + "/lib/*"), jvms.getFirst());
        assertTrue(!jvms.getLast().contains(dir.toString()), jvms.getLast());
    }

    @Test
    void quickMeansSmallSizesAndOneRun() {
        SuiteCommand c = new SuiteCommand();
        new CommandLine(c).parseArgs("--quick");
        SuiteConfig config = c.config();
        assertEquals(1, config.runs());
        assertEquals(SuiteCommand.QUICK_SCALE, config.scale());
        assertEquals(Workloads.cases().size(), config.rows().size());
        assertEquals(List.of("hako", "glibc", "jemalloc", "mimalloc"),
                config.allocators().stream().map(a -> a.text()).toList());
    }

    @Test
    void allocatorListsKeepSpecOptionsTogether() {
        var specs = SuitePeers.parse(List.of("hako:remote=inbox,hako.arena=8g,glibc,native:/lib/x.so"));
        assertEquals(List.of("hako:remote=inbox,hako.arena=8g", "glibc", "native:/lib/x.so"),
                specs.stream().map(s -> s.text()).toList());
        assertEquals("8g", specs.getFirst().properties().get("hako.arena"));
        assertThrows(IllegalArgumentException.class, () -> SuitePeers.parse(List.of("glibc,glibc")));
    }

    @Test
    void workloadNamesSelectRowsInReportOrder() {
        assertEquals(List.of("alloc-test1", "alloc-testN", "larson"), Workloads.select(List.of("larson", "alloc-test"))
                .stream().map(SuiteCase::name).toList());
        assertEquals(List.of("cache-thrashN"), Workloads.select(List.of("cache-thrashN")).stream()
                .map(SuiteCase::name).toList());
        assertEquals(14, Workloads.select(List.of("all")).size());
        assertEquals(11, Workloads.workloads().size());
    }
}
