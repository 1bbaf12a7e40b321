package dev.hako.lab.jmh;

import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.Peers;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The address-based peer of a fork ({@code -p peer=...}); one per JVM, so calls stay monomorphic. */
@State(Scope.Benchmark)
public class AddressPeerState {
    @Param({"hako", "noop", "glibc", "jemalloc", "mimalloc"})
    public String peer;

    AddressPeer allocator;

    @Setup(Level.Trial)
    public void setUp() {
        allocator = (AddressPeer) Peers.create(peer, null);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.close();
    }
}
