package dev.hako.lab.jmh;

import dev.hako.lab.peers.ObjectHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Same-thread {@code directBuffer(size)} then {@code release()}, size 16..2048, for Netty's allocators: the
 * object-based counterpart of {@link MallocFreePair}.
 *
 * <p>Run: {@code ./hako jmh ObjectPair} or {@code ./hako jmh ObjectPair -p objectPeer=netty-pooled}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ObjectPair {
    @Benchmark
    public Object pair(ObjectPeerState peer, ObjectThread thread, Sizes sizes) {
        ObjectHandle h = thread.handle;
        Object b = h.alloc(sizes.next());
        h.free(b);
        return b;
    }
}
