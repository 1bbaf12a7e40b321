package dev.hako.lab.echo;

import dev.hako.lab.ab.JvmCommand;
import dev.hako.lab.ab.RunExecutor;
import dev.hako.lab.cli.HakoCli;
import dev.hako.lab.peers.NettyPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoCommandTest {
    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = new CommandLine(new HakoCli());
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void dryRunInterleavesAllocatorsAndRotatesTheirOrderEachRound() {
        Outcome o = run("echo", "--sizes", "64,1024", "--runs", "2", "--seconds", "3", "--warmup", "1",
                "--allocators", "netty-pooled,netty-hako:remote=parcel", "--dry-run", "--out", "/tmp/never-written");
        assertEquals(0, o.code(), o.err());
        List<String> jvms = o.out().lines().toList();
        assertEquals(8, jvms.size(), o.out()); // 2 sizes x 2 allocators x 2 rounds
        assertTrue(jvms.get(0).contains("-Xms256m -Xmx256m -XX:+AlwaysPreTouch"), jvms.get(0));
        assertTrue(jvms.get(0).endsWith("HakoCli echo run --allocator netty-pooled --label netty-pooled"
                + " --connections 16 --size 64 --seconds 3 --warmup 1"), jvms.get(0));
        assertTrue(jvms.get(1).contains("-Dhako.remote=parcel") && jvms.get(1).contains("--allocator netty-hako"
                + " --label netty-hako:remote=parcel"), jvms.get(1));
        assertTrue(jvms.get(2).contains("--allocator netty-pooled") && jvms.get(2).contains("--size 1024"));
        assertTrue(jvms.get(4).contains("--allocator netty-hako") && jvms.get(4).contains("--size 64"),
                "round 2 starts with the other allocator: " + jvms.get(4));
        Outcome plainHeap = run("echo", "--sizes", "64", "--runs", "1", "--heap", "default", "--dry-run");
        assertFalse(plainHeap.out().contains("-Xmx"), plainHeap.out());
        assertEquals(3, plainHeap.out().lines().count(), "the default allocators: pooled, adaptive, hako");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "--allocators=glibc                  | 'glibc' is not a Netty allocator; echo runs netty-pooled",
            "--allocators=netty-hako,netty-hako  | allocator 'netty-hako' given twice",
            "--allocators=netty-pooled:remote=push | applies only to the hako allocator",
            "--allocators=netty-pooled,,x        | is not an allocator spec",
            "--sizes=0                           | --size must be in 1..",
            "--connections=0                     | --connections must be in 1..4096",
            "--seconds=0                         | --seconds must be in (0, 3600]",
            "--warmup=-1                         | --warmup must be in [0, 3600]",
            "--runs=0                            | --runs must be >= 1",
            "--heap=12q                          | --heap must be a size such as 256m",
    })
    void badArgumentsAreUsageErrors(String arg, String message) {
        Outcome o = run("echo", arg.strip(), "--dry-run");
        assertEquals(2, o.code(), o.out());
        assertTrue(o.err().contains(message.strip()), o.err());
    }

    @Test
    void theSingleRunRefusesAnAllocatorThatIsNotNetty() {
        Outcome o = run("echo", "run", "--allocator", "noop");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("'noop' is not a Netty allocator"), o.err());
    }

    @Test
    void specListsSplitOnlyWhereANewSpecStarts() {
        assertEquals(List.of("netty-pooled", "netty-hako:remote=parcel,hako.arena=8g", "netty-adaptive"),
                EchoCommand.splitSpecs("netty-pooled,netty-hako:remote=parcel,hako.arena=8g,netty-adaptive"));
        assertThrows(IllegalArgumentException.class, () -> EchoCommand.splitSpecs("netty-pooled,hako.arena=8g"));
    }

    @Test
    void theEchoLineRoundTrips() {
        EchoLine line = new EchoLine("netty-hako:remote=parcel", 16, 4096, 12345.6, 48.2, 310.5, 4.0, 3, 41, 61728,
                5.0);
        String text = line.format();
        assertTrue(text.startsWith("echo: allocator=netty-hako:remote=parcel connections=16 size=4096"
                + " msgs_per_s=12345.6 mib_per_s=48.20 peak_rss_mib=310.5"), text);
        assertEquals(line, EchoLine.parse("[ECHO] something\n" + text + "\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EchoLine.parse("nothing"));
        assertTrue(e.getMessage().contains("no 'echo:' line"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EchoLine.parse("echo: allocator=x connections=1"));
        assertTrue(e.getMessage().contains("no size="), e.getMessage());
    }

    @Test
    void anExperimentRunsItsPlanJudgesTheTargetAndWritesItsReport(@TempDir Path dir) throws Exception {
        EchoExperiment.Config config = config(dir, 2);
        List<EchoCommand.Planned> plan = EchoCommand.plan(config);
        List<List<String>> commands = new ArrayList<>();
        RunExecutor fake = (command, log, timeout) -> {
            commands.add(command);
            boolean hako = command.contains(NettyPeer.HAKO);
            EchoLine l = new EchoLine(hako ? NettyPeer.HAKO : NettyPeer.POOLED, 8, 512, hako ? 1100 : 1000,
                    1, hako ? 300 : 320, hako ? 4 : 16, 1, 5, 1000, 1.0);
            Files.createDirectories(log.getParent());
            Files.writeString(log, l.format());
            return new RunExecutor.Execution(0, l.format(), 2.5, false);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        EchoExperiment e = EchoCommand.execute(config, plan, new JvmCommand("java", "cp"), fake, Map.of("cpu", "x"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(e.complete());
        assertEquals(4, e.runs().size());
        assertEquals(4, out.toString(StandardCharsets.UTF_8).lines().filter(s -> s.startsWith("echo: ")).count());
        List<EchoTarget> targets = EchoTarget.judge(e);
        assertEquals(1, targets.size());
        assertTrue(targets.getFirst().met(), targets.getFirst().line(e));
        assertEquals(10.0, targets.getFirst().msgsDeltaPct(), 1e-9);

        List<Path> files = EchoReport.write(e);
        assertEquals(List.of("results.csv", "results.json", "chart.png", "report.md"),
                files.stream().map(f -> f.getFileName().toString()).toList());
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("netty-hako vs netty-pooled at c=8 size=512: msgs/s +10.0 % (met), peak RSS -6.3 % (met)"),
                md);
        assertEquals(5, Files.readAllLines(dir.resolve("results.csv")).size());
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"msgs_delta_pct_vs_pooled\": 10"));
        assertTrue(Files.size(dir.resolve("chart.png")) > 1000);
    }

    @Test
    void aFailedRunStopsTheExperimentAndKeepsWhatWasDone(@TempDir Path dir) throws Exception {
        EchoExperiment.Config config = config(dir, 1);
        int[] calls = {0};
        RunExecutor failSecond = (command, log, timeout) -> {
            if (++calls[0] == 2) return new RunExecutor.Execution(1, "boom", 1.0, false);
            String line = new EchoLine("x", 8, 512, 1, 1, 1, 1, 0, 0, 1, 1).format();
            return new RunExecutor.Execution(0, line, 1.0, false);
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EchoExperiment e = EchoCommand.execute(config, EchoCommand.plan(config), new JvmCommand("java", "cp"),
                failSecond, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(e.complete());
        assertEquals(1, e.runs().size());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("FAILED: the JVM exited with code 1"));
        EchoReport.write(e);
        assertTrue(Files.readString(dir.resolve("report.md")).contains("Incomplete"));
    }

    @Test
    void thePipelineEchoesInProcess() throws Exception {
        try (NettyPeer peer = NettyPeer.hako()) {
            EchoPipeline.Result r = EchoPipeline.run(peer.allocator(), 2, 700, 0.1, 0.3);
            assertTrue(r.messages() > 0, "no round trip in the window");
            assertTrue(r.directBytes() > 0, "Hako committed nothing?");
        }
    }

    private static EchoExperiment.Config config(Path dir, int runs) {
        return new EchoExperiment.Config(List.of(8), List.of(512), 1, 0, runs,
                List.of(dev.hako.lab.ab.VariantSpec.parse(NettyPeer.POOLED),
                        dev.hako.lab.ab.VariantSpec.parse(NettyPeer.HAKO)),
                "256m", List.of(), dir, "./hako echo ...");
    }
}
