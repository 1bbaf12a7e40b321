package dev.hako.lab.suite;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;

import java.util.HashMap;
import java.util.Map;

/**
 * A peer that breaks blocks, to show that the workloads' checks catch it: every second malloc of a handle flips the
 * first byte of the last small block (at most 128 bytes, so never a block the workload keeps pointers in) that the
 * handle handed out and that is still live. The underlying allocator is never handed a bad pointer: corruption and
 * frees are serialised, and only live blocks are touched.
 */
final class CorruptingPeer implements AddressPeer {
    private final AddressPeer real;
    private final Map<Long, Long> live = new HashMap<>();
    int corrupted;

    CorruptingPeer(AddressPeer real) {
        this.real = real;
    }

    @Override
    public String name() {
        return "corrupting-" + real.name();
    }

    @Override
    public String describe() {
        return "flips a byte of live blocks of " + real.name();
    }

    @Override
    public AddressHandle open(int thread) {
        AddressHandle h = real.open(thread);
        return new AddressHandle() {
            long mallocs;
            long lastSmall;

            @Override
            public long malloc(long size) {
                long p = h.malloc(size);
                synchronized (CorruptingPeer.this) {
                    if (++mallocs % 2 == 0 && lastSmall != 0 && live.containsKey(lastSmall)) {
                        long q = lastSmall;
                        var all = java.lang.foreign.MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
                        all.set(java.lang.foreign.ValueLayout.JAVA_BYTE, q,
                                (byte) ~all.get(java.lang.foreign.ValueLayout.JAVA_BYTE, q));
                        corrupted++;
                        lastSmall = 0;
                    }
                    live.put(p, size);
                    if (size <= 128) lastSmall = p;
                }
                return p;
            }

            @Override
            public void free(long address) {
                synchronized (CorruptingPeer.this) {
                    live.remove(address);
                }
                h.free(address);
            }

            @Override
            public void close() {
                h.close();
            }
        };
    }
}
