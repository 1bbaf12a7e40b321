package dev.hako.lab.bench;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;

/**
 * The seed's benchmark over an {@link AddressPeer}: {@code long[]} slots and {@link LongRing}s, no Java object
 * per operation. {@link ObjectLoop} is its twin for object-based peers; the two must stay step-for-step equal.
 */
final class AddressLoop {
    private AddressLoop() {}

    /** One full run: set-up, the timed window, untimed clean-up. */
    static BenchResult run(BenchArgs a, AddressPeer peer, Runnable afterJoin) {
        int t = a.threads();
        LongRing[] rings = new LongRing[t];
        long[][] slots = new long[t][a.ws()];
        ThreadCounts[] counts = new ThreadCounts[t];
        for (int i = 0; i < t; i++) rings[i] = new LongRing(a.ringSlots());
        // Thread i sends on rings[i]; thread (i + 1) mod T receives from it.
        long[] cpu = new long[t];
        long nanos = Workers.timed(t, i -> counts[i] = worker(a, peer, i, slots[i], rings[(i + t - 1) % t], rings[i]), cpu);
        afterJoin.run();
        cleanUp(peer, rings, slots);
        return new BenchResult(a, nanos, cpu, counts);
    }

    private static ThreadCounts worker(BenchArgs a, AddressPeer peer, int i, long[] slots, LongRing in,
                                       LongRing out) {
        AddressHandle h = peer.open(i);
        try {
            return loop(h, slots, in, out, Lcg.seed(i), a.iters(), a.min(), a.span(), a.remotePct(), a.threads() > 1);
        } finally {
            h.close();
        }
    }

    /** One thread's iterations; see {@code shared/design/seed-benchmark.md}, "One iteration of thread i". */
    private static ThreadCounts loop(AddressHandle h, long[] slots, LongRing in, LongRing out, int s, int iters,
                                     int min, int span, int remotePct, boolean multi) {
        int ws = slots.length;
        long allocs = 0, local = 0, fallback = 0, sends = 0, recv = 0, failures = 0;
        for (int it = 0; it < iters; it++) {
            for (long q; (q = in.poll()) != 0; recv++) h.free(q);
            s = Lcg.next(s);
            int idx = Integer.remainderUnsigned(s, ws);
            s = Lcg.next(s);
            long size = min + Integer.remainderUnsigned(s, span);
            long p = slots[idx];
            if (p != 0) {
                if (multi && Integer.remainderUnsigned(s = Lcg.next(s), 100) < remotePct) {
                    if (out.offer(p)) {
                        sends++;
                    } else {
                        h.free(p);
                        fallback++;
                    }
                } else {
                    h.free(p);
                    local++;
                }
                slots[idx] = 0;
            } else {
                p = h.malloc(size);
                if (p == 0) {
                    failures++;
                } else {
                    slots[idx] = p;
                    allocs++;
                }
            }
        }
        for (long q; (q = in.poll()) != 0; recv++) h.free(q);
        return new ThreadCounts(allocs, local, fallback, sends, recv, failures);
    }

    /** Untimed, uncounted: whatever is left in rings (receivers gone) and slots goes back to the allocator. */
    private static void cleanUp(AddressPeer peer, LongRing[] rings, long[][] slots) {
        AddressHandle h = peer.open(AddressPeer.CLEANUP);
        try {
            for (LongRing ring : rings) {
                for (long q; (q = ring.poll()) != 0; ) h.free(q);
            }
            for (long[] threadSlots : slots) {
                for (int j = 0; j < threadSlots.length; j++) {
                    if (threadSlots[j] != 0) h.free(threadSlots[j]);
                    threadSlots[j] = 0;
                }
            }
        } finally {
            h.close();
        }
    }
}
