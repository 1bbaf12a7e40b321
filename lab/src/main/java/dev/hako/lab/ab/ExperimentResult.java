package dev.hako.lab.ab;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished (or stopped) experiment: its configuration, every run in order, and facts about the machine.
 *
 * @param config   what was asked
 * @param runs     every finished run, in the order they ran
 * @param started  when the first JVM started
 * @param finished when the last one ended
 * @param facts    machine and JDK facts, in display order (see the report package)
 * @param complete false when the experiment stopped early (a run failed); reports then say so
 */
public record ExperimentResult(ExperimentConfig config, List<RunRecord> runs, Instant started, Instant finished,
                               Map<String, String> facts, boolean complete) {
    public ExperimentResult {
        runs = List.copyOf(runs);
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** One variant in one cell. */
    public SideStats side(Cell cell, int variant) {
        return SideStats.of(cell, variant, runs);
    }

    /** One variant in every cell. */
    public Map<Cell, SideStats> sides(int variant) {
        Map<Cell, SideStats> m = new LinkedHashMap<>();
        for (Cell c : config.cells()) m.put(c, side(c, variant));
        return m;
    }

    /** The seed's criteria for {@code candidate} against {@code baseline}. */
    public Assessment assess(int baseline, int candidate) {
        return SeedCriteria.evaluate(config.cells(), sides(baseline), sides(candidate),
                config.hakoBoth(baseline, candidate), config.counterRuns(), config.profileRuns(), config.confidence());
    }

    /** The same result with facts added (e.g. the load average at the end). */
    public ExperimentResult withFacts(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(facts);
        all.putAll(more);
        return new ExperimentResult(config, runs, started, finished, all, complete);
    }
}
