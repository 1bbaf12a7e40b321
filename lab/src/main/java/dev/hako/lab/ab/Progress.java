package dev.hako.lab.ab;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Progress on the terminal: which run starts, what it measured, and an ETA. The ETA assumes a JVM's time grows with
 * its work units (for the bench: T * iters * (1 + warm-ups)), calibrated on the runs done so far. With
 * {@code --runs auto} the plan grows as cells stay unresolved; the ETA covers the runs planned so far and says how
 * long the most {@code --runs auto} may still add would take. The generic form
 * ({@link #Progress(PrintStream, String, List, double[])}) serves other commands that fork JVMs (the suite).
 */
public final class Progress {
    private final PrintStream out;
    private final String command;
    private final List<String> labels;
    private final List<Double> units;
    private final BenchArgs args;
    private double reserveUnits;
    private final long startNanos = System.nanoTime();
    private double doneUnits;
    private double doneSeconds;

    /** Progress of an A/B plan: each run's label is its cell and kind, its units the bench's iterations. */
    public Progress(PrintStream out, String command, List<PlannedRun> plan, BenchArgs args) {
        this.out = out;
        this.command = command;
        this.args = args;
        this.labels = new ArrayList<>();
        this.units = new ArrayList<>();
        add(plan);
    }

    /**
     * @param reserveUnits work {@code --runs auto} may add after the plan ({@link AutoRuns#reserveUnits}), for the ETA
     */
    public Progress(PrintStream out, String command, List<PlannedRun> plan, BenchArgs args, double reserveUnits) {
        this(out, command, plan, args);
        this.reserveUnits = reserveUnits;
    }

    /**
     * @param labels what each run is, printed when it starts
     * @param units  each run's expected work, in any unit proportional to its time (the ETA's calibration)
     */
    public Progress(PrintStream out, String command, List<String> labels, double[] units) {
        if (labels.size() != units.length) throw new IllegalArgumentException("one work estimate per run");
        this.out = out;
        this.command = command;
        this.args = null;
        this.labels = new ArrayList<>(labels);
        this.units = new ArrayList<>();
        for (double u : units) this.units.add(u);
    }

    private void add(List<PlannedRun> plan) {
        for (PlannedRun r : plan) {
            labels.add(r.cell().label() + " " + r.kind().id() + " " + r.index());
            units.add(args.workUnits(r.cell()));
        }
    }

    /** {@code --runs auto} added {@code more} runs for {@code steps}; {@code reserveUnits} is what it may still add. */
    public void extended(List<PlannedRun> more, List<AutoRuns.Step> steps, double reserveUnits) {
        add(more);
        this.reserveUnits = reserveUnits;
        for (AutoRuns.Step s : steps) out.printf(Locale.ROOT, "[%s] --runs auto, %s%n", command, s.line());
        out.flush();
    }

    /** Announces run {@code i} (0-based) of the plan, without ending the line. */
    public void starting(int i, Variant variant) {
        starting(i, labels.get(i) + " " + variant.display());
    }

    /** Announces run {@code i} (0-based) as {@code label}, without ending the line. */
    public void starting(int i, String label) {
        out.printf(Locale.ROOT, "[%s %d/%d] %s ... ", command, i + 1, labels.size(), label);
        out.flush();
    }

    /** Ends the line of run {@code i} with its figures and the ETA. */
    public void finished(int i, RunRecord run) {
        BenchOutput o = run.output();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.2f M it/s  %.2f M ops/s  fallback %.2f%%",
                o.itersPerSec() / 1e6, o.opsPerSec() / 1e6, o.fallbackPct()));
        if (run.dirty()) sb.append(" DIRTY");
        if (o.hasCounters()) {
            sb.append(String.format(Locale.ROOT, "  atomics/remote free %.3f", o.remoteStat(SeedCriteria.ATOMICS_KEY)));
        }
        if (run.samples().total() > 0) {
            sb.append(String.format(Locale.ROOT, "  push-path %.1f%% of %d samples", 100 * run.samples().share(),
                    run.samples().total()));
        }
        finished(i, run.wallSeconds(), sb.toString());
    }

    /** Ends the line of run {@code i}: {@code figures}, its wall time, the elapsed time and the ETA. */
    public void finished(int i, double wallSeconds, String figures) {
        doneUnits += units.get(i);
        doneSeconds += wallSeconds;
        StringBuilder sb = new StringBuilder(figures).append(String.format(Locale.ROOT,
                "  (%.1fs; elapsed %s, ETA %s", wallSeconds, duration((System.nanoTime() - startNanos) / 1e9),
                duration(eta(i))));
        if (reserveUnits > 0 && doneUnits > 0) {
            sb.append(", --runs auto may add up to ").append(duration(reserveUnits * doneSeconds / doneUnits));
        }
        out.println(sb.append(')'));
    }

    /** Ends the line of a run that failed. */
    public void failed(String why) {
        out.println("FAILED: " + why);
    }

    private double eta(int i) {
        double remaining = 0;
        for (int k = i + 1; k < units.size(); k++) remaining += units.get(k);
        return doneUnits == 0 ? 0 : remaining * doneSeconds / doneUnits;
    }

    /** {@code 1h02m}, {@code 4m10s}, {@code 12s}. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
