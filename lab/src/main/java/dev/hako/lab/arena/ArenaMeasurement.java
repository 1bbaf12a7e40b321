package dev.hako.lab.arena;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured (arena, size) in one JVM: warm up for a while, then time batches of whole arenas (~50 ms each)
 * and keep each batch's ns per allocation, by the wall clock and by the measuring thread's CPU time. The medians
 * over batches are the figures. On a machine shared with other work the CPU figure moves less: it leaves out the
 * time the thread waited for a core (and, for every arena alike, the time of GC threads and of the JDK's cleaner).
 * Printed as one {@code [ARENA]} line, which {@link #parse} reads back.
 *
 * @param wallNs median over batches of wall-clock ns per allocation (the arena's open and close spread over its
 *               count)
 * @param cpuNs  median over batches of the thread's CPU ns per allocation
 * @param arenas arenas timed in all
 */
public record ArenaMeasurement(ArenaKind kind, String size, int count, double wallNs, double cpuNs, long arenas) {
    private static final long BATCH_NANOS = 50_000_000L;
    private static final Pattern LINE = Pattern.compile("\\[ARENA] arena=(\\S+) size=(\\S+) count=(\\d+)"
            + " wall_ns_per_alloc=([\\d.]+) cpu_ns_per_alloc=([\\d.]+) arenas=(\\d+)");

    /** Runs the workload: {@code warmupMillis} unmeasured, then batches for {@code measureMillis}. */
    public static ArenaMeasurement run(ArenaKind kind, String size, int count, long warmupMillis, long measureMillis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ArenaWorkload workload = new ArenaWorkload(kind, size, count);
        long sink = 0;
        long end = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() < end) sink += workload.round();
        int batches = (int) Math.max(1, measureMillis * 1_000_000L / BATCH_NANOS);
        double[] wall = new double[batches];
        double[] cpu = new double[batches];
        long arenas = 0;
        for (int b = 0; b < batches; b++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long stop = start + BATCH_NANOS;
            long rounds = 0;
            long now;
            do {
                for (int i = 0; i < 16; i++) sink += workload.round();
                rounds += 16;
                now = System.nanoTime();
            } while (now < stop);
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
            wall[b] = (double) (now - start) / (rounds * count);
            cpu[b] = (double) cpuNanos / (rounds * count);
            arenas += rounds;
        }
        if (sink == 42) System.err.print(""); // keeps the rounds observable
        return new ArenaMeasurement(kind, size, count, median(wall), median(cpu), arenas);
    }

    public String line() {
        return String.format(Locale.ROOT, "[ARENA] arena=%s size=%s count=%d wall_ns_per_alloc=%.2f"
                + " cpu_ns_per_alloc=%.2f arenas=%d", kind.label, size, count, wallNs, cpuNs, arenas);
    }

    /** The measurement in a JVM's output, if it printed one. */
    public static Optional<ArenaMeasurement> parse(String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) return Optional.empty();
        return Optional.of(new ArenaMeasurement(ArenaKind.of(m.group(1)), m.group(2), Integer.parseInt(m.group(3)),
                Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)), Long.parseLong(m.group(6))));
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
