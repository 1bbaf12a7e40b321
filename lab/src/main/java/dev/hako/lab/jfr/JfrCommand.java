package dev.hako.lab.jfr;

import dev.hako.lab.bench.BenchCommand;
import jdk.jfr.Recording;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hako jfr}: a {@code hako bench} run, in this JVM, under a flight recording with Hako's events on; then a
 * summary of them.
 */
@Command(name = "jfr", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        customSynopsis = "hako jfr [-hV] [--out FILE.jfr] [<bench arguments>]",
        description = {"Runs 'hako bench' in this JVM under a flight recording with every Hako event enabled"
                + " (dev.hako.*: pages, purge, trim, large blocks, remote drains, owners, and the memory gauges every"
                + " " + JfrCommand.GAUGE_PERIOD_MS + " ms), writes the recording, and prints the bench's lines and then"
                + " a summary of Hako's events: [JFR] (the file), [JFR_EVENTS] (counts per type), [JFR_PAGES],"
                + " [JFR_PURGE], [JFR_TRIM], [JFR_LARGE], [JFR_DRAIN], [JFR_OWNERS], and [JFR_GAUGES] (each allocator's"
                + " last gauges; sizes in KiB).",
                "",
                "Options:",
                "      --out FILE.jfr   where the recording goes (default hako-results/jfr-<time>.jfr); open it in JDK"
                        + " Mission Control or with 'jfr print --events dev.hako.Purge FILE.jfr'",
                "  <bench arguments>    as 'hako bench' takes them (see 'hako bench --help'); default: "
                        + JfrCommand.DEFAULT_BENCH},
        footer = {"", "Example:  ./hako jfr 2 1000000 400 16 2048 90 --remote parcel --out parcel.jfr",
                "Exit code: the bench's (0 done, 1 the allocator failed), 2 on bad arguments (one line on stderr)."})
public final class JfrCommand implements Callable<Integer> {
    static final long GAUGE_PERIOD_MS = 500;
    static final String DEFAULT_BENCH = "2 1000000 400 16 2048 90 --warmup 1";

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = null;
        List<String> bench = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--out") || a.startsWith("--out=")) {
                String v = a.equals("--out") ? (i + 1 < args.size() ? args.get(++i) : "") : a.substring(6);
                if (v.isBlank()) return usage(err, "--out needs a file name");
                if (file != null) return usage(err, "--out given twice");
                file = Path.of(v);
            } else {
                bench.add(a);
            }
        }
        if (bench.isEmpty()) bench = List.of(DEFAULT_BENCH.split(" "));
        if (file == null) {
            file = Path.of("hako-results", "jfr-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")) + ".jfr");
        }
        if (Files.isDirectory(file)) return usage(err, "--out " + file + " is a folder; give a file name");

        CommandLine benchCli = new CommandLine(new BenchCommand());
        benchCli.setOut(out);
        benchCli.setErr(err);
        String[] problem = new String[1];
        benchCli.setParameterExceptionHandler((ex, a) -> {
            problem[0] = ex.getMessage().lines().findFirst().orElse("bad arguments");
            return 2;
        });

        int code;
        try (Recording recording = new Recording()) {
            recording.setName("hako jfr");
            for (String event : HakoEventSummary.EVENTS) recording.enable(event);
            recording.enable(HakoEventSummary.MEMORY_STATISTICS).withPeriod(Duration.ofMillis(GAUGE_PERIOD_MS));
            recording.start();
            code = benchCli.execute(bench.toArray(String[]::new));
            recording.stop();
            if (problem[0] != null) return usage(err, problem[0]);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            recording.dump(file);
        }
        HakoEventSummary summary = HakoEventSummary.read(file);
        out.println("[JFR] file=" + file + " size_kb=" + (Files.size(file) >> 10) + " gauge_period_ms="
                + GAUGE_PERIOD_MS + " bench=\"" + String.join(" ", bench) + "\"");
        summary.lines().forEach(out::println);
        out.flush();
        return code;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("jfr: " + message + " (usage: hako jfr [--out FILE.jfr] [<bench arguments>]; see 'hako jfr --help')");
        err.flush();
        return 2;
    }
}
