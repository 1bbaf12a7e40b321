package dev.hako.lab.bench;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.ObjectPeer;
import dev.hako.lab.peers.Peer;

/** Runs the seed's benchmark once on a peer, with the loop variant its block type needs. */
public final class BenchRun {
    private BenchRun() {}

    /** One full run; see {@link #run(BenchArgs, Peer, Runnable)}. */
    public static BenchResult run(BenchArgs args, Peer peer) {
        return run(args, peer, () -> {});
    }

    /**
     * One full run: set-up, timed window, untimed clean-up.
     *
     * @param afterJoin called after the last worker is joined and before the clean-up frees (for counters that
     *                  should cover the timed window only)
     */
    public static BenchResult run(BenchArgs args, Peer peer, Runnable afterJoin) {
        return switch (peer) {
            case AddressPeer p -> AddressLoop.run(args, p, afterJoin);
            case ObjectPeer p -> ObjectLoop.run(args, p, afterJoin);
        };
    }
}
