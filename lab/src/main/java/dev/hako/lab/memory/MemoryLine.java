package dev.hako.lab.memory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one line a scenario prints, and its parsed form. Figures are the process's resident set in MiB (absolute,
 * not above the baseline); {@code na} where the allocator cannot say:
 * <pre>
 * memory: scenario=NAME allocator=NAME baseline_mib=.. peak_mib=.. after_1s_mib=.. after_5s_mib=..
 *         committed_peak_mib=..|na [after_trim_mib=..] work_s=.. [iters_per_s=..]
 * </pre>
 * {@code after_trim_mib} is Hako's only; {@code iters_per_s} the seed scenario's only.
 *
 * @param committedPeakMib the allocator's own committed-memory peak, NaN for {@code na}
 * @param afterTrimMib     RSS right after {@code trim()}, NaN when absent
 * @param workSeconds      how long the work took, from its start to its last free
 * @param itersPerSecond   the seed benchmark's throughput, NaN when absent
 */
public record MemoryLine(String scenario, String allocator, double baselineMib, double peakMib, double after1sMib,
                         double after5sMib, double committedPeakMib, double afterTrimMib, double workSeconds,
                         double itersPerSecond) {
    public static final String PREFIX = "memory: ";

    public String format() {
        StringBuilder sb = new StringBuilder(PREFIX).append("scenario=").append(scenario).append(" allocator=")
                .append(allocator)
                .append(" baseline_mib=").append(mib(baselineMib))
                .append(" peak_mib=").append(mib(peakMib))
                .append(" after_1s_mib=").append(mib(after1sMib))
                .append(" after_5s_mib=").append(mib(after5sMib))
                .append(" committed_peak_mib=").append(Double.isNaN(committedPeakMib) ? "na" : mib(committedPeakMib));
        if (!Double.isNaN(afterTrimMib)) sb.append(" after_trim_mib=").append(mib(afterTrimMib));
        sb.append(" work_s=").append(String.format(Locale.ROOT, "%.2f", workSeconds));
        if (!Double.isNaN(itersPerSecond)) sb.append(" iters_per_s=").append(String.format(Locale.ROOT, "%.0f", itersPerSecond));
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String mib(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** The line's figure above the baseline (MiB), NaN where absent. */
    public double aboveBaseline(double figureMib) {
        return figureMib - baselineMib;
    }

    /**
     * Parses a line {@link #format()} wrote (leading text before {@code memory: } is ignored).
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static MemoryLine parse(String line) {
        int at = line.indexOf(PREFIX);
        if (at < 0) throw new IllegalArgumentException("not a memory line: " + line);
        Map<String, String> f = new LinkedHashMap<>();
        for (String token : line.substring(at + PREFIX.length()).trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("malformed field '" + token + "' in: " + line);
            f.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return new MemoryLine(required(f, "scenario", line), required(f, "allocator", line),
                number(f, "baseline_mib", line, false), number(f, "peak_mib", line, false),
                number(f, "after_1s_mib", line, false), number(f, "after_5s_mib", line, false),
                number(f, "committed_peak_mib", line, false), number(f, "after_trim_mib", line, true),
                number(f, "work_s", line, false), number(f, "iters_per_s", line, true));
    }

    private static String required(Map<String, String> f, String key, String line) {
        String v = f.get(key);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("no " + key + " in: " + line);
        return v;
    }

    private static double number(Map<String, String> f, String key, String line, boolean optional) {
        String v = f.get(key);
        if (v == null) {
            if (optional) return Double.NaN;
            throw new IllegalArgumentException("no " + key + " in: " + line);
        }
        if (v.equals("na")) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number ('" + v + "') in: " + line);
        }
    }
}
