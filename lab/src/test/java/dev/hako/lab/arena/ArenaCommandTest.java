package dev.hako.lab.arena;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaCommandTest {
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
    @ValueSource(strings = {"--arenas nosuch", "--arenas jdk-confined,jdk-confined", "--sizes 4", "--sizes 64-16",
            "--sizes x", "--count 0", "--runs 0", "--measure-ms 0", "--warmup-ms -1"})
    void badArgumentsExit2(String args) {
        Run r = hako(("arena " + args).split(" "));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("arena: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @ParameterizedTest
    @EnumSource(ArenaKind.class)
    void everyArenaMeasuresInThisJvm(ArenaKind kind) {
        Run r = hako("arena", "--in-jvm", "--arenas", kind.label, "--sizes", "16-256", "--count", "10",
                "--warmup-ms", "0", "--measure-ms", "50");
        assertEquals(0, r.code(), r.err());
        ArenaMeasurement m = ArenaMeasurement.parse(r.out()).orElseThrow(() -> new AssertionError(r.out()));
        assertEquals(kind, m.kind());
        assertEquals("16-256", m.size());
        assertEquals(10, m.count());
        assertTrue(m.arenas() > 0 && m.wallNs() > 0 && m.cpuNs() > 0, m.toString());
    }

    @Test
    void sizesAreMultiplesOfEightInRange() {
        long[] s = ArenaWorkload.sizes("16-256", 10_000);
        assertTrue(Arrays.stream(s).allMatch(x -> x >= 16 && x <= 256 && x % 8 == 0));
        assertEquals(16, Arrays.stream(s).min().orElseThrow());
        assertEquals(256, Arrays.stream(s).max().orElseThrow());
        assertTrue(Arrays.stream(ArenaWorkload.sizes("64", 5)).allMatch(x -> x == 64));
        assertThrows(IllegalArgumentException.class, () -> ArenaWorkload.sizes("7", 1));
    }

    @Test
    void tableShowsMediansAndRatiosToJdkConfined() {
        ArenaCommand c = new ArenaCommand();
        c.sizes = List.of("64");
        List<ArenaMeasurement> results = List.of(
                new ArenaMeasurement(ArenaKind.JDK_CONFINED, "64", 100, 90, 80, 1),
                new ArenaMeasurement(ArenaKind.JDK_CONFINED, "64", 100, 100, 80, 1),
                new ArenaMeasurement(ArenaKind.JDK_CONFINED, "64", 100, 200, 80, 1),
                new ArenaMeasurement(ArenaKind.HAKO_CONFINED, "64", 100, 10, 9, 1),
                new ArenaMeasurement(ArenaKind.HAKO_CONFINED, "64", 100, 20, 9, 1),
                new ArenaMeasurement(ArenaKind.HAKO_CONFINED, "64", 100, 30, 9, 1));
        String table = c.table(List.of(ArenaKind.HAKO_CONFINED, ArenaKind.JDK_CONFINED), results,
                ArenaMeasurement::wallNs, false);
        assertTrue(table.contains("| 64   | 20.0             | 100.0           | 5.0x"), table);
        List<ArenaMeasurement> withFloor = new java.util.ArrayList<>(results);
        withFloor.add(new ArenaMeasurement(ArenaKind.FLOOR, "64", 100, 10, 10, 1));
        String over = c.table(List.of(ArenaKind.FLOOR, ArenaKind.HAKO_CONFINED, ArenaKind.JDK_CONFINED), withFloor,
                ArenaMeasurement::wallNs, true);
        assertTrue(over.contains("| 64   | 10.0             | 90.0            | 9.0x"), over);
        assertTrue(!over.contains("floor ns"), over);
    }

    @Test
    void lineRoundTrips() {
        ArenaMeasurement m = new ArenaMeasurement(ArenaKind.HAKO_SHARED, "16-256", 100, 12.25, 11.5, 4096);
        assertEquals(m, ArenaMeasurement.parse("noise\n" + m.line() + "\n").orElseThrow());
    }
}
