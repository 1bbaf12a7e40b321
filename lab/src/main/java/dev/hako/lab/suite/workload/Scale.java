package dev.hako.lab.suite.workload;

/** Scales a full-size count or duration, never below one. */
final class Scale {
    private Scale() {}

    static long count(long full, double scale) {
        return Math.max(1, Math.round(full * scale));
    }

    static int count(int full, double scale) {
        return (int) Math.max(1, Math.round(full * scale));
    }

    /** A duration in nanoseconds, at least 20 ms (so that a run always does some work). */
    static long nanos(double fullSeconds, double scale) {
        return Math.max(20_000_000L, Math.round(fullSeconds * scale * 1e9));
    }
}
