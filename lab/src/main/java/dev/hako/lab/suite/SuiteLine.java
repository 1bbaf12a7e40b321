package dev.hako.lab.suite;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code suite:} line: what a run prints ({@code suite: workload=larson allocator=glibc threads=2
 * ops_per_s=12345678 peak_rss_mib=48.1 base_rss_mib=40.2 seconds=2.50 ops=30864197 checked=30874197}) and what
 * the suite prints per row and allocator (the same keys, medians).
 */
public final class SuiteLine {
    private SuiteLine() {}

    public static final String PREFIX = "suite: ";

    /** A run's line. */
    public static String format(String workload, String allocator, int threads, Figure figure, Outcome o,
                                long peakKb, long baseKb) {
        return String.format(Locale.ROOT, "%sworkload=%s allocator=%s threads=%d %s=%s peak_rss_mib=%s"
                        + " base_rss_mib=%s seconds=%.3f ops=%d checked=%d", PREFIX, workload, allocator, threads,
                figure.key(), value(figure, o.value(figure)), mib(peakKb), mib(baseKb), o.seconds(), o.ops(),
                o.checked());
    }

    /** A figure as printed: seconds with 3 decimals, ops/s as a whole number. */
    public static String value(Figure figure, double v) {
        if (!Double.isFinite(v)) return "-";
        return figure == Figure.TIME_S ? String.format(Locale.ROOT, "%.3f", v) : String.format(Locale.ROOT, "%.0f", v);
    }

    /** KiB as MiB with one decimal; "-" when unknown. */
    public static String mib(double kb) {
        return kb >= 0 && Double.isFinite(kb) ? String.format(Locale.ROOT, "%.1f", kb / 1024) : "-";
    }

    /**
     * The key=value pairs of the last line of {@code output} that starts with {@code suite: workload=}, or an empty
     * map when there is none.
     */
    public static Map<String, String> parse(String output) {
        String found = null;
        for (String line : output.split("\\R")) {
            if (line.startsWith(PREFIX + "workload=")) found = line;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (found == null) return fields;
        for (String word : found.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) fields.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return fields;
    }

    /** The reason of a {@code suite: FAILED} line in {@code output}, or null. */
    public static String failure(String output) {
        for (String line : output.split("\\R")) {
            if (line.startsWith(PREFIX + "FAILED")) return line.substring(PREFIX.length());
        }
        return null;
    }
}
