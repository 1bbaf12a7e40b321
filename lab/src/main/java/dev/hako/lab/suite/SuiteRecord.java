package dev.hako.lab.suite;

import java.util.Map;

/**
 * One finished JVM: its job, what it printed on its {@code suite:} line, or why it failed.
 *
 * @param sequence    1-based position in the plan
 * @param wallSeconds the JVM's wall time, start-up included
 * @param fields      the key=value pairs of its {@code suite:} line (empty when it printed none)
 * @param failure     why the run does not count, or null
 * @param log         the JVM's log, relative to the report folder
 */
public record SuiteRecord(int sequence, SuiteJob job, double wallSeconds, Map<String, String> fields, String failure,
                          String log) {
    public SuiteRecord {
        fields = Map.copyOf(fields);
    }

    public boolean ok() {
        return failure == null;
    }

    /** The run's figure (time_s or ops_per_s), NaN if absent. */
    public double value() {
        return number(job.row().workload().figure().key());
    }

    public double peakRssMib() {
        return number("peak_rss_mib");
    }

    public double baseRssMib() {
        return number("base_rss_mib");
    }

    /** A numeric field, NaN if absent or not a number. */
    public double number(String key) {
        String v = fields.get(key);
        if (v == null) return Double.NaN;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
