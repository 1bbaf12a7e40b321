package dev.hako.lab.jmh;

import dev.hako.lab.peers.ObjectHandle;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A benchmark thread's handle on the object peer, opened in that thread. */
@State(Scope.Thread)
public class ObjectThread {
    ObjectHandle handle;

    @Setup(Level.Trial)
    public void open(ObjectPeerState state) {
        handle = state.allocator.open(0);
    }

    @TearDown(Level.Trial)
    public void close() {
        handle.close();
    }
}
