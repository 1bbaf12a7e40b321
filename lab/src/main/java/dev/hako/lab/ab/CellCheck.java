package dev.hako.lab.ab;

/**
 * One criterion judged in one cell, with the numbers behind it in words.
 *
 * @param comparison the rank comparison a throughput row was judged on, or null (counter and JFR rows, no runs)
 * @param runsNeeded for an INCONCLUSIVE throughput cell: the estimated timed runs per side that would resolve it
 *                   ({@link RankComparison#runsNeeded}); 0 otherwise
 */
public record CellCheck(Cell cell, Status status, String detail, RankComparison comparison, int runsNeeded) {
    public CellCheck(Cell cell, Status status, String detail) {
        this(cell, status, detail, null, 0);
    }

    /** {@code T=32 R=90: B/A 1.071 [1.052, 1.090] p=0.008 PASS}. */
    public String line() {
        return cell.label() + ": " + detail + " " + status.word();
    }

    /** Whether more timed runs could resolve this cell (INCONCLUSIVE on a throughput row, and not dirty). */
    public boolean resolvableByRuns() {
        return status == Status.INCONCLUSIVE && comparison != null && runsNeeded > 0;
    }

    /** What the verdict says about a cell left open: {@code T=2 R=0 unresolved (B/A [0.91, 1.07], needs ~14 runs per side)}. */
    public String openReason() {
        if (status == Status.DIRTY) return cell.label() + " dirty";
        if (resolvableByRuns()) {
            return cell.label() + " unresolved (B/A " + comparison.interval() + ", needs ~"
                    + RankComparison.runs(runsNeeded) + " runs per side)";
        }
        return cell.label() + " inconclusive";
    }
}
