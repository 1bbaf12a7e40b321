package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.atomic.AtomicLong;

/**
 * After MicroQuill's sh6bench (SmartHeap's portable benchmark; mimalloc-bench runs it with twice the cores in
 * threads): each thread sweeps sizes upwards from 1 to 1000 bytes (each step 1.5x the last), and for each step
 * allocates blocks of that size and of every halving of it down to 1 byte, small sizes far more often (250 blocks
 * per size under 100 bytes, 50 under 1000). The blocks go into a {@link SaveWindowRing} of 10,000 slots, so they
 * are freed in batches, some in allocation order, some in reverse, a fifth surviving a cycle longer. No block
 * crosses threads. Blocks are tagged at both ends (mimalloc-bench's version writes the first and last byte),
 * checked before they are freed. Reports the time.
 */
public final class Sh6Bench implements Workload {
    public static final String NAME = "sh6bench";
    static final int MIN_SIZE = 1;
    static final int MAX_SIZE = 1000;
    static final int RING = 10_000;
    /** Size sweeps per thread at full size. */
    static final int SWEEPS = 500;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "size sweeps 1..1000 B into a 10,000-slot ring, freed in batches FIFO and LIFO, a fifth kept a"
                + " cycle longer (MicroQuill sh6bench)";
    }

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int sweeps = Scale.count(SWEEPS, scale);
        AtomicLong ops = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        long start = System.nanoTime();
        Team.run(NAME, threads, t -> {
            try (AddressHandle h = peer.open(t)) {
                SaveWindowRing ring = new SaveWindowRing(NAME, RING);
                Rng rng = new Rng(0x5B6L + t);
                for (int s = 0; s < sweeps; s++) {
                    for (int base = MIN_SIZE; base < MAX_SIZE; base = base * 3 / 2 + 1) {
                        for (int size = base; size > 0; size /= 2) {
                            int n = size < 100 ? 250 : size < 1000 ? 50 : size < 10_000 ? 10 : 1;
                            for (int k = 0; k < n; k++) ring.allocate(h, size, rng.nextLong());
                        }
                    }
                }
                ring.freeAll(h);
                ops.addAndGet(ring.ops);
                checked.addAndGet(ring.checked);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, ops.get(), checked.get());
    }
}
