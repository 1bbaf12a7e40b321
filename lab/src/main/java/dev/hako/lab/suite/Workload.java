package dev.hako.lab.suite;

import dev.hako.lab.peers.AddressPeer;

/**
 * An allocation pattern after one of mimalloc-bench's portable benchmarks, run on any {@link AddressPeer}. Each
 * thread opens its own handle in that thread. Blocks are written where the original writes them and verified
 * before they are freed, so a run is also a correctness check: a block whose contents changed fails the run
 * with a {@link dev.hako.lab.suite.workload.BlockCheckException}.
 */
public interface Workload {
    /** The family name, e.g. {@code larson}. */
    String name();

    /** One line: the pattern and the original it follows. */
    String description();

    /** What the run reports: time, or ops/s where the original reports a throughput. */
    Figure figure();

    /**
     * Runs the workload once and frees everything it allocated.
     *
     * @param threads the thread count (the original's main parameter)
     * @param scale   1.0 = the suite's full size; smaller for quick runs (each workload scales its iteration
     *                counts or its duration, never below one iteration)
     */
    Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException;
}
