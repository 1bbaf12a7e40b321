package dev.hako.lab.suite;

/**
 * What one workload run measured.
 *
 * @param seconds the measured time (the workload's own timing window, not the JVM's start-up)
 * @param ops     allocator operations in that window (mallocs plus frees, or what the original counts)
 * @param checked blocks whose contents were verified before they were freed
 */
public record Outcome(double seconds, long ops, long checked) {
    public Outcome {
        if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be > 0, got " + seconds);
        if (ops < 0 || checked < 0) throw new IllegalArgumentException("negative count");
    }

    /** The run's value of {@code figure}. */
    public double value(Figure figure) {
        return figure == Figure.TIME_S ? seconds : ops / seconds;
    }
}
