package dev.hako.lab.jmh;

import dev.hako.lab.bench.LongRing;
import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
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
 * Remote free pair: one thread allocates (size 16..2048) and hands each block over an SPSC ring to another
 * thread, which frees it; the allocator returns those blocks to their owner, whose later mallocs reuse them. When
 * the ring is full the producer frees the block itself (counted as {@code fallbacks}). Read {@code remoteFrees}
 * (consumer frees per time unit) as the pair's throughput.
 *
 * <p>Run: {@code ./hako jmh RemoteFreePair -p peer=hako} (2 threads; on 2 cores, nothing else should run).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RemoteFreePair {
    static final int RING = 1024;

    /** The handoff ring between the group's producer and consumer. */
    @State(Scope.Group)
    public static class Handoff {
        final LongRing ring = new LongRing(RING);

        /** Blocks still in flight go back to the allocator before it closes. */
        @TearDown(Level.Trial)
        public void drain(AddressPeerState peer) {
            AddressHandle h = peer.allocator.open(AddressPeer.CLEANUP);
            for (long p; (p = ring.poll()) != 0; ) h.free(p);
            h.close();
        }
    }

    @Benchmark
    @Group("remote")
    @GroupThreads(1)
    public void produce(AddressPeerState peer, AddressThread thread, Handoff handoff, Sizes sizes,
                        HandoffCounters counters) {
        AddressHandle h = thread.handle;
        long p = h.malloc(sizes.next());
        if (!handoff.ring.offer(p)) {
            h.free(p);
            counters.fallbacks++;
        }
    }

    @Benchmark
    @Group("remote")
    @GroupThreads(1)
    public void consume(AddressPeerState peer, AddressThread thread, Handoff handoff, HandoffCounters counters) {
        long p = handoff.ring.poll();
        if (p != 0) {
            thread.handle.free(p);
            counters.remoteFrees++;
        } else {
            counters.emptyPolls++;
        }
    }
}
