package dev.hako.lab.ab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one benchmark JVM printed, parsed ({@link BenchOutputParser}). Figures a run may not print are NaN (doubles)
 * or -1 (counts); maps are empty when their line is missing.
 *
 * @param threads         T from the throughput line
 * @param ops             operations counted in the timed window
 * @param timeSeconds     the timed window
 * @param opsPerSec       printed ops/s
 * @param itersPerSec     iterations/s: printed, or T * iters / time when the bench did not print it
 * @param actualRemotePct the effective remote share of frees, %
 * @param fallbackPct     fallback_rate, % of remote frees that found the ring full and were freed locally
 * @param allocFailures   {@code [ALLOC_FAILURES] count}
 * @param peakRssKb       {@code [PROCESS_MEMORY] peak_rss_kb}
 * @param workerCpuSeconds CPU time the worker threads got in the timed window ({@code [ITERS] worker_cpu_s})
 * @param allocator       {@code [HAKO] allocator}, or null
 * @param remote          {@code [HAKO] remote}, or null
 * @param effectiveRemote every key of {@code [EFFECTIVE_REMOTE]} (sends, local_frees, fallback_frees, recv_frees ...)
 * @param remoteStats     every key of {@code [REMOTE_STATS]} (counter runs), '%' stripped
 * @param hakoStats       every key of {@code [HAKO_STATS]}
 */
public record BenchOutput(int threads, long ops, double timeSeconds, double opsPerSec, double itersPerSec,
                          double actualRemotePct, double fallbackPct, long allocFailures, long peakRssKb,
                          double workerCpuSeconds, String allocator, String remote, Map<String, String> effectiveRemote,
                          Map<String, String> remoteStats, Map<String, String> hakoStats) {
    public BenchOutput {
        effectiveRemote = Collections.unmodifiableMap(new LinkedHashMap<>(effectiveRemote));
        remoteStats = Collections.unmodifiableMap(new LinkedHashMap<>(remoteStats));
        hakoStats = Collections.unmodifiableMap(new LinkedHashMap<>(hakoStats));
    }

    /** A counter of {@code [REMOTE_STATS]} as a number, or NaN when absent (counters off, or not Hako). */
    public double remoteStat(String key) {
        return BenchOutputParser.number(remoteStats.get(key));
    }

    /**
     * The share of the CPU the workers could have used that they got: worker CPU seconds over
     * {@code time * min(T, cores)}. Well below 1 means other processes took the cores during the timed window.
     */
    public double cpuShare(int cores) {
        return workerCpuSeconds / (timeSeconds * Math.min(threads, cores));
    }

    /** Whether the counters' line carried numbers ({@code -Dhako.stats=true} and a Hako allocator). */
    public boolean hasCounters() {
        return remoteStats.containsKey("remote_frees");
    }
}
