package dev.hako.lab.jmh;

import dev.hako.lab.bench.ObjectRing;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.ObjectHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link RemoteFreePair} for Netty's allocators: one thread allocates {@code directBuffer(size)} and hands the
 * buffers to another, which {@code release()}s them.
 *
 * <p>Run: {@code ./hako jmh ObjectRemotePair -p objectPeer=netty-pooled}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ObjectRemotePair {
    @State(Scope.Group)
    public static class Handoff {
        final ObjectRing ring = new ObjectRing(RemoteFreePair.RING);

        @TearDown(Level.Trial)
        public void drain(ObjectPeerState peer) {
            ObjectHandle h = peer.allocator.open(AddressPeer.CLEANUP);
            for (Object b; (b = ring.poll()) != null; ) h.free(b);
            h.close();
        }
    }

    @Benchmark
    @Group("remote")
    @GroupThreads(1)
    public void produce(ObjectPeerState peer, ObjectThread thread, Handoff handoff, Sizes sizes,
                        HandoffCounters counters) {
        ObjectHandle h = thread.handle;
        Object b = h.alloc(sizes.next());
        if (!handoff.ring.offer(b)) {
            h.free(b);
            counters.fallbacks++;
        }
    }

    @Benchmark
    @Group("remote")
    @GroupThreads(1)
    public void consume(ObjectPeerState peer, ObjectThread thread, Handoff handoff, HandoffCounters counters) {
        Object b = handoff.ring.poll();
        if (b != null) {
            thread.handle.free(b);
            counters.remoteFrees++;
        } else {
            counters.emptyPolls++;
        }
    }
}
