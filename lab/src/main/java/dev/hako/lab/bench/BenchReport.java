package dev.hako.lab.bench;

import dev.hako.HakoStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The printed and JSON forms of a measured run. Every line is {@code [TAG] key=value ...} (values without
 * spaces) except the seed's result line, so A/B runners can parse them; the formats are stable:
 * <pre>
 * [BENCH_ARGS] threads=T iters=I ws=W min=A max=B remote_pct=R ring_slots=S
 * [HAKO] allocator=NAME remote=STRATEGY|- jdk=VERSION
 * [PEER] allocator=NAME detail=free text to the end of the line
 * bench_random_mixed_mt_remote: threads=T ops=N time=SECONDS ops/s=X
 * [EFFECTIVE_REMOTE] target=R actual=P% fallback_rate=F% sends=.. local_frees=.. fallback_frees=.. recv_frees=..
 * [ITERS] iters=T*I time=SECONDS iters_per_s=X allocs=.. dirty=true|false worker_cpu_s=SECONDS
 * [ALLOC_FAILURES] count=..
 * [PROCESS_MEMORY] peak_rss_kb=..
 * [HAKO_STATS] ...      (hako with -Dhako.stats=true: counters of the timed window of the measured run)
 * [REMOTE_STATS] ...
 * </pre>
 *
 * @param allocator  peer name
 * @param remote     Hako's remote-free strategy, or "-"
 * @param detail     the peer's description
 * @param result     the measured run
 * @param warmups    the unmeasured runs before it
 * @param peakRssKb  the process's resident high-water mark
 * @param hakoStats  Hako's counters of the measured window, or {@code null}
 */
