package dev.hako.lab.memory;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.CommittedMemory;
import dev.hako.lab.peers.HakoPeer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Runs one scenario on one allocator in this JVM and measures it: the baseline resident set before the work, the
 * peak while it runs ({@code VmHWM} reset at the baseline, and the sampler's largest sample), then with the
 * program idle 1 s and 5 s after the work ended; for Hako, {@code trim()} after that and the resident set right
 * after it. A sampler thread records the resident set every period throughout.
 */
public final class ScenarioRun {
    private ScenarioRun() {}

    /**
     * When to read the figures.
     *
     * @param after1Millis    "after 1 s": this long after the work ended
     * @param after5Millis    "after 5 s"
     * @param tailMillis      sampling goes on this long after the trim (for the chart)
     * @param settleMillis    idle time before the baseline (after a GC), so that start-up work has calmed down
     * @param periodMillis    time between samples
     */
    public record Timing(long after1Millis, long after5Millis, long tailMillis, long settleMillis, long periodMillis) {
        /** What the line's names say: 1 s and 5 s, sampled every 50 ms. */
        public static final Timing STANDARD = new Timing(1000, 5000, 500, 300, 50);

        public Timing {
            if (after1Millis < 0 || after5Millis < after1Millis || tailMillis < 0 || settleMillis < 0
                    || periodMillis <= 0) {
                throw new IllegalArgumentException("timing must satisfy 0 <= after1 <= after5, period > 0");
            }
        }
    }

    /**
     * @param line    the figures
     * @param samples the resident set (and committed memory) over time
     * @param gauges  Hako's gauge lines at the scenario's checkpoints, after 5 s and after the trim (empty for others)
     */
    public record Result(MemoryLine line, Samples samples, List<String> gauges) {}

    /**
     * @param log gets Hako's gauge lines as they are taken (may be {@code null})
     */
    public static Result run(Scenario scenario, Sizes sizes, AddressPeer peer, Timing timing, PrintStream log)
            throws InterruptedException {
        HakoPeer hako = peer instanceof HakoPeer h ? h : null;
        LongSupplier committed = peer instanceof CommittedMemory c ? c::committedBytes : null;
        List<String> gauges = Collections.synchronizedList(new ArrayList<>()); // checkpoints may come from any thread
        Scenario.Checkpoint checkpoint = label -> {
            if (hako == null) return;
            String g = gaugeLine(scenario, label, hako);
            gauges.add(g);
            if (log != null) log.println(g);
        };

        ResidentMemory resident = new ResidentMemory();
        settle(resident, timing.settleMillis());
        boolean hwmReset = ResidentMemory.resetPeak();
        RssSampler sampler = new RssSampler(timing.periodMillis(), committed,
                hako == null ? null : () -> hako.stats().line());
        sampler.start();
        long baselineKb = sampler.rssNowKb();

        sampler.mark(Samples.WORK_START);
        long start = System.nanoTime();
        Scenario.Outcome outcome;
        try {
            outcome = scenario.work(peer, sizes, checkpoint);
        } catch (RuntimeException | InterruptedException | Error e) {
            sampler.stop();
            throw e;
        }
        double workSeconds = (System.nanoTime() - start) / 1e9;
        sampler.mark(Samples.WORK_END);
        long end = sampler.elapsedMillis();
        checkpoint.at("work_end");

        long after1Kb, after5Kb, afterTrimKb = -1;
        Samples samples;
        try {
            sleepUntil(sampler, end + timing.after1Millis());
            after1Kb = sampler.rssNowKb();
            sleepUntil(sampler, end + timing.after5Millis());
            after5Kb = sampler.rssNowKb();
            checkpoint.at("after_5s");
            if (hako != null) {
                sampler.mark(Samples.TRIM);
                long returned = hako.trim();
                afterTrimKb = sampler.rssNowKb();
                checkpoint.at("after_trim returned_kb=" + (returned >> 10));
            }
            Thread.sleep(timing.tailMillis());
        } finally {
            samples = sampler.stop();
            outcome.release().run();
        }
        if (sampler.detailAtPeak() != null) {
            // Where Hako's memory was at the highest resident sample (the peak itself may fall between samples).
            String g = String.format(Locale.ROOT, "%sscenario=%s at=rss_peak_sample %s", MemorySession.GAUGES_PREFIX,
                    scenario.id(), sampler.detailAtPeak());
            gauges.add(g);
            if (log != null) log.println(g);
        }
        if (sampler.gaugeFailure() != null && log != null) {
            log.println("memory: note: the committed gauge failed and was left out: " + sampler.gaugeFailure());
        }
        long peakKb = Math.max(samples.maxRssKb(), hwmReset ? resident.peakKb() : -1);
        long committedPeakKb = samples.maxCommittedKb();
        MemoryLine line = new MemoryLine(scenario.id(), peer.name(), mib(baselineKb), mib(peakKb), mib(after1Kb),
                mib(after5Kb), committedPeakKb < 0 ? Double.NaN : mib(committedPeakKb),
                afterTrimKb < 0 ? Double.NaN : mib(afterTrimKb), workSeconds, outcome.itersPerSecond());
        return new Result(line, samples, List.copyOf(gauges));
    }

    /** {@code memory-gauges: scenario=.. at=LABEL [HAKO_STATS] ...} */
    static String gaugeLine(Scenario scenario, String label, HakoPeer hako) {
        return String.format(Locale.ROOT, "%sscenario=%s at=%s %s", MemorySession.GAUGES_PREFIX, scenario.id(), label,
                hako.stats().line());
    }

    /**
     * A GC, then rest until the resident set holds still (two readings 100 ms apart within 1 MiB, at most 3 s): the
     * JVM gives heap back after a GC in the background, and that must not happen during the work.
     */
    private static void settle(ResidentMemory resident, long settleMillis) throws InterruptedException {
        System.gc();
        Thread.sleep(settleMillis);
        long deadline = System.nanoTime() + 3_000_000_000L;
        long previous = resident.rssKb();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            long now = resident.rssKb();
            if (Math.abs(now - previous) < 1024) break;
            previous = now;
        }
    }

    private static void sleepUntil(RssSampler sampler, long elapsedMillis) throws InterruptedException {
        long wait;
        while ((wait = elapsedMillis - sampler.elapsedMillis()) > 0) Thread.sleep(wait);
    }

    private static double mib(long kb) {
        return kb / 1024.0;
    }
}
