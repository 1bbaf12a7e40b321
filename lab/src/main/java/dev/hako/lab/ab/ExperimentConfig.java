package dev.hako.lab.ab;

import dev.hako.lab.peers.NoopPeer;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that defines an experiment, as given on the command line.
 *
 * @param command     {@code ab} or {@code compare}
 * @param variants    the sides; see {@link #baseline()} for the one deltas and verdicts are relative to
 * @param cells       the matrix
 * @param args        benchmark arguments shared by every run
 * @param runs        timed runs per cell and variant (with {@code autoRuns}: to start with)
 * @param counterRuns counter runs ({@code -Dhako.stats=true}) per cell and Hako variant
 * @param profileRuns JFR runs per cell with remote frees and Hako variant
 * @param out         the report folder
 * @param jvmOptions  extra options for every forked JVM (both sides alike)
 * @param keepJfr     keep the .jfr files in the report folder (they are large)
 * @param runTimeoutSeconds a JVM that runs longer is killed and the experiment stops (0 = no limit)
 * @param rerun       the command line that reruns this experiment
 * @param confidence  level of the throughput intervals the verdict is judged on, e.g. 0.95
 * @param autoRuns    add interleaved rounds to cells the intervals leave unresolved ({@link AutoRuns})
 * @param maxRuns     with {@code autoRuns}: timed runs per cell and variant not to go beyond
 */
public record ExperimentConfig(String command, List<Variant> variants, List<Cell> cells, BenchArgs args, int runs,
                               int counterRuns, int profileRuns, Path out, List<String> jvmOptions, boolean keepJfr,
                               long runTimeoutSeconds, String rerun, double confidence, boolean autoRuns, int maxRuns) {
    public ExperimentConfig {
        variants = List.copyOf(variants);
        cells = List.copyOf(cells);
        jvmOptions = List.copyOf(jvmOptions);
        if (variants.size() < 2) throw new IllegalArgumentException("an experiment needs at least two variants");
        if (cells.isEmpty()) throw new IllegalArgumentException("an experiment needs at least one cell");
        RankComparison.checkConfidence(confidence);
        if (autoRuns && maxRuns < runs) {
            throw new IllegalArgumentException("--max-runs (" + maxRuns + ") must be >= the runs to start with (" + runs + ")");
        }
    }

    /** A fixed number of runs, judged at 95 %. */
    public ExperimentConfig(String command, List<Variant> variants, List<Cell> cells, BenchArgs args, int runs,
                            int counterRuns, int profileRuns, Path out, List<String> jvmOptions, boolean keepJfr,
                            long runTimeoutSeconds, String rerun) {
        this(command, variants, cells, args, runs, counterRuns, profileRuns, out, jvmOptions, keepJfr, runTimeoutSeconds,
                rerun, RankComparison.DEFAULT_CONFIDENCE, false, runs);
    }

    /**
     * The variant deltas and verdicts are relative to: A in {@code ab}; in {@code compare} the first variant that is
     * not the {@code noop} floor (a floor does no allocator work, so judging allocators against it says nothing).
     */
    public int baseline() {
        if (command.equals("ab")) return 0;
        for (int i = 0; i < variants.size(); i++) if (!isFloor(i)) return i;
        return 0;
    }

    /** The variants judged against {@link #baseline()}: every other one except the noop floor. */
    public List<Integer> candidates() {
        List<Integer> c = new java.util.ArrayList<>();
        for (int i = 0; i < variants.size(); i++) if (i != baseline() && !isFloor(i)) c.add(i);
        return c;
    }

    private boolean isFloor(int i) {
        return variants.get(i).spec().allocator().equals(NoopPeer.NAME);
    }

    /** Whether both variants {@code a} and {@code b} run Hako. */
    public boolean hakoBoth(int a, int b) {
        return variants.get(a).spec().isHako() && variants.get(b).spec().isHako();
    }
}
