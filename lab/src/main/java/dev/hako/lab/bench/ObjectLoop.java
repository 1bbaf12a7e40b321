package dev.hako.lab.bench;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.ObjectHandle;
import dev.hako.lab.peers.ObjectPeer;

/**
 * The seed's benchmark over an {@link ObjectPeer}: {@code Object[]} slots and {@link ObjectRing}s. The twin of
 * {@link AddressLoop}, step for step (same draws, same ring cycle, same counting); only the block type differs.
 */
final class ObjectLoop {
    private ObjectLoop() {}

    /** One full run: set-up, the timed window, untimed clean-up. */
    static BenchResult run(BenchArgs a, ObjectPeer peer, Runnable afterJoin) {
        int t = a.threads();
        ObjectRing[] rings = new ObjectRing[t];
        Object[][] slots = new Object[t][a.ws()];
        ThreadCounts[] counts = new ThreadCounts[t];
        for (int i = 0; i < t; i++) rings[i] = new ObjectRing(a.ringSlots());
        // Thread i sends on rings[i]; thread (i + 1) mod T receives from it.
        long[] cpu = new long[t];
        long nanos = Workers.timed(t, i -> counts[i] = worker(a, peer, i, slots[i], rings[(i + t - 1) % t], rings[i]), cpu);
        afterJoin.run();
        cleanUp(peer, rings, slots);
        return new BenchResult(a, nanos, cpu, counts);
    }

    private static ThreadCounts worker(BenchArgs a, ObjectPeer peer, int i, Object[] slots, ObjectRing in,
                                       ObjectRing out) {
        ObjectHandle h = peer.open(i);
        try {
            return loop(h, slots, in, out, Lcg.seed(i), a.iters(), a.min(), a.span(), a.remotePct(), a.threads() > 1);
        } finally {
            h.close();
        }
    }

    /** One thread's iterations; see {@code shared/design/seed-benchmark.md}, "One iteration of thread i". */
    private static ThreadCounts loop(ObjectHandle h, Object[] slots, ObjectRing in, ObjectRing out, int s,
                                     int iters, int min, int span, int remotePct, boolean multi) {
        int ws = slots.length;
        long allocs = 0, local = 0, fallback = 0, sends = 0, recv = 0, failures = 0;
        for (int it = 0; it < iters; it++) {
            for (Object q; (q = in.poll()) != null; recv++) h.free(q);
            s = Lcg.next(s);
            int idx = Integer.remainderUnsigned(s, ws);
            s = Lcg.next(s);
            int size = min + Integer.remainderUnsigned(s, span);
            Object p = slots[idx];
            if (p != null) {
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
                slots[idx] = null;
            } else {
                p = h.alloc(size);
                if (p == null) {
                    failures++;
                } else {
                    slots[idx] = p;
                    allocs++;
                }
            }
        }
        for (Object q; (q = in.poll()) != null; recv++) h.free(q);
        return new ThreadCounts(allocs, local, fallback, sends, recv, failures);
    }

    /** Untimed, uncounted: whatever is left in rings (receivers gone) and slots goes back to the allocator. */
    private static void cleanUp(ObjectPeer peer, ObjectRing[] rings, Object[][] slots) {
        ObjectHandle h = peer.open(AddressPeer.CLEANUP);
        try {
            for (ObjectRing ring : rings) {
                for (Object q; (q = ring.poll()) != null; ) h.free(q);
            }
            for (Object[] threadSlots : slots) {
                for (int j = 0; j < threadSlots.length; j++) {
                    if (threadSlots[j] != null) h.free(threadSlots[j]);
                    threadSlots[j] = null;
                }
            }
        } finally {
            h.close();
        }
    }
}
