package dev.hako.lab.jmh;

import dev.hako.Hako;
import dev.hako.Heap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Hako's process-wide allocator, same-thread malloc+free pair of size 16..2048: through the static API
 * ({@code Hako.malloc}/{@code Hako.free}, a thread lookup per call) and through the {@link Heap} handle held by the
 * benchmark thread. The difference is what the static API's lookup costs.
 *
 * <p>Run: {@code ./hako jmh HakoStaticPair}; another strategy: {@code HAKO_JAVA_OPTS=-Dhako.remote=NAME ./hako jmh
 * HakoStaticPair} (forks inherit the launcher's JVM options).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HakoStaticPair {
    @State(Scope.Thread)
    public static class HeapHandle {
        Heap heap;

        @Setup(Level.Trial)
        public void open() {
            heap = Hako.heap();
        }
    }

    @Benchmark
    public long staticApi(Sizes sizes) {
        long p = Hako.malloc(sizes.next());
        Hako.free(p);
        return p;
    }

    @Benchmark
    public long heapHandle(HeapHandle h, Sizes sizes) {
        long p = h.heap.malloc(sizes.next());
        h.heap.free(p);
        return p;
    }
}
