package dev.hako.lab.ab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the bench's output lines (seed-benchmark.md; issue 3) into a {@link BenchOutput}.
 *
 * <p>Tolerant by design: lines it does not know are skipped, unknown keys are kept, a line printed more than once
 * (warm-ups) counts by its last occurrence, which is the measured run. Required are the throughput line and
 * {@code [EFFECTIVE_REMOTE]}: without the fallback rate a cell could not be judged clean, and a lab must not guess it.
 */
public final class BenchOutputParser {
    public static final String THROUGHPUT_TAG = "bench_random_mixed_mt_remote";
    public static final String WARMUP_TAG = "[WARMUP]";
    private static final List<String> ITERS_KEYS =
            List.of("iters/s", "it/s", "iter/s", "iterations/s", "iters_per_s", "iterations_per_s");

    private BenchOutputParser() {}

    /**
     * @param text      the JVM's whole output
     * @param itersHint iterations per thread, used for iterations/s when neither the throughput line nor
     *                  {@code [BENCH_ARGS]} gives them
     * @throws IllegalArgumentException naming the line that is missing or malformed
     */
    public static BenchOutput parse(String text, long itersHint) {
        Map<String, String> benchArgs = Map.of();
        Map<String, String> throughput = null;
        Map<String, String> effective = null;
        Map<String, String> failures = Map.of();
        Map<String, String> memory = Map.of();
        Map<String, String> hako = Map.of();
        Map<String, String> itersLine = Map.of();
        Map<String, String> remoteStats = Map.of();
        Map<String, String> hakoStats = Map.of();
        double itersPerSec = Double.NaN;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            String tag = tagOf(line);
            if (tag == null || tag.equals(WARMUP_TAG)) continue; // unmeasured runs (the bench prints them on stderr)
            Map<String, String> kv = keyValues(line.substring(tag.length()));
            switch (tag) {
                case "[BENCH_ARGS]" -> benchArgs = kv;
                case THROUGHPUT_TAG -> throughput = kv;
                case "[EFFECTIVE_REMOTE]" -> effective = kv;
                case "[ALLOC_FAILURES]" -> failures = kv;
                case "[PROCESS_MEMORY]" -> memory = kv;
                case "[HAKO]" -> hako = kv;
                case "[ITERS]" -> itersLine = kv;
                case "[REMOTE_STATS]" -> remoteStats = kv;
                case "[HAKO_STATS]" -> hakoStats = kv;
                default -> { }
            }
            for (String k : ITERS_KEYS) {
                double v = number(kv.get(k));
                if (!Double.isNaN(v)) itersPerSec = v;
            }
        }
        if (throughput == null) {
            throw new IllegalArgumentException("no '" + THROUGHPUT_TAG + ": threads=.. ops=.. time=.. ops/s=..' line");
        }
        if (effective == null) throw new IllegalArgumentException("no '[EFFECTIVE_REMOTE] ... fallback_rate=..%' line");
        int threads = (int) required(throughput, "threads", THROUGHPUT_TAG);
        long ops = (long) required(throughput, "ops", THROUGHPUT_TAG);
        double time = required(throughput, "time", THROUGHPUT_TAG);
        double opsPerSec = required(throughput, "ops/s", THROUGHPUT_TAG);
        if (Double.isNaN(itersPerSec)) {
            double iters = number(benchArgs.get("iters"));
            if (Double.isNaN(iters)) iters = itersHint;
            itersPerSec = time > 0 ? threads * iters / time : Double.NaN;
        }
        double fallback = number(effective.get("fallback_rate"));
        if (Double.isNaN(fallback)) {
            double sends = number(effective.get("sends"));
            double fb = number(effective.get("fallback_frees"));
            if (Double.isNaN(sends) || Double.isNaN(fb)) {
                throw new IllegalArgumentException("[EFFECTIVE_REMOTE] has neither fallback_rate nor sends and fallback_frees");
            }
            fallback = sends + fb == 0 ? 0 : 100 * fb / (sends + fb);
        }
        return new BenchOutput(threads, ops, time, opsPerSec, itersPerSec, number(effective.get("actual")), fallback,
                count(failures.get("count")), count(memory.get("peak_rss_kb")), number(itersLine.get("worker_cpu_s")),
                hako.get("allocator"), hako.get("remote"),
                effective, remoteStats, hakoStats);
    }

    /** The tag a line starts with ({@code [NAME]} or the throughput tag), or null. */
    private static String tagOf(String line) {
        if (line.startsWith(THROUGHPUT_TAG + ":")) return THROUGHPUT_TAG;
        if (line.startsWith("[")) {
            int end = line.indexOf(']');
            if (end > 1) return line.substring(0, end + 1);
        }
        return null;
    }

    /** {@code key=value} tokens separated by white space; tokens without '=' are skipped. */
    static Map<String, String> keyValues(String rest) {
        Map<String, String> kv = new LinkedHashMap<>();
        String body = rest.startsWith(":") ? rest.substring(1) : rest;
        for (String token : body.strip().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) kv.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return kv;
    }

    private static double required(Map<String, String> kv, String key, String line) {
        double v = number(kv.get(key));
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("'" + line + "' line has no numeric " + key + "= (got " + kv.get(key) + ")");
        }
        return v;
    }

    private static long count(String s) {
        double v = number(s);
        return Double.isNaN(v) ? -1 : (long) v;
    }

    /**
     * A printed number: '%' and unit-less; a lone decimal comma (a non-English default locale) is read as a point.
     * NaN when absent or not a number.
     */
    public static double number(String s) {
        if (s == null) return Double.NaN;
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("%")) t = t.substring(0, t.length() - 1);
        if (t.indexOf(',') >= 0 && t.indexOf('.') < 0 && t.indexOf(',') == t.lastIndexOf(',')) t = t.replace(',', '.');
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
