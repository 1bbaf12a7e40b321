package dev.hako.lab.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario's memory over time: resident set and, where the allocator can say, its committed memory, at
 * milliseconds since the baseline; plus the moments that matter (work started, work ended, trim).
 *
 * @param tMs         sample times, ms since the baseline, ascending
 * @param rssKb       resident set at each time, KiB
 * @param committedKb the allocator's committed memory at each time, KiB, or -1 where unknown
 * @param marks       named moments in ms since the baseline ({@code work_start}, {@code work_end}, {@code trim})
 */
public record Samples(long[] tMs, long[] rssKb, long[] committedKb, Map<String, Long> marks) {
    public static final String WORK_START = "work_start";
    public static final String WORK_END = "work_end";
    public static final String TRIM = "trim";

    public Samples {
        if (tMs.length != rssKb.length || tMs.length != committedKb.length) {
            throw new IllegalArgumentException("sample arrays differ in length");
        }
        marks = Map.copyOf(marks);
    }

    public int size() {
        return tMs.length;
    }

    /** The largest resident set sampled, KiB (-1 without samples). */
    public long maxRssKb() {
        return Arrays.stream(rssKb).max().orElse(-1);
    }

    /** The largest committed figure sampled, KiB, or -1 when the allocator never said. */
    public long maxCommittedKb() {
        return Arrays.stream(committedKb).max().orElse(-1);
    }

    /** A mark, or -1. */
    public long mark(String name) {
        return marks.getOrDefault(name, -1L);
    }

    /** Writes {@code # name=ms} lines for the marks, then {@code t_ms,rss_kb,committed_kb} rows. */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(marks).forEach((k, v) -> sb.append("# ").append(k).append('=').append(v).append('\n'));
        sb.append("t_ms,rss_kb,committed_kb\n");
        for (int i = 0; i < tMs.length; i++) {
            sb.append(tMs[i]).append(',').append(rssKb[i]).append(',').append(committedKb[i]).append('\n');
        }
        Files.writeString(file, sb);
    }

    /** Reads what {@link #write} wrote. @throws IOException also for a malformed file, naming the line */
    public static Samples read(Path file) throws IOException {
        Map<String, Long> marks = new TreeMap<>();
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            try {
                if (line.startsWith("# ")) {
                    int eq = line.indexOf('=');
                    marks.put(line.substring(2, eq), Long.parseLong(line.substring(eq + 1)));
                } else if (!line.isBlank() && !line.startsWith("t_ms")) {
                    String[] f = line.split(",");
                    rows.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            } catch (RuntimeException e) {
                throw new IOException(file + ": malformed line '" + line + "'", e);
            }
        }
        long[] t = new long[rows.size()], rss = new long[rows.size()], com = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            t[i] = rows.get(i)[0];
            rss[i] = rows.get(i)[1];
            com[i] = rows.get(i)[2];
        }
        return new Samples(t, rss, com, marks);
    }
}
