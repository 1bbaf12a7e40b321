package dev.hako.lab.jmh;

import dev.hako.lab.arena.ArenaKind;
import dev.hako.lab.arena.ArenaWorkload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One arena's life, same thread ({@link ArenaWorkload}): open it, allocate {@code count} structs of {@code size}
 * bytes (8-byte aligned; {@code 16-256} draws sizes from a fixed table), write a word into each and keep it, close
 * it. The score is ns per arena; divide by {@code count} for ns per allocation. Arenas: {@link ArenaKind}
 * ({@code floor}, {@code hako-confined}, {@code hako-confined-uninit}, {@code hako-shared}, {@code jdk-confined},
 * {@code jdk-shared}, {@code jdk-auto}); {@code floor} has no memory management, so an arena's score less the
 * floor's is what its memory management costs.
 * Each combination runs in its own fork, so the workload's {@code Arena} calls stay monomorphic.
 *
 * <p>Run: {@code ./hako jmh ArenaAllocClose}; a quick look: {@code ./hako jmh ArenaAllocClose -p count=100
 * -p size=64 -p arena=hako-confined,jdk-confined -wi 2 -w 1 -i 3 -r 1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ArenaAllocClose {
    @State(Scope.Thread)
    public static class Workload {
        @Param({"floor", "hako-confined", "hako-confined-uninit", "hako-shared", "jdk-confined", "jdk-shared", "jdk-auto"})
        String arena;

        @Param({"16", "64", "256", "16-256"})
        String size;

        @Param({"100"})
        int count;

        ArenaWorkload workload;

        @Setup(Level.Trial)
        public void open() {
            workload = new ArenaWorkload(ArenaKind.of(arena), size, count);
        }
    }

    @Benchmark
    public long allocateAndClose(Workload w) {
        return w.workload.round();
    }
}
