package dev.hako.lab.memory;

import java.util.List;

/**
 * One scenario on one allocator in one JVM, measured.
 *
 * @param run         1-based repetition of this scenario and allocator
 * @param line        the figures
 * @param samples     the resident set over time
 * @param gauges      Hako's gauge lines (empty for other allocators)
 * @param log         the JVM's log, relative to the report folder (or absolute when there is none)
 * @param wallSeconds the JVM's wall time, start-up included
 */
public record MemoryRun(Scenario scenario, String allocator, int run, MemoryLine line, Samples samples,
                        List<String> gauges, String log, double wallSeconds) {
    public MemoryRun {
        gauges = List.copyOf(gauges);
    }

    /** {@code hako} for the first run, {@code hako #2} for the next: a legend name. */
    public String label() {
        return run == 1 ? allocator : allocator + " #" + run;
    }
}
