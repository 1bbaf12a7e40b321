package dev.hako.lab.memory;

import dev.hako.lab.cli.HakoCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hako memory}'s arguments: every bad one gets one line on stderr and exit code 2; --help works. */
class MemoryCommandTest {
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
            "",                                         // no scenario
            "--scenario",                               // no value
            "--scenario nosuch",
            "--scenario burst,,phase",
            "--scenario burst --allocator noop",        // never frees: not a memory peer
            "--scenario burst --allocator",
            "--scenario burst --allocator hako,nosuch",
            "--scenario burst --runs 0",
            "--scenario burst --runs x",
            "--scenario burst --runs",
            "--scenario burst --out",
            "--scenario burst --jvm-opt",
            "--scenario burst extra",
            "--scenario burst --bogus",
            "--scenario all --in-process --allocator hako",   // in-process runs one scenario
            "--scenario burst --in-process",                  // ... on one allocator
            "--scenario burst --samples /tmp/x.csv"})         // only with --in-process
    void badArgumentsGetOneLineAndExit2(String args) {
        String[] argv = ("memory " + args).trim().split(" ");
        Run r = hako(argv);
        assertEquals(2, r.code(), "exit code for: " + args + "\n" + r.err());
        assertEquals(1, r.err().lines().count(), "one line for: " + args + "\n" + r.err());
        assertTrue(r.err().startsWith("memory: "), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void theLineNamesTheReason() {
        assertTrue(hako("memory", "--scenario", "nosuch").err().contains("unknown scenario 'nosuch'"));
        assertTrue(hako("memory", "--scenario", "burst", "--allocator", "noop").err()
                .contains("hako, glibc, jemalloc, mimalloc"));
    }

    @Test
    void helpListsTheScenariosAndTheLine() {
        Run r = hako("memory", "--help");
        assertEquals(0, r.code());
        for (String s : new String[] {"burst", "phase", "handoff", "churn", "seed", "all", "--allocator", "--out",
                "--runs", "--quick", "after_5s_mib"}) {
            assertTrue(r.out().contains(s), "help mentions " + s + "\n" + r.out());
        }
        assertTrue(!r.out().contains("--in-process"), "the child's option stays hidden");
    }
}
