package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --runs auto}: once the planned runs are done, more timed rounds (every variant once per round, in order, as
 * in {@link RunPlan}) for each cell a throughput row leaves unresolved, until it resolves or reaches
 * {@code --max-runs} per side.
 *
 * <p>Each step goes straight to the cell's runs estimate ({@link RankComparison#runsNeeded}) rather than one round
 * at a time: every look at the data before deciding is another chance to stop on a lucky interval, so fewer, larger
 * steps keep the stated confidence closer to the truth. Dirty cells get no more runs: their dirty runs stay.
 */
public final class AutoRuns {
    private AutoRuns() {}

    /**
     * One cell to extend.
     *
     * @param cell   the cell
     * @param runs   timed runs per side so far
     * @param target timed runs per side after this step
     * @param reason the unresolved check that asked for it ({@link CellCheck#detail})
     */
    public record Step(Cell cell, int runs, int target, String reason) {
        /** {@code T=2 R=0: 5 -> 9 runs per side (B/A 1.002, 95 % CI [0.931, 1.060], ...)}. */
        public String line() {
            return cell.label() + ": " + runs + " -> " + target + " runs per side (" + reason + ")";
        }
    }

    /** The cells to extend after the runs of {@code result}; empty when none (or without {@code --runs auto}). */
    public static List<Step> next(ExperimentResult result) {
        ExperimentConfig c = result.config();
        if (!c.autoRuns()) return List.of();
        Map<Cell, Integer> need = new LinkedHashMap<>();
        Map<Cell, String> reason = new LinkedHashMap<>();
        for (int candidate : c.candidates()) {
            String who = c.candidates().size() > 1 ? c.variants().get(candidate).label() + ": " : "";
            for (Criterion row : result.assess(c.baseline(), candidate).criteria()) {
                if (!row.required()) continue; // the throughput rows; counters and JFR runs are not extended
                for (CellCheck k : row.checks()) {
                    if (!k.resolvableByRuns() || k.runsNeeded() <= need.getOrDefault(k.cell(), 0)) continue;
                    need.put(k.cell(), k.runsNeeded());
                    reason.put(k.cell(), who + k.detail());
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (Cell cell : c.cells()) {
            if (!need.containsKey(cell)) continue;
            int runs = runsPerSide(result, cell);
            if (runs >= c.maxRuns()) continue;
            steps.add(new Step(cell, runs, Math.min(c.maxRuns(), Math.max(runs + 1, need.get(cell))), reason.get(cell)));
        }
        return steps;
    }

    /** The runs of {@code steps}: for each cell, rounds {@code runs + 1 .. target} of every variant, interleaved. */
    public static List<PlannedRun> runs(List<Step> steps, List<Variant> variants) {
        List<PlannedRun> plan = new ArrayList<>();
        for (Step s : steps) {
            for (int round = s.runs() + 1; round <= s.target(); round++) {
                for (int v = 0; v < variants.size(); v++) plan.add(new PlannedRun(s.cell(), v, RunKind.TIMED, round));
            }
        }
        return plan;
    }

    /** Work (see {@link BenchArgs#workUnits}) {@code --runs auto} may still add to {@code cells} after {@code runs} per side. */
    public static double reserveUnits(ExperimentConfig config, Map<Cell, Integer> runsPerSide) {
        double units = 0;
        for (Map.Entry<Cell, Integer> e : runsPerSide.entrySet()) {
            units += Math.max(0, config.maxRuns() - e.getValue()) * config.variants().size()
                    * config.args().workUnits(e.getKey());
        }
        return units;
    }

    /** Timed runs so far in {@code cell}: the fewest of any variant. */
    static int runsPerSide(ExperimentResult result, Cell cell) {
        int n = Integer.MAX_VALUE;
        for (int v = 0; v < result.config().variants().size(); v++) n = Math.min(n, result.side(cell, v).itersRuns().size());
        return n;
    }
}
