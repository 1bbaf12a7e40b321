package dev.hako.lab.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One run's figures: the arguments, the timed window and each worker's counts.
 *
 * @param args      what ran
 * @param nanos     first thread start to last join
 * @param cpuNanos  CPU time of the workers together (-1 if unknown)
 * @param perThread counts of worker 0..T-1
 */
public record BenchResult(BenchArgs args, long nanos, long cpuNanos, List<ThreadCounts> perThread) {
    public BenchResult(BenchArgs args, long nanos, long[] cpuNanos, ThreadCounts[] perThread) {
        this(args, nanos, sum(cpuNanos), List.copyOf(Arrays.asList(perThread)));
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            if (v < 0) return -1;
            s += v;
        }
        return s;
    }

    /** The workers' CPU seconds together (compare with {@code threads * time}), or -1. */
    public double workerCpuSeconds() {
        return cpuNanos < 0 ? -1 : cpuNanos / 1e9;
    }

    public ThreadCounts total() {
        ThreadCounts sum = ThreadCounts.ZERO;
        for (ThreadCounts c : perThread) sum = sum.plus(c);
        return sum;
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public long ops() {
        return total().ops();
    }

    public double opsPerSecond() {
        return nanos > 0 ? ops() / seconds() : 0;
    }

    /** {@code T * iters / time}: the figure that does not depend on how many remote frees were received. */
    public double itersPerSecond() {
        return nanos > 0 ? args.totalIters() / seconds() : 0;
    }

    /** Percent of frees that were sent: {@code sends / (sends + local + fallback)}. */
    public double actualRemotePct() {
        ThreadCounts c = total();
        long frees = c.sends() + c.localFrees() + c.fallbackFrees();
        return frees > 0 ? 100.0 * c.sends() / frees : 0;
    }

    /** Percent of remote decisions that fell back to a local free: {@code fallback / (sends + fallback)}. */
    public double fallbackRatePct() {
        ThreadCounts c = total();
        long remote = c.sends() + c.fallbackFrees();
        return remote > 0 ? 100.0 * c.fallbackFrees() / remote : 0;
    }

    /** hz3's rule: a remote comparison is dirty when more than 0.10 % of remote frees fell back. */
    public boolean dirty() {
        return fallbackRatePct() > 0.10;
    }
}
