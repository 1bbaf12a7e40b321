package dev.hako.lab.bench;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
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
    @ValueSource(strings = {
            "0 100 400 16 2048 0",          // threads = 0
            "1 0 400 16 2048 0",            // iters = 0
            "1 100 0 16 2048 0",            // ws = 0
            "1 100 400 0 2048 0",           // min = 0
            "1 100 400 64 32 0",            // max < min
            "1 100 400 16 2048 101",        // remote_pct > 100
            "1 100 400 16 2048 0 0",        // ring_slots = 0
            "1 100 400 16 2048",            // missing remote_pct
            "1 x 400 16 2048 0",            // not a number
            "1 100 400 16 2048 0 8 9",      // too many
            "1 100 400 16 2048 0 --allocator nosuch",
            "1 100 400 16 2048 0 --allocator noop --remote push",
            "1 100 400 16 2048 0 --allocator hako --remote nosuch",
            "1 100 400 16 2048 0 --warmup -1"})
    void badArgumentsExit2WithAUsageLine(String args) {
        String[] argv = ("bench " + args).split(" ");
        Run r = hako(argv);
        assertEquals(2, r.code(), "exit code for: " + args + "\n" + r.err());
        assertTrue(r.err().contains("Usage: hako bench") || r.err().contains(BenchArgs.USAGE),
                "usage line for: " + args + "\n" + r.err());
        assertTrue(r.out().isEmpty(), "nothing on stdout for: " + args + "\n" + r.out());
    }

    @Test
    void seedValidationMessageNamesTheUsage() {
        Run r = hako("bench", "1", "100", "400", "64", "32", "0");
        assertTrue(r.err().contains(BenchArgs.USAGE), r.err());
        assertTrue(r.err().contains("max >= min"), r.err());
    }

    @Test
    void printsStableParseableLinesAndJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("sub/run.json");
        Run r = hako("bench", "2", "3000", "400", "16", "2048", "90", "4096", "--allocator", "noop", "--warmup", "1",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        List<Pattern> expected = List.of(
                Pattern.compile("\\[BENCH_ARGS] threads=2 iters=3000 ws=400 min=16 max=2048 remote_pct=90 ring_slots=4096"),
                Pattern.compile("\\[HAKO] allocator=noop remote=- jdk=\\S+"),
                Pattern.compile("\\[PEER] allocator=noop detail=.+"),
                Pattern.compile("bench_random_mixed_mt_remote: threads=2 ops=\\d+ time=\\d+\\.\\d{6} ops/s=\\d+\\.\\d{2}"),
                Pattern.compile("\\[EFFECTIVE_REMOTE] target=90 actual=\\d+\\.\\d{2}% fallback_rate=\\d+\\.\\d{2}%"
                        + " sends=\\d+ local_frees=\\d+ fallback_frees=\\d+ recv_frees=\\d+"),
                Pattern.compile("\\[ITERS] iters=6000 time=\\d+\\.\\d{6} iters_per_s=\\d+\\.\\d{2} allocs=\\d+"
                        + " dirty=(true|false) worker_cpu_s=\\d+\\.\\d{6}"),
                Pattern.compile("\\[ALLOC_FAILURES] count=0"),
                Pattern.compile("\\[PROCESS_MEMORY] peak_rss_kb=\\d+"));
        assertEquals(expected.size(), lines.size(), r.out());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).matcher(lines.get(i)).matches(), "line " + i + ": " + lines.get(i));
        }
        assertTrue(r.err().contains("[WARMUP] run=1/1"), r.err());
        String j = Files.readString(json);
        for (String key : new String[] {"\"allocator\":\"noop\"", "\"ops_per_s\":", "\"iters_per_s\":",
                "\"fallback_rate_pct\":", "\"per_thread\":[{", "\"peak_rss_kb\":", "\"warmup_ops_per_s\":["}) {
            assertTrue(j.contains(key), key + " in " + j);
        }
    }
}
