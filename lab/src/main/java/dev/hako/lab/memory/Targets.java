package dev.hako.lab.memory;

import dev.hako.lab.peers.HakoPeer;
import dev.hako.lab.peers.JemallocPeer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Issue 8's targets for Hako's figures (MiB above the baseline, the median over runs), and how a set of runs fares.
 * At {@code --quick} sizes the absolute targets are easy to meet; only the full sizes judge the allocator.
 */
public final class Targets {
    private Targets() {}

    private static final double MIB = 1 << 20;

    /** A figure of a line, above its baseline. */
    public enum Figure {
        PEAK("peak", MemoryLine::peakMib),
        AFTER_1S("after 1 s", MemoryLine::after1sMib),
        AFTER_5S("after 5 s", MemoryLine::after5sMib),
        AFTER_TRIM("after trim", MemoryLine::afterTrimMib);

        private final String label;
        private final ToDoubleFunction<MemoryLine> absolute;

        Figure(String label, ToDoubleFunction<MemoryLine> absolute) {
            this.label = label;
            this.absolute = absolute;
        }

        public String label() {
            return label;
        }

        /** MiB above the line's baseline (NaN when the line lacks the figure). */
        public double of(MemoryLine line) {
            return absolute.applyAsDouble(line) - line.baselineMib();
        }
    }

    /**
     * @param limitMib the largest figure that meets the target, MiB above the baseline; NaN when it depends on
     *                 another allocator's runs ({@link #relativeTo})
     * @param relativeTo the allocator whose median figure is the limit, or {@code null}
     */
    public record Target(Scenario scenario, Figure figure, double limitMib, String relativeTo, String text) {}

    public enum Status { MET, MISSED, NOT_JUDGED }

    /**
     * @param hakoMib  Hako's median figure above the baseline (NaN without runs)
     * @param limitMib the limit that applied (NaN when not judged)
     */
    public record Verdict(Target target, double hakoMib, double limitMib, Status status, String note) {
        /** {@code met}, {@code MISSED by 12.3 MiB} or {@code not judged (why)}. */
        public String statusText() {
            return switch (status) {
                case MET -> "met";
                case MISSED -> String.format(Locale.ROOT, "MISSED by %.1f MiB", hakoMib - limitMib);
                case NOT_JUDGED -> "not judged (" + note + ")";
            };
        }
    }

    /** The targets at these sizes (phase's limit scales with the phase's bytes). */
    public static List<Target> of(Sizes sizes) {
        double phase = 1.25 * sizes.phaseBytes() / MIB;
        return List.of(
                new Target(Scenario.BURST, Figure.AFTER_5S, 64, null, "RSS 5 s after the free within 64 MiB of the baseline"),
                new Target(Scenario.BURST, Figure.AFTER_TRIM, 32, null, "after trim() within 32 MiB of the baseline"),
                new Target(Scenario.PHASE, Figure.PEAK, phase, null, String.format(Locale.ROOT,
                        "peak no more than 1.25 x %d MiB = %.0f MiB above the baseline", sizes.phaseBytes() >> 20, phase)),
                new Target(Scenario.HANDOFF, Figure.AFTER_5S, 128, null, "RSS 5 s after the work within 128 MiB of the baseline"),
                new Target(Scenario.CHURN, Figure.AFTER_5S, 256, null, "RSS 5 s after the work within 256 MiB of the baseline"),
                new Target(Scenario.SEED, Figure.PEAK, Double.NaN, JemallocPeer.NAME,
                        "peak no more than jemalloc's in the same JVM set-up (both above their baselines)"));
    }

    /** Judges every target whose scenario ran with Hako. */
    public static List<Verdict> judge(List<Target> targets, List<MemoryLine> lines) {
        List<Verdict> out = new ArrayList<>();
        for (Target t : targets) {
            double hako = median(lines, t.scenario(), HakoPeer.NAME, t.figure());
            if (Double.isNaN(hako)) {
                if (lines.stream().anyMatch(l -> l.scenario().equals(t.scenario().id()))) {
                    out.add(new Verdict(t, hako, Double.NaN, Status.NOT_JUDGED, "no hako run"));
                }
                continue;
            }
            double limit = t.limitMib();
            if (t.relativeTo() != null) {
                limit = median(lines, t.scenario(), t.relativeTo(), t.figure());
                if (Double.isNaN(limit)) {
                    out.add(new Verdict(t, hako, limit, Status.NOT_JUDGED, "needs " + t.relativeTo() + " in the same run"));
                    continue;
                }
            }
            out.add(new Verdict(t, hako, limit, hako <= limit ? Status.MET : Status.MISSED, ""));
        }
        return out;
    }

    /** The median of a figure over an allocator's runs of a scenario, NaN without runs. */
    public static double median(List<MemoryLine> lines, Scenario scenario, String allocator, Figure figure) {
        double[] v = lines.stream().filter(l -> l.scenario().equals(scenario.id()) && l.allocator().equals(allocator))
                .mapToDouble(figure::of).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
