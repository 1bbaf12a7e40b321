package dev.hako.lab.vthreads;

import dev.hako.lab.ab.VariantSpec;
import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VthreadsCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run hako(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new HakoCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--allocators nosuch", "--allocators noop", "--allocators hako,hako", "--modes fibre",
            "--tasks 0", "--ops 0", "--slots 0", "--min 4", "--max 8 --min 16", "--runs 0", "--carriers -1",
            "--api thread", "--in-jvm --allocators hako,glibc", "--in-jvm --modes virtual,platform",
            "--in-jvm --allocators hako:hako.virtual=0"})
    void badArgumentsExit2(String args) {
        Run r = hako(("vthreads " + args).split(" "));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("vthreads: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hako virtual static", "hako platform static", "hako virtual heap", "glibc virtual static"})
    void measuresInThisJvmAndChecksEveryBlock(String which) {
        String[] w = which.split(" ");
        Run r = hako("vthreads", "--in-jvm", "--allocators", w[0], "--modes", w[1], "--api", w[2], "--tasks", "50",
                "--ops", "2000", "--carriers", "2", "--warmup-ops", "2000");
        assertEquals(0, r.code(), r.out() + r.err());
        VthreadsRun v = VthreadsRun.parse(r.out()).orElseThrow(() -> new AssertionError(r.out()));
        assertEquals(w[0], v.allocator());
        assertEquals(w[1], v.mode());
        assertEquals(50, v.tasks());
        assertEquals(0, v.corrupt());
        assertTrue(v.opsPerSecond() > 0 && v.seconds() > 0, v.toString());
        if (w[0].equals("hako")) assertTrue(v.hako().contains("audit=ok"), v.hako());
        else assertEquals("-", v.hako());
        assertTrue(v.sound());
    }

    @Test
    void tableGivesMediansAndRatios() {
        VthreadsCommand c = new VthreadsCommand();
        c.modes = List.of("virtual", "platform");
        VariantSpec hako = VariantSpec.parse("hako"), glibc = VariantSpec.parse("glibc");
        List<VthreadsCommand.Result> results = List.of(
                result(hako, "virtual", 90e6), result(hako, "virtual", 100e6), result(hako, "virtual", 200e6),
                result(hako, "platform", 120e6), result(hako, "platform", 125e6), result(hako, "platform", 130e6),
                result(glibc, "virtual", 50e6), result(glibc, "virtual", 50e6), result(glibc, "virtual", 50e6),
                result(glibc, "platform", 60e6), result(glibc, "platform", 60e6), result(glibc, "platform", 60e6));
        String t = c.table(List.of(hako, glibc), results);
        assertTrue(t.contains("100.0 (90.0-200.0)"), t);
        assertTrue(t.contains("125.0 (120.0-130.0)"), t);
        assertTrue(t.contains("| 0.80 "), t); // virtual / platform
        assertTrue(t.contains("| 2.00 "), t); // hako virtual / glibc virtual
    }

    private static VthreadsCommand.Result result(VariantSpec spec, String mode, double opsPerSecond) {
        return new VthreadsCommand.Result(spec, new VthreadsRun(spec.allocator(), mode, 2, 1000, 200000, opsPerSecond,
                1, 100, 0, "-"));
    }

    @Test
    void lineRoundTrips() {
        VthreadsRun v = new VthreadsRun("hako", "virtual", 2, 1000, 200000, 1.5e8, 1.333, 80.5, 0,
                "owners_high_water=10 committed_mib=12.0 audit=ok");
        assertEquals(v, VthreadsRun.parse("noise\n" + v.line() + "\nmore").orElseThrow());
    }
}
