package dev.hako.lab.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent, single-threaded model of one worker's draws (64-bit arithmetic, no shared code with the
 * benchmark): which iterations allocate (and what size), which free locally, which decide to free remotely.
 * Slot occupancy depends only on a thread's own draws, so these counts are exact for any interleaving.
 */
final class SeedReference {
    /** kind: 'm' malloc (size), 'f' local free, 'r' remote decision; slot is the slot index. */
    record Step(char kind, int slot, long size) {}

    record Model(long allocs, long localFrees, long remoteDecisions, List<Step> steps) {}

    static Model simulate(int thread, int threads, int iters, int ws, int min, int max, int remotePct) {
        long s = (0x12345678L + 977L * thread) & 0xFFFF_FFFFL;
        boolean[] used = new boolean[ws];
        long allocs = 0, local = 0, remote = 0;
        List<Step> steps = new ArrayList<>();
        for (int it = 0; it < iters; it++) {
            s = (s * 1664525L + 1013904223L) & 0xFFFF_FFFFL;
            int idx = (int) (s % ws);
            s = (s * 1664525L + 1013904223L) & 0xFFFF_FFFFL;
            long size = min + s % (max - min + 1L);
            if (used[idx]) {
                boolean toRemote = false;
                if (threads > 1) {
                    s = (s * 1664525L + 1013904223L) & 0xFFFF_FFFFL;
                    toRemote = s % 100 < remotePct;
                }
                if (toRemote) remote++;
                else local++;
                steps.add(new Step(toRemote ? 'r' : 'f', idx, 0));
                used[idx] = false;
            } else {
                used[idx] = true;
                allocs++;
                steps.add(new Step('m', idx, size));
            }
        }
        return new Model(allocs, local, remote, steps);
    }

    private SeedReference() {}
}
