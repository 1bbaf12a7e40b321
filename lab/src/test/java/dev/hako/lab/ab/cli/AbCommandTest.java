package dev.hako.lab.ab.cli;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AbCommandTest {
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
    void dryRunPrintsEveryJvmInOrder() {
        Outcome o = run("ab", "--a", "hako:remote=push", "--b", "hako:hako.arena=8g", "--threads", "4",
                "--remote", "0,90", "--iters", "100", "--runs", "2", "--dry-run", "--out", "/tmp/never-written");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        // T=4 R=0: 2x2 timed + 2 counters; T=4 R=90: the same + 2 JFR
        assertEquals(14, lines.size(), o.out());
        assertTrue(lines.get(0).contains("-Dhako.remote=push"), lines.get(0));
        assertTrue(lines.get(0).endsWith("dev.hako.lab.cli.HakoCli bench 4 100 400 16 2048 0 262144 --warmup 2"
                + " --allocator hako"), lines.get(0));
        assertTrue(lines.get(1).contains("-Dhako.arena=8g"), lines.get(1));
        assertTrue(lines.get(4).contains("-Dhako.stats=true"), lines.get(4));
        assertTrue(lines.get(12).contains("-XX:StartFlightRecording=filename="), lines.get(12));
        assertTrue(lines.get(0).contains("--enable-native-access=ALL-UNNAMED"), lines.get(0));
    }

    @Test
    void badSpecIsAUsageError() {
        Outcome o = run("ab", "--a", "hako:remote=nope", "--b", "hako");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("bad variant spec 'hako:remote=nope': unknown remote-free strategy 'nope'"), o.err());
    }

    @Test
    void badMatrixIsAUsageError() {
        Outcome o = run("ab", "--a", "hako", "--b", "glibc", "--remote", "120", "--dry-run");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("remote percentage must be 0..100, got 120"), o.err());
        Outcome m = run("ab", "--a", "hako", "--b", "glibc", "--min", "64", "--max", "32", "--dry-run");
        assertEquals(2, m.code());
        assertTrue(m.err().contains("--max (32) must be >= --min (64)"), m.err());
    }

    @Test
    void runsAutoStartsWithFiveRoundsAndRerunsAsAuto() {
        Outcome o = run("ab", "--a", "hako:remote=push", "--b", "hako:remote=parcel", "--threads", "2", "--remote", "0",
                "--iters", "100", "--runs", "auto", "--max-runs", "8", "--counter-runs", "0", "--dry-run",
                "--out", "/tmp/never-written");
        assertEquals(0, o.code(), o.err());
        assertEquals(10, o.out().lines().count(), "5 rounds of A and B to start with: " + o.out());
    }

    @Test
    void badRunsOptionsAreUsageErrors() {
        Outcome words = run("ab", "--a", "hako", "--b", "glibc", "--runs", "many", "--dry-run");
        assertEquals(2, words.code());
        assertTrue(words.err().contains("--runs must be a number or 'auto', got 'many'"), words.err());
        Outcome cap = run("ab", "--a", "hako", "--b", "glibc", "--runs", "auto", "--max-runs", "3", "--dry-run");
        assertEquals(2, cap.code());
        assertTrue(cap.err().contains("--max-runs 3 cannot resolve anything at 95 %: the rank test needs >= 4 runs per side"),
                cap.err());
        Outcome level = run("ab", "--a", "hako", "--b", "glibc", "--confidence", "100", "--dry-run");
        assertEquals(2, level.code());
        assertTrue(level.err().contains("--confidence must be a percentage from 50 up to (not including) 100"), level.err());
    }

    @Test
    void confidenceAsPercentOrFraction() {
        assertEquals(0.99, ExperimentOptions.confidenceLevel(99), 1e-12);
        assertEquals(0.9, ExperimentOptions.confidenceLevel(0.9), 1e-12);
    }

    @Test
    void compareNeedsDistinctVariants() {
        Outcome o = run("compare", "hako", "hako", "--dry-run");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("variant 'hako' given twice"), o.err());
        Outcome one = run("compare", "hako");
        assertEquals(2, one.code());
    }

    @Test
    void quotingForTheRerunLine() {
        assertEquals("hako:remote=push,hako.arena=8g", ExperimentOptions.quote("hako:remote=push,hako.arena=8g"));
        assertEquals("'-XX:+UseG1GC -Xmx1g'", ExperimentOptions.quote("-XX:+UseG1GC -Xmx1g"));
        assertEquals("'it'\\''s'", ExperimentOptions.quote("it's"));
    }
}
