package dev.hako.lab.ab;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark arguments every run of an experiment shares (the seed's {@code iters ws min max ring_slots}),
 * and the warm-up count inside each JVM.
 */
public record BenchArgs(long iters, int ws, int min, int max, int ring, int warmup) {
    /** The seed's arguments: {@code 2500000 400 16 2048 ... 262144}; two warm-ups (calibration.md: one is not enough). */
    public static final BenchArgs SEED = new BenchArgs(2_500_000, 400, 16, 2048, 262_144, 2);

    public BenchArgs {
        if (iters < 1) throw new IllegalArgumentException("--iters must be >= 1, got " + iters);
        if (ws < 1) throw new IllegalArgumentException("--ws must be >= 1, got " + ws);
        if (min < 1) throw new IllegalArgumentException("--min must be >= 1, got " + min);
        if (max < min) throw new IllegalArgumentException("--max (" + max + ") must be >= --min (" + min + ")");
        if (ring < 1) throw new IllegalArgumentException("--ring must be >= 1, got " + ring);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
    }

    /** The bench command's arguments for {@code cell}, in the seed's order, then {@code --warmup}. */
    public List<String> argv(Cell cell) {
        List<String> a = new ArrayList<>(List.of(Integer.toString(cell.threads()), Long.toString(iters),
                Integer.toString(ws), Integer.toString(min), Integer.toString(max), Integer.toString(cell.remotePct()),
                Integer.toString(ring)));
        a.add("--warmup");
        a.add(Integer.toString(warmup));
        return a;
    }

    /** Iterations one JVM performs in {@code cell}, warm-ups included: the unit of the ETA estimate. */
    public double workUnits(Cell cell) {
        return (double) cell.threads() * iters * (1 + warmup);
    }
}
