package dev.hako.lab.suite;

import dev.hako.lab.ab.VariantSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a suite run does.
 *
 * @param rows        the workload rows, in report order
 * @param allocators  the peers (A/B specs: an allocator and the JVM's system properties)
 * @param n           N, the thread count the rows derive theirs from
 * @param runs        JVMs per row and allocator
 * @param scale       size factor (1 = full size)
 * @param warmup      unmeasured passes at a tenth of the size in each JVM
 * @param quick       whether {@code --quick} chose the sizes (for the report)
 * @param out         the report folder
 * @param jvmOptions  extra options for every JVM
 * @param runTimeout  seconds after which a JVM is killed (0 = none)
 * @param rerun       the command that reruns this suite
 */
public record SuiteConfig(List<SuiteCase> rows, List<VariantSpec> allocators, int n, int runs, double scale,
                          int warmup, boolean quick, Path out, List<String> jvmOptions, long runTimeout,
                          String rerun) {
    public SuiteConfig {
        rows = List.copyOf(rows);
        allocators = List.copyOf(allocators);
        jvmOptions = List.copyOf(jvmOptions);
        if (rows.isEmpty()) throw new IllegalArgumentException("no workload selected");
        if (allocators.isEmpty()) throw new IllegalArgumentException("no allocator selected");
        if (n < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + n);
        if (runs < 1) throw new IllegalArgumentException("--runs must be >= 1, got " + runs);
        if (!(scale > 0) || scale > 100) throw new IllegalArgumentException("--scale must be in (0, 100], got " + scale);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        if (runTimeout < 0) throw new IllegalArgumentException("--run-timeout must be >= 0, got " + runTimeout);
    }

    /** The JVMs in order: row by row; within a row, round by round, every allocator once per round. */
    public List<SuiteJob> plan() {
        List<SuiteJob> jobs = new ArrayList<>();
        for (SuiteCase row : rows) {
            for (int round = 1; round <= runs; round++) {
                for (int a = 0; a < allocators.size(); a++) jobs.add(new SuiteJob(row, a, round));
            }
        }
        return jobs;
    }

    /** The arguments of {@code hako suite run} for a job. */
    public List<String> runArgs(SuiteJob job) {
        return List.of("suite", "run", "--workload", job.row().name(), "--allocator",
                allocators.get(job.allocator()).allocator(), "--threads", Integer.toString(n), "--scale",
                Double.toString(scale), "--warmup", Integer.toString(warmup));
    }
}
