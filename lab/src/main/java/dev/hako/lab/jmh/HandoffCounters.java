package dev.hako.lab.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-thread counts of a producer/consumer pair, reported by JMH beside the methods' own rates: blocks freed by
 * the consumer ({@code remoteFrees}), blocks the producer freed itself because the handoff ring was full
 * ({@code fallbacks}), and consumer calls that found the ring empty ({@code emptyPolls}).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class HandoffCounters {
    public long remoteFrees;
    public long fallbacks;
    public long emptyPolls;

    @Setup(Level.Iteration)
    public void reset() {
        remoteFrees = 0;
        fallbacks = 0;
        emptyPolls = 0;
    }
}