public record BenchReport(String allocator, String remote, String detail, BenchResult result,
                          List<BenchResult> warmups, long peakRssKb, HakoStats hakoStats) {

    public static String hakoLine(String allocator, String remote) {
        return "[HAKO] allocator=" + allocator + " remote=" + remote + " jdk=" + Runtime.version();
    }

    public static String peerLine(String allocator, String detail) {
        return "[PEER] allocator=" + allocator + " detail=" + detail;
    }

    /** The lines printed after the measured run, in order. */
    public List<String> resultLines() {
        ThreadCounts c = result.total();
        BenchArgs a = result.args();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "bench_random_mixed_mt_remote: threads=%d ops=%d time=%.6f ops/s=%.2f",
                a.threads(), c.ops(), result.seconds(), result.opsPerSecond()));
        lines.add(String.format(Locale.ROOT, "[EFFECTIVE_REMOTE] target=%d actual=%.2f%% fallback_rate=%.2f%%"
                        + " sends=%d local_frees=%d fallback_frees=%d recv_frees=%d", a.remotePct(),
                result.actualRemotePct(), result.fallbackRatePct(), c.sends(), c.localFrees(), c.fallbackFrees(),
                c.recvFrees()));
        lines.add(String.format(Locale.ROOT, "[ITERS] iters=%d time=%.6f iters_per_s=%.2f allocs=%d dirty=%b"
                        + " worker_cpu_s=%.6f", a.totalIters(), result.seconds(), result.itersPerSecond(), c.allocs(),
                result.dirty(), result.workerCpuSeconds()));
        lines.add("[ALLOC_FAILURES] count=" + c.allocFailures());
        lines.add("[PROCESS_MEMORY] peak_rss_kb=" + peakRssKb);
        if (hakoStats != null) {
            lines.add(hakoStats.line());
            lines.add(hakoStats.remoteLine());
        }
        return lines;
    }

    /** One line of progress for an unmeasured run (printed to stderr). */
    public static String warmupLine(int index, int of, BenchResult r) {
        return String.format(Locale.ROOT, "[WARMUP] run=%d/%d time=%.6f ops/s=%.2f iters_per_s=%.2f fallback_rate=%.2f%%",
                index, of, r.seconds(), r.opsPerSecond(), r.itersPerSecond(), r.fallbackRatePct());
    }

    /**
     * Hako's counters over a window: {@code after - before} for every counter, gauges (memory, owners) as of
     * {@code after}.
     */
    public static HakoStats window(HakoStats before, HakoStats after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.counters().forEach((k, v) -> delta.put(k, v - before.get(k)));
        return new HakoStats(after.enabled(), after.remote(), delta, after.memory(), after.ownersInUse(),
                after.ownersHighWater());
    }

    /** Every figure of the measured run as one JSON object. */
    public String json() {
        ThreadCounts c = result.total();
        BenchArgs a = result.args();
        Json j = new Json();
        j.open();
        j.field("allocator", allocator).field("remote", remote).field("jdk", Runtime.version().toString())
                .field("detail", detail);
        j.key("args").open().field("threads", a.threads()).field("iters", a.iters()).field("ws", a.ws())
                .field("min", a.min()).field("max", a.max()).field("remote_pct", a.remotePct())
                .field("ring_slots", a.ringSlots()).close();
        j.field("warmup", warmups.size());
        j.key("warmup_ops_per_s").openArray();
        for (BenchResult w : warmups) j.value(w.opsPerSecond());
        j.closeArray();
        j.field("ops", c.ops()).field("time_s", result.seconds()).field("ops_per_s", result.opsPerSecond())
                .field("iters", a.totalIters()).field("iters_per_s", result.itersPerSecond())
                .field("allocs", c.allocs()).field("local_frees", c.localFrees())
                .field("fallback_frees", c.fallbackFrees()).field("sends", c.sends())
                .field("recv_frees", c.recvFrees()).field("alloc_failures", c.allocFailures())
                .field("actual_remote_pct", result.actualRemotePct())
                .field("fallback_rate_pct", result.fallbackRatePct()).field("dirty", result.dirty())
                .field("peak_rss_kb", peakRssKb).field("worker_cpu_s", result.workerCpuSeconds());
        j.key("per_thread").openArray();
        for (ThreadCounts t : result.perThread()) {
            j.open().field("ops", t.ops()).field("allocs", t.allocs()).field("local_frees", t.localFrees())
                    .field("fallback_frees", t.fallbackFrees()).field("sends", t.sends())
                    .field("recv_frees", t.recvFrees()).field("alloc_failures", t.allocFailures()).close();
        }
        j.closeArray();
        if (hakoStats != null) {
            j.key("hako_stats").open().field("counters_enabled", hakoStats.enabled());
            hakoStats.counters().forEach(j::field);
            HakoStats.Memory m = hakoStats.memory();
            j.field("live_kb", m.liveBytes() >> 10)
                    .field("cached_kb", m.cachedBytes() >> 10)
                    .field("free_in_pages_kb", m.freeInPagesBytes() >> 10)
                    .field("pooled_kb", m.pooledBytes() >> 10)
                    .field("decommitted_kb", m.decommittedBytes() >> 10)
                    .field("committed_kb", m.committedBytes() >> 10)
                    .field("returned_kb", m.returnedBytes() >> 10)
                    .field("segments", m.segmentsCommitted())
                    .field("large_kb", hakoStats.largeBytes() >> 10)
                    .field("owners_in_use", hakoStats.ownersInUse())
                    .field("owners_high_water", hakoStats.ownersHighWater()).close();
        }
        j.close();
        return j.toString();
    }

    /** Just enough JSON writing for flat reports (no library on the lab's class path does it). */
    private static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private boolean first = true;

        Json open() {
            sep();
            sb.append('{');
            first = true;
            return this;
        }

        Json close() {
            sb.append('}');
            first = false;
            return this;
        }

        Json openArray() {
            sep();
            sb.append('[');
            first = true;
            return this;
        }

        Json closeArray() {
            sb.append(']');
            first = false;
            return this;
        }

        Json key(String k) {
            sep();
            string(k);
            sb.append(':');
            first = true; // the value follows without a comma
            return this;
        }

        Json field(String k, Object v) {
            key(k);
            return value(v);
        }

        Json value(Object v) {
            sep();
            switch (v) {
                case null -> sb.append("null");
                case String s -> string(s);
                case Double d -> sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6f", d));
                default -> sb.append(v);
            }
            first = false;
            return this;
        }

        private void sep() {
            if (!first) sb.append(',');
            first = false;
        }

        private void string(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (ch < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                        else sb.append(ch);
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
