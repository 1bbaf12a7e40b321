package dev.hako.lab.ab;

/**
 * One finished JVM.
 *
 * @param sequence    1-based position in the order the runs happened
 * @param plan        what was asked
 * @param output      what it printed, parsed
 * @param wallSeconds the JVM's whole life (start-up, warm-ups, measured run, exit)
 * @param log         the file holding its raw output, relative to the report folder
 * @param samples     push-path samples of its JFR recording ({@link SampleShare#NONE} unless a profile run)
 */
public record RunRecord(int sequence, PlannedRun plan, BenchOutput output, double wallSeconds, String log,
                        SampleShare samples) {
    /** Whether its benchmark's fallback rate makes it dirty (see {@link SideStats#DIRTY_FALLBACK_PCT}). */
    public boolean dirty() {
        return output.fallbackPct() > SideStats.DIRTY_FALLBACK_PCT;
    }
}
