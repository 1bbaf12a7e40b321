package dev.hako.lab.peers;

/**
 * The harness floor: a per-thread bump pointer that never frees and never touches memory. Its ops/s is what the
 * benchmark loop itself costs; an allocator's own cost per op is {@code 1/ops - 1/ops_noop}.
 */
public final class NoopPeer implements AddressPeer {
    public static final String NAME = "noop";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "noop: per-thread bump pointer, 16-byte steps, never frees, never touches memory (harness floor)";
    }

    @Override
    public AddressHandle open(int thread) {
        // Distinct, never-zero, never-dereferenced address ranges per thread (1 TiB apart).
        return new Handle((thread + 2L) << 40);
    }

    private static final class Handle implements AddressHandle {
        private long next;

        Handle(long base) {
            this.next = base;
        }

        @Override
        public long malloc(long size) {
            long p = next;
            next = p + ((size + 15) & ~15L);
            return p;
        }

        @Override
        public void free(long address) {
            // never frees
        }
    }
}
