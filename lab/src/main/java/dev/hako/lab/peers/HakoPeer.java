package dev.hako.lab.peers;

import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.HakoStats;
import dev.hako.Heap;

/**
 * Hako, built from the {@code hako.*} system properties (so {@code -Dhako.remote=...} and friends pass through),
 * optionally with another remote-free strategy. Each worker takes its {@link Heap} once and calls it directly: no
 * {@code ThreadLocal} lookup per operation.
 */
public final class HakoPeer implements AddressPeer, CommittedMemory {
    public static final String NAME = "hako";

    private final HakoAllocator hako;

    /** @param remote the remote-free strategy, or {@code null} for {@code -Dhako.remote} / the default */
    public HakoPeer(String remote) {
        HakoConfig.Builder config = HakoConfig.fromSystemProperties().toBuilder();
        if (remote != null) config.remote(remote);
        this.hako = HakoAllocator.create(config.build());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return hako.describe();
    }

    /** The remote-free strategy in use. */
    public String remote() {
        return hako.config().remote();
    }

    /** The allocator's counters and gauges now. */
    public HakoStats stats() {
        return hako.stats();
    }

    /** Gives back what can be given back now ({@link HakoAllocator#trim()}); returns the bytes returned to the kernel. */
    public long trim() {
        return hako.trim();
    }

    @Override
    public long committedBytes() {
        return hako.stats().committedBytes();
    }

    @Override
    public String committedSource() {
        return "Hako's committed gauge (arena made read-write)";
    }

    @Override
    public AddressHandle open(int thread) {
        return new Handle(hako.heap());
    }

    @Override
    public void close() {
        hako.close();
    }

    private static final class Handle implements AddressHandle {
        private final Heap heap;

        Handle(Heap heap) {
            this.heap = heap;
        }

        @Override
        public long malloc(long size) {
            return heap.malloc(size);
        }

        @Override
        public void free(long address) {
            heap.free(address);
        }

        @Override
        public void close() {
            heap.close();
        }
    }
}
