package dev.hako.lab.report;

import dev.hako.lab.ab.BenchOutput;
import dev.hako.lab.ab.BenchOutputParser;
import dev.hako.lab.ab.ExperimentConfig;
import dev.hako.lab.ab.RunRecord;
import dev.hako.lab.ab.Variant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run as named fields, in a fixed order: a row of results.csv and an element of results.json's runs. */
final class RunFields {
    /** {@code [REMOTE_STATS]} keys copied into every row (blank unless a counter run). */
    static final List<String> COUNTER_KEYS = List.of("remote_frees", "atomics_per_remote_free", "pushes", "cas_attempts",
            "cas_failures", "fallbacks", "notifies", "scans", "drains", "drained_blocks", "blocks_per_drain");
    /** {@code [EFFECTIVE_REMOTE]} counts copied into every row. */
    static final List<String> EFFECTIVE_KEYS = List.of("sends", "local_frees", "fallback_frees", "recv_frees");

    private RunFields() {}

    static Map<String, Object> of(ExperimentConfig config, RunRecord r) {
        BenchOutput o = r.output();
        Variant v = config.variants().get(r.plan().variant());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("seq", r.sequence());
        f.put("kind", r.plan().kind().id());
        f.put("threads", r.plan().cell().threads());
        f.put("remote_pct", r.plan().cell().remotePct());
        f.put("variant", v.label());
        f.put("spec", v.spec().text());
        f.put("run", r.plan().index());
        f.put("allocator", o.allocator());
        f.put("remote", o.remote());
        f.put("ops", o.ops());
        f.put("time_s", o.timeSeconds());
        f.put("ops_per_s", o.opsPerSec());
        f.put("iters_per_s", o.itersPerSec());
        f.put("actual_remote_pct", o.actualRemotePct());
        f.put("fallback_rate_pct", o.fallbackPct());
        f.put("dirty", r.dirty());
        for (String k : EFFECTIVE_KEYS) f.put(k, BenchOutputParser.number(o.effectiveRemote().get(k)));
        f.put("alloc_failures", o.allocFailures());
        f.put("peak_rss_kb", o.peakRssKb());
        f.put("worker_cpu_s", o.workerCpuSeconds());
        f.put("cpu_share", o.cpuShare(Runtime.getRuntime().availableProcessors()));
        for (String k : COUNTER_KEYS) f.put(k, o.remoteStat(k));
        f.put("jfr_samples", r.samples().total());
        f.put("jfr_push_samples", r.samples().pushPath());
        f.put("jfr_push_share", r.samples().share());
        f.put("wall_s", r.wallSeconds());
        f.put("log", r.log());
        return f;
    }
}
