package dev.hako.lab.suite;

/**
 * The figure a workload reports, as its original does: elapsed time (lower is better) or operations per second
 * (higher is better, for the originals that run for a fixed time and count what they got done).
 */
public enum Figure {
    TIME_S("time_s", "time (s)"),
    OPS_PER_S("ops_per_s", "ops/s");

    private final String key;
    private final String heading;

    Figure(String key, String heading) {
        this.key = key;
        this.heading = heading;
    }

    /** The key in the {@code suite:} line and the reports: {@code time_s} or {@code ops_per_s}. */
    public String key() {
        return key;
    }

    /** A column heading for tables. */
    public String heading() {
        return heading;
    }

    /** Whether a smaller value is better. */
    public boolean lowerIsBetter() {
        return this == TIME_S;
    }

    /**
     * The value as a relative time against the best value of the same workload (1.0 = the best, 2.0 = twice as
     * slow); for ops/s the inverse ratio, as mimalloc-bench turns throughputs into relative times.
     */
    public double relativeTime(double value, double best) {
        return lowerIsBetter() ? value / best : best / value;
    }

    /** The better of two values. */
    public double better(double a, double b) {
        return lowerIsBetter() ? Math.min(a, b) : Math.max(a, b);
    }

    /** The figure's key for a line, or null for an unknown key. */
    public static Figure ofKey(String key) {
        for (Figure f : values()) if (f.key.equals(key)) return f;
        return null;
    }
}
