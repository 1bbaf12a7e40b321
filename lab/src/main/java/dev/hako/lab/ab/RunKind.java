package dev.hako.lab.ab;

/** Why a JVM runs: only {@link #TIMED} runs enter the throughput statistics and the verdict's deltas. */
public enum RunKind {
    /** Counters off, no profiler: the runs whose ops/s and it/s are compared. */
    TIMED("timed"),
    /** {@code -Dhako.stats=true} (Hako variants only): counters explain the result; their timing is not used. */
    COUNTERS("counters"),
    /** A JFR recording with {@code settings=profile} (Hako variants, cells with remote frees): push-path samples. */
    PROFILE("jfr");

    private final String id;

    RunKind(String id) {
        this.id = id;
    }

    /** The name in CSV/JSON and log file names. */
    public String id() {
        return id;
    }
}
