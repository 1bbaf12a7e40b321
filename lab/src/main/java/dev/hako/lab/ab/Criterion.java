package dev.hako.lab.ab;

import java.util.List;

/**
 * One row of the seed's success-criteria table.
 *
 * @param metric   the seed's metric, e.g. {@code Throughput (R=90)}
 * @param target   the seed's target, e.g. {@code +5% or better}
 * @param required whether GO needs it (the throughput rows); the push-path rows count when measured
 * @param status   over all its cells: FAIL if any fails, PASS if all pass, else INCONCLUSIVE; NA without cells
 * @param checks   per cell
 * @param note     why it is NA, or empty
 */
public record Criterion(String metric, String target, boolean required, Status status, List<CellCheck> checks,
                        String note) {
    public Criterion {
        checks = List.copyOf(checks);
    }

    /** A criterion that could not be judged at all. */
    public static Criterion notApplicable(String metric, String target, boolean required, String note) {
        return new Criterion(metric, target, required, Status.NA, List.of(), note);
    }

    /** Judges a criterion from its cells. */
    public static Criterion of(String metric, String target, boolean required, List<CellCheck> checks) {
        return new Criterion(metric, target, required, combine(checks), checks, "");
    }

    static Status combine(List<CellCheck> checks) {
        if (checks.isEmpty()) return Status.NA;
        if (checks.stream().anyMatch(c -> c.status() == Status.FAIL)) return Status.FAIL;
        if (checks.stream().allMatch(c -> c.status() == Status.PASS)) return Status.PASS;
        return Status.INCONCLUSIVE;
    }

    /** The result column: each cell's line, or the note. */
    public String result() {
        if (checks.isEmpty()) return note;
        return String.join("; ", checks.stream().map(CellCheck::line).toList());
    }
}
