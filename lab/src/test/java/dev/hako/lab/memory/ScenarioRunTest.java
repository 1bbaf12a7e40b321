package dev.hako.lab.memory;

import dev.hako.HakoStats;
import dev.hako.lab.bench.BenchArgs;
import dev.hako.lab.peers.HakoPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every scenario, run in this JVM on Hako at a tiny size with short idle times: the line parses back to itself and
 * Hako's figures hang together. Resident-set figures are compared with each other only (no timing).
 */
class ScenarioRunTest {
    private static final long MIB = 1L << 20;
    static final Sizes TINY = new Sizes("tiny", 32 * MIB, 64 * 1024, 8 * MIB, 8 * MIB, 24, 4, MIB,
            new BenchArgs(2, 20_000, 400, 16, 2048, 90, 4096));
    private static final ScenarioRun.Timing FAST = new ScenarioRun.Timing(50, 150, 0, 0, 20);

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void hakoLineParsesAndItsFiguresHangTogether(Scenario scenario) throws Exception {
        try (HakoPeer peer = new HakoPeer(null)) {
            ScenarioRun.Result r = ScenarioRun.run(scenario, TINY, peer, FAST, null);
            MemoryLine line = r.line();
            assertEquals(line.format(), MemoryLine.parse(line.format()).format(), "round trip");
            assertEquals(scenario.id(), line.scenario());
            assertEquals("hako", line.allocator());

            assertTrue(line.baselineMib() > 0, line.format());
            for (double v : new double[] {line.after1sMib(), line.after5sMib(), line.afterTrimMib()}) {
                assertTrue(v > 0 && v <= line.peakMib(), "a figure above the peak: " + line.format());
            }
            assertTrue(line.peakMib() >= line.baselineMib(), line.format());
            assertTrue(line.committedPeakMib() > 0, "Hako's committed gauge was sampled: " + line.format());
            assertTrue(line.workSeconds() > 0, line.format());
            assertEquals(scenario == Scenario.SEED, !Double.isNaN(line.itersPerSecond()), line.format());
            if (scenario == Scenario.SEED) assertTrue(line.itersPerSecond() > 0, line.format());

            Samples s = r.samples();
            assertTrue(s.size() >= 3, "samples: " + s.size());
            for (int i = 1; i < s.size(); i++) assertTrue(s.tMs()[i] >= s.tMs()[i - 1], "time goes forward");
            assertTrue(s.mark(Samples.WORK_START) >= 0 && s.mark(Samples.WORK_END) >= s.mark(Samples.WORK_START));
            assertTrue(s.mark(Samples.TRIM) >= s.mark(Samples.WORK_END) + FAST.after5Millis());
            assertTrue(r.gauges().stream().anyMatch(g -> g.contains("at=after_5s [HAKO_STATS]")), r.gauges().toString());
            assertTrue(r.gauges().stream().anyMatch(g -> g.contains("at=after_trim returned_kb=")), r.gauges().toString());

            // Every block was freed and trim() ran: nothing is live or cached, and nothing is resident in the pool;
            // only a thread that stays alive and idle after freeing to others (handoff's consumer) may still buffer
            // remote frees as a producer, within the parcel budget (1 MiB), until it calls Hako again or exits.
            HakoStats.Memory m = peer.stats().memory();
            assertTrue(m.liveBytes() <= (scenario == Scenario.HANDOFF ? 1L << 20 : 0), peer.stats().line());
            assertEquals(0, m.pooledBytes(), peer.stats().line());
            assertTrue(m.returnedBytes() > 0, peer.stats().line());
        }
    }

    @Test
    void theGaugesShowTheBurstAndTrimReturnsIt() throws Exception {
        try (HakoPeer peer = new HakoPeer(null)) {
            ScenarioRun.Result r = ScenarioRun.run(Scenario.BURST, TINY, peer, FAST, null);
            long burstKb = TINY.burstBytes() >> 10;
            // At the checkpoint every block of the burst is live; the committed peak covers them.
            assertTrue(gauge(r, "at=allocated", "live_kb") >= burstKb, r.gauges().toString());
            assertTrue(r.line().committedPeakMib() * 1024 >= burstKb, r.line().format());
            // After trim() the pages the burst used are back with the kernel, none resident in the pool.
            assertEquals(0, gauge(r, "at=after_trim", "pooled_kb"), r.gauges().toString());
            assertTrue(gauge(r, "at=after_trim", "decommitted_kb") >= burstKb / 2, r.gauges().toString());
            // The resident set sampled stays within what the line reports.
            assertTrue(r.samples().maxRssKb() <= r.line().peakMib() * 1024 + 1, r.line().format());
        }
    }

    private static long gauge(ScenarioRun.Result r, String at, String key) {
        String line = r.gauges().stream().filter(g -> g.contains(at)).findFirst().orElseThrow();
        for (String token : line.split(" ")) {
            if (token.startsWith(key + "=")) return Long.parseLong(token.substring(key.length() + 1));
        }
        throw new AssertionError("no " + key + " in " + line);
    }
}
