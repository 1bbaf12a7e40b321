package dev.hako.lab.jmh;

import dev.hako.lab.peers.AddressHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Same-thread {@code malloc(size)} then {@code free} of that block, size 16..2048 from a pre-drawn table, through
 * each address peer's per-thread handle (for Hako: the {@code Heap}, no {@code ThreadLocal}).
 *
 * <p>Run: {@code ./hako jmh MallocFreePair} (all peers) or {@code ./hako jmh MallocFreePair -p peer=hako,noop}.
 * {@code noop} is the floor: what the pair costs without an allocator.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MallocFreePair {
    @Benchmark
    public long pair(AddressPeerState peer, AddressThread thread, Sizes sizes) {
        AddressHandle h = thread.handle;
        long p = h.malloc(sizes.next());
        h.free(p);
        return p;
    }
}
