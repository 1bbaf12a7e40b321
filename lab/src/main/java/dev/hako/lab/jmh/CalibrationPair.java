package dev.hako.lab.jmh;

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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The calibration's reference point, not Hako: the same-thread pair of {@link HakoStaticPair} through the smallest
 * thread cache that can serve it (128 classes, array bins, a page-tag array to find a block's class on free, no
 * checks of any kind, no large blocks, no owners, no remote path, never returns memory). It tells what this
 * machine and this harness allow a Java cache at all, so that Hako's pair can be read against it rather than
 * against a number taken on another machine.
 *
 * <p>Run: {@code ./hako jmh 'CalibrationPair|HakoStaticPair'}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CalibrationPair {

    /** Fake addresses (never dereferenced) in 64 KiB pages, as Hako lays out its arena. */
    @State(Scope.Thread)
    public static class MinimalCache {
        private static final long BASE = 1L << 40;
        private final int[] tags = new int[1 << 16];
        private final long[][] bins = new long[128][];
        private final int[] counts = new int[128];
        private long nextPage = BASE;

        @Setup(Level.Trial)
        public void open() {
            for (int c = 0; c < bins.length; c++) bins[c] = new long[64];
        }

        long malloc(long size) {
            int c = (int) ((size + 15) >>> 4) - 1;
            int n = counts[c] - 1;
            if (n < 0) return refill(c);
            counts[c] = n;
            return bins[c][n];
        }

        void free(long block) {
            int c = tags[(int) ((block - BASE) >>> 16)] - 1;
            long[] bin = bins[c];
            int n = counts[c];
            if (n == bin.length) bins[c] = bin = Arrays.copyOf(bin, n * 2);
            bin[n] = block;
            counts[c] = n + 1;
        }

        private long refill(int c) {
            long page = nextPage;
            nextPage += 1 << 16;
            tags[(int) ((page - BASE) >>> 16)] = c + 1;
            long size = 16L * (c + 1);
            for (int i = 0; i < 32; i++) bins[c][i] = page + i * size;
            counts[c] = 32;
            return malloc(size);
        }
    }

    @Benchmark
    public long minimalCache(MinimalCache cache, Sizes sizes) {
        long p = cache.malloc(sizes.next());
        cache.free(p);
        return p;
    }
}
