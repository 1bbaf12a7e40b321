package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which an experiment starts its JVMs. Cell by cell; inside a cell the variants alternate (A B A B
 * ...), so that a drift of the machine (another tenant, thermal state) lands on every side alike rather than on
 * whichever side ran last. Counter runs and profile runs follow each cell's timed runs, interleaved the same way.
 */
public final class RunPlan {
    private RunPlan() {}

    /**
     * @param cells        the matrix
     * @param variants     the sides; counter and profile runs are planned only for Hako variants
     * @param runs         timed runs per cell and variant (>= 1)
     * @param counterRuns  counter runs per cell and Hako variant (>= 0)
     * @param profileRuns  JFR runs per cell with remote frees and Hako variant (>= 0)
     */
    public static List<PlannedRun> build(List<Cell> cells, List<Variant> variants, int runs, int counterRuns,
                                         int profileRuns) {
        if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        if (counterRuns < 0) throw new IllegalArgumentException("--counter-runs must be >= 0, got " + counterRuns);
        if (profileRuns < 0) throw new IllegalArgumentException("--jfr-runs must be >= 0, got " + profileRuns);
        List<PlannedRun> plan = new ArrayList<>();
        for (Cell cell : cells) {
            interleave(plan, cell, variants, RunKind.TIMED, runs, false);
            interleave(plan, cell, variants, RunKind.COUNTERS, counterRuns, true);
            if (cell.hasRemoteFrees()) interleave(plan, cell, variants, RunKind.PROFILE, profileRuns, true);
        }
        return plan;
    }

    private static void interleave(List<PlannedRun> plan, Cell cell, List<Variant> variants, RunKind kind, int rounds,
                                   boolean hakoOnly) {
        for (int round = 1; round <= rounds; round++) {
            for (int v = 0; v < variants.size(); v++) {
                if (!hakoOnly || variants.get(v).spec().isHako()) plan.add(new PlannedRun(cell, v, kind, round));
            }
        }
    }
}
