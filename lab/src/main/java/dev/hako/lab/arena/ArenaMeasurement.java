package dev.hako.lab.arena;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured (arena, size) in one JVM: warm up for a while, then time batches of whole arenas (~50 ms each)
 * and keep each batch's ns per allocation. The median batch is the figure; the fastest shows how much the
 * machine's other load moved it. Printed as one {@code [ARENA]} line, which {@link #parse} reads back.
 *
 * @param medianNs median over batches of ns per allocation (arena open and close included, spread over its count)
 * @param minNs    the fastest batch
 * @param arenas   arenas timed in all
 */
public record ArenaMeasurement(ArenaKind kind, String size, int count, double medianNs, double minNs, long arenas) {
    private static final long BATCH_NANOS = 50_000_000L;
    private static final Pattern LINE = Pattern.compile(
            "\\[ARENA] arena=(\\S+) size=(\\S+) count=(\\d+) ns_per_alloc=([\\d.]+) min_ns_per_alloc=([\\d.]+) arenas=(\\d+)");

    /** Runs the workload: {@code warmupMillis} unmeasured, then batches for {@code measureMillis}. */
    public static ArenaMeasurement run(ArenaKind kind, String size, int count, long warmupMillis, long measureMillis) {
        ArenaWorkload workload = new ArenaWorkload(kind, size, count);
        long sink = 0;
        long end = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() < end) sink += workload.round();
        int batches = (int) Math.max(1, measureMillis * 1_000_000L / BATCH_NANOS);
        double[] nsPerAlloc = new double[batches];
        long arenas = 0;
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            long stop = start + BATCH_NANOS;
            long rounds = 0;
            long now;
            do {
                for (int i = 0; i < 16; i++) sink += workload.round();
                rounds += 16;
                now = System.nanoTime();
            } while (now < stop);
            nsPerAlloc[b] = (double) (now - start) / (rounds * count);
            arenas += rounds;
        }
        if (sink == 42) System.err.print(""); // keeps the rounds observable
        Arrays.sort(nsPerAlloc);
        return new ArenaMeasurement(kind, size, count, nsPerAlloc[batches / 2], nsPerAlloc[0], arenas);
    }

    public String line() {
        return String.format(Locale.ROOT, "[ARENA] arena=%s size=%s count=%d ns_per_alloc=%.2f min_ns_per_alloc=%.2f arenas=%d",
                kind.label, size, count, medianNs, minNs, arenas);
    }

    /** The measurement in a JVM's output, if it printed one. */
    public static Optional<ArenaMeasurement> parse(String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) return Optional.empty();
        return Optional.of(new ArenaMeasurement(ArenaKind.of(m.group(1)), m.group(2), Integer.parseInt(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Long.parseLong(m.group(6))));
    }
}
