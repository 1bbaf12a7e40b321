package dev.hako.lab.jmh;

import dev.hako.lab.peers.AddressHandle;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A benchmark thread's handle on the peer, opened in that thread (JMH runs thread-state set-up there). */
@State(Scope.Thread)
public class AddressThread {
    AddressHandle handle;

    @Setup(Level.Trial)
    public void open(AddressPeerState state) {
        handle = state.allocator.open(0);
    }

    @TearDown(Level.Trial)
    public void close() {
        handle.close();
    }
}
