package dev.hako.lab.ab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JFR execution samples of one or more recordings: how many there were, how many had the remote-free producer
 * path on their stack, and which methods were on top of those.
 *
 * @param total    {@code jdk.ExecutionSample} events
 * @param pushPath events with a producer-path frame ({@link JfrPushPath#isProducerFrame})
 * @param topOfPushPath the top frame of each push-path sample, counted ({@code Class.method})
 */
public record SampleShare(long total, long pushPath, Map<String, Long> topOfPushPath) {
    public static final SampleShare NONE = new SampleShare(0, 0, Map.of());

    public SampleShare {
        topOfPushPath = Map.copyOf(topOfPushPath);
    }

    /** The push path's share of samples, 0..1 (NaN without samples). */
    public double share() {
        return total == 0 ? Double.NaN : (double) pushPath / total;
    }

    /** The samples of both recordings together. */
    public SampleShare plus(SampleShare other) {
        Map<String, Long> top = new LinkedHashMap<>(topOfPushPath);
        other.topOfPushPath.forEach((k, v) -> top.merge(k, v, Long::sum));
        return new SampleShare(total + other.total, pushPath + other.pushPath, top);
    }
}
