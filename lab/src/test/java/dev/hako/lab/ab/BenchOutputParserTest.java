package dev.hako.lab.ab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOutputParserTest {
    /** Two warm-ups print first; JFR and a future key (cpu=) are noise the parser must step over. */
    static final String FULL = """
            Started recording 1. The result will be written to: /tmp/x.jfr
            [BENCH_ARGS] threads=4 iters=100000 ws=400 min=16 max=2048 remote_pct=90 ring_slots=262144
            [HAKO] allocator=hako remote=mailbox2 jdk=25+36-LTS arena=64g
            bench_random_mixed_mt_remote: threads=4 ops=700000 time=0.050000 ops/s=14000000.00
            [EFFECTIVE_REMOTE] target=90 actual=80.00% fallback_rate=50.00% sends=10 local_frees=10 fallback_frees=10 recv_frees=10
            bench_random_mixed_mt_remote: threads=4 ops=800000 time=0.020000 ops/s=40000000.00 cpu=1.9
            [EFFECTIVE_REMOTE] target=90 actual=89.95% fallback_rate=0.05% sends=359640 local_frees=40000 fallback_frees=180 recv_frees=359000
              [ALLOC_FAILURES] count=0
            [HAKO_STATS] remote=mailbox2 mallocs=400000 frees=399000 committed_kb=8192
            [REMOTE_STATS] remote=mailbox2 remote_frees=359640 pushes=1200 cas_attempts=22478 cas_failures=3 fallbacks=12 atomics_per_remote_free=0.0625 fallback_rate=0.00% blocks_per_drain=31.50
            [PROCESS_MEMORY] peak_rss_kb=123456
            """;

    /** What `hako bench 2 20000 400 16 2048 90 262144 --warmup 1` printed (stderr merged, as the lab runs it). */
    static final String REAL = """
            [BENCH_ARGS] threads=2 iters=20000 ws=400 min=16 max=2048 remote_pct=90 ring_slots=262144
            [HAKO] allocator=hako remote=push jdk=25.0.3+9-LTS
            [PEER] allocator=hako detail=hako remote=push arena=65536MiB owners=1024 shared=2 reaper_ms=200 stats=false checked=false
            [WARMUP] run=1/1 time=0.338066 ops/s=144808.93 iters_per_s=118320.04 fallback_rate=0.00%
            bench_random_mixed_mt_remote: threads=2 ops=48943 time=0.121603 ops/s=402482.34
            [EFFECTIVE_REMOTE] target=90 actual=90.27% fallback_rate=0.00% sends=17878 local_frees=1927 fallback_frees=0 recv_frees=8943
            [ITERS] iters=40000 time=0.121603 iters_per_s=328939.66 allocs=20195 dirty=false worker_cpu_s=0.121603
            [ALLOC_FAILURES] count=0
            [PROCESS_MEMORY] peak_rss_kb=112020
            """;

    @Test
    void readsTheRealBenchOutput() {
        BenchOutput o = BenchOutputParser.parse(REAL, 1);
        assertEquals(2, o.threads());
        assertEquals(48943, o.ops());
        assertEquals(402482.34, o.opsPerSec(), 1e-6);
        assertEquals(328939.66, o.itersPerSec(), 1e-6, "[ITERS] iters_per_s, not the warm-up's");
        assertEquals(0, o.fallbackPct());
        assertEquals(112020, o.peakRssKb());
        assertEquals("push", o.remote());
        assertEquals(0.121603, o.workerCpuSeconds(), 1e-12);
        assertEquals(0.5, o.cpuShare(2), 1e-12, "one core's worth of CPU for two threads on two cores");
        assertEquals(1.0, o.cpuShare(1), 1e-12);
    }

    @Test
    void warmupLinesNeverCount() {
        String late = REAL + "[WARMUP] run=9/9 time=1 ops/s=1 iters_per_s=1 fallback_rate=99.00%\n";
        assertEquals(328939.66, BenchOutputParser.parse(late, 1).itersPerSec(), 1e-6);
    }

    @Test
    void readsTheMeasuredRunAndEveryLine() {
        BenchOutput o = BenchOutputParser.parse(FULL, 999);
        assertEquals(4, o.threads());
        assertEquals(800_000, o.ops());
        assertEquals(0.02, o.timeSeconds(), 1e-12);
        assertEquals(40e6, o.opsPerSec(), 1e-3);
        assertEquals(0.05, o.fallbackPct(), 1e-12, "the last [EFFECTIVE_REMOTE] is the measured run's");
        assertEquals(89.95, o.actualRemotePct(), 1e-12);
        assertEquals("359640", o.effectiveRemote().get("sends"));
        assertEquals(0, o.allocFailures());
        assertEquals(123456, o.peakRssKb());
        assertEquals("hako", o.allocator());
        assertEquals("mailbox2", o.remote());
        assertTrue(o.hasCounters());
        assertEquals(0.0625, o.remoteStat("atomics_per_remote_free"), 1e-12);
        assertEquals(31.5, o.remoteStat("blocks_per_drain"), 1e-12);
        assertEquals("8192", o.hakoStats().get("committed_kb"));
    }

    @Test
    void computesIterationsPerSecondFromBenchArgsWhenNotPrinted() {
        BenchOutput o = BenchOutputParser.parse(FULL, 999);
        assertEquals(4 * 100_000 / 0.02, o.itersPerSec(), 1e-3);
    }

    @Test
    void usesTheHintWithoutBenchArgs() {
        String text = FULL.lines().filter(l -> !l.startsWith("[BENCH_ARGS]")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(4 * 5000 / 0.02, BenchOutputParser.parse(text, 5000).itersPerSec(), 1e-3);
    }

    @Test
    void takesPrintedIterationsPerSecond() {
        String text = FULL.replace("ops/s=40000000.00 cpu=1.9", "ops/s=40000000.00 it/s=19000000.5");
        assertEquals(19_000_000.5, BenchOutputParser.parse(text, 1).itersPerSec(), 1e-9);
        String separate = FULL + "[ITERATIONS] iterations/s=1.5e7\n";
        assertEquals(1.5e7, BenchOutputParser.parse(separate, 1).itersPerSec(), 1e-9);
    }

    @Test
    void countersAbsentWhenOff() {
        String text = FULL.replaceAll("\\[REMOTE_STATS].*", "[REMOTE_STATS] remote=push counters=off(-Dhako.stats=true)");
        BenchOutput o = BenchOutputParser.parse(text, 1);
        assertFalse(o.hasCounters());
        assertTrue(Double.isNaN(o.remoteStat("atomics_per_remote_free")));
    }

    @Test
    void fallbackRateFromCountsWhenTheRateIsMissing() {
        String text = FULL.replace(" fallback_rate=0.05%", "");
        assertEquals(100.0 * 180 / (359640 + 180), BenchOutputParser.parse(text, 1).fallbackPct(), 1e-9);
    }

    @Test
    void optionalLinesMayBeMissing() {
        String text = """
                bench_random_mixed_mt_remote: threads=1 ops=10 time=1.0 ops/s=10.0
                [EFFECTIVE_REMOTE] target=0 actual=0.00% fallback_rate=0.00% sends=0 local_frees=5 fallback_frees=0 recv_frees=0
                """;
        BenchOutput o = BenchOutputParser.parse(text, 7);
        assertEquals(7, o.itersPerSec(), 1e-12);
        assertEquals(-1, o.peakRssKb());
        assertEquals(-1, o.allocFailures());
        assertEquals(null, o.allocator());
    }

    @Test
    void missingThroughputLineIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOutputParser.parse("[EFFECTIVE_REMOTE] fallback_rate=0.00%\n", 1));
        assertTrue(e.getMessage().contains("bench_random_mixed_mt_remote"), e.getMessage());
    }

    @Test
    void missingEffectiveRemoteIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOutputParser.parse(
                "bench_random_mixed_mt_remote: threads=1 ops=10 time=1.0 ops/s=10.0\n", 1));
        assertTrue(e.getMessage().contains("[EFFECTIVE_REMOTE]"), e.getMessage());
    }

    @Test
    void malformedNumberIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOutputParser.parse(
                "bench_random_mixed_mt_remote: threads=1 ops=10 time=fast ops/s=10.0\n[EFFECTIVE_REMOTE] fallback_rate=0%\n", 1));
        assertTrue(e.getMessage().contains("time="), e.getMessage());
    }

    @Test
    void numbersTolerateUnitsAndDecimalCommas() {
        assertEquals(0.05, BenchOutputParser.number("0.05%"), 1e-12);
        assertEquals(1.5, BenchOutputParser.number("1,5"), 1e-12);
        assertTrue(Double.isNaN(BenchOutputParser.number("n/a")));
        assertTrue(Double.isNaN(BenchOutputParser.number(null)));
    }
}
