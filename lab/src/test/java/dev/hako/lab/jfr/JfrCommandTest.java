package dev.hako.lab.jfr;

import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.lab.cli.HakoCli;
import jdk.jfr.Recording;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JfrCommandTest {
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
            "--out",                                       // no file
            "--out a.jfr --out b.jfr 1 100 400 16 2048 0", // twice
            "1 100",                                       // the bench's parameters missing
            "1 100 400 64 32 0",                           // the bench's validation: max < min
            "1 100 400 16 2048 0 --allocator nosuch",
            "1 100 400 16 2048 0 --bogus"})
    void badArgumentsGetOneLineAndExit2(String args, @TempDir Path dir) {
        String[] argv = ("jfr " + args).replace("a.jfr", dir.resolve("a.jfr").toString()).split(" ");
        Run r = hako(argv);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("jfr: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void helpNamesTheOptions() {
        Run r = hako("jfr", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--out FILE.jfr") && r.out().contains("<bench arguments>"), r.out());
    }

    @Test
    void recordsABenchRunAndSummarizesHakosEvents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/run.jfr");
        Run r = hako("jfr", "2", "20000", "100", "16", "2048", "90", "4096", "--warmup", "0", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(file) > 0);
        String out = r.out();
        assertTrue(out.contains("bench_random_mixed_mt_remote: threads=2"), "the bench's own lines come first: " + out);
        assertTrue(out.contains("[JFR] file=" + file), out);
        for (String line : List.of("[JFR_EVENTS]", "[JFR_PAGES]", "[JFR_PURGE]", "[JFR_TRIM]", "[JFR_LARGE]",
                "[JFR_DRAIN]", "[JFR_OWNERS]", "[JFR_GAUGES]")) {
            assertTrue(out.contains(line), line + " missing: " + out);
        }
        Map<String, Long> events = fields(out, "[JFR_EVENTS]");
        assertTrue(events.get("PageTake") > 0, out);
        assertTrue(events.get("RemoteDrain") > 0, "R=90 on two threads drains remote frees: " + out);
        assertTrue(events.get("OwnerClaim") >= 2, "two workers claim owners: " + out);
        Map<String, Long> pages = fields(out, "[JFR_PAGES]");
        assertEquals(events.get("PageTake"), pages.get("taken"));
        assertEquals(pages.get("taken") * 64, pages.get("taken_kb"));
    }

    /** The {@code key=number} fields of the line starting with {@code tag}. */
    private static Map<String, Long> fields(String out, String tag) {
        String line = out.lines().filter(l -> l.startsWith(tag)).findFirst().orElseThrow();
        Map<String, Long> m = new java.util.HashMap<>();
        Matcher x = Pattern.compile("(\\w+)=(\\d+)(?=\\s|$)").matcher(line);
        while (x.find()) m.put(x.group(1), Long.parseLong(x.group(2)));
        return m;
    }

    @Test
    void theSummaryShouldAddUpWhatTheAllocatorDid(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("known.jfr");
        long trimmed;
        long[] usable = new long[3];
        try (Recording recording = new Recording()) {
            HakoEventSummary.EVENTS.forEach(recording::enable);
            recording.start();
            try (HakoAllocator hako = HakoAllocator.create(HakoConfig.builder().arenaBytes(1L << 30).build())) {
                long[] sizes = {100_000, 1 << 20, 48L << 20}; // two from the arena, one mapped (above 32 MiB)
                for (int i = 0; i < sizes.length; i++) {
                    long b = hako.malloc(sizes[i]);
                    usable[i] = hako.usableSize(b);
                    hako.free(b);
                }
                trimmed = hako.trim();
            }
            recording.stop();
            recording.dump(file);
        }
        HakoEventSummary s = HakoEventSummary.read(file);
        Map<String, Long> large = fields(String.join("\n", s.lines()), "[JFR_LARGE]");
        long usableKb = (usable[0] + usable[1] + usable[2]) >> 10;
        assertEquals(Map.of("allocations", 3L, "allocated_kb", usableKb, "mapped", 1L, "frees", 3L, "freed_kb",
                usableKb), large);
        Map<String, Long> trim = fields(String.join("\n", s.lines()), "[JFR_TRIM]");
        assertEquals(Map.of("trims", 1L, "returned_kb", trimmed >> 10), trim);
        assertTrue(trimmed >= (usable[0] + usable[1]), "the arena blocks' pages were purged: " + trimmed);
        Map<String, Long> purge = fields(String.join("\n", s.lines()), "[JFR_PURGE]");
        assertTrue(purge.get("by_trim") >= 1 && purge.get("purged_kb") >= trimmed >> 10, purge.toString());
    }
}
