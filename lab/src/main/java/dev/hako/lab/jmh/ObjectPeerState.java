package dev.hako.lab.jmh;

import dev.hako.lab.peers.ObjectPeer;
import dev.hako.lab.peers.Peers;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The object-based peer of a fork ({@code -p objectPeer=...}). */
@State(Scope.Benchmark)
public class ObjectPeerState {
    @Param({"netty-pooled", "netty-adaptive"})
    public String objectPeer;

    ObjectPeer allocator;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = (ObjectPeer) Peers.create(objectPeer, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }
}
