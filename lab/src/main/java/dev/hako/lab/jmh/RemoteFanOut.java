package dev.hako.lab.jmh;

import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.HakoStats;
import dev.hako.Heap;
import dev.hako.lab.bench.Lcg;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Remote frees spread over {@code owners} distinct owners: the consumer of a queue fed by many threads. Each
 * invocation, {@code owners} owner threads (distinct owner ids) allocate a batch of {@value #BATCH} blocks
 * (16..2048 bytes; each owner writes the first word of its blocks, as a message's author would) whose owners follow
 * a fixed uniform random sequence; then {@code producers} threads free the whole batch (the JMH thread the first
 * stripe, helper threads the others), and the measured rate is those remote frees. The owners' allocations, which
 * collect the previous batch's remote frees (the drain), run in the invocation's set-up, outside the measurement.
 *
 * <p>At the end of each trial one line {@code [FANOUT] ... producer_cpu_ns_per_free=.. owner_cpu_ns_per_block=..}
 * gives the JMH thread's CPU time per remote free and the owners' CPU time per block allocated (collect included),
 * both over the last iteration (CPU time is steadier than the rate on a loaded machine), and the strategy's
 * counters when {@code -Dhako.stats=true}.
 *
 * <p>Run: {@code ./hako jmh RemoteFanOut} (every strategy and fan-out), or e.g.
 * {@code ./hako jmh RemoteFanOut -p owners=256 -p remote=push,parcel -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
public class RemoteFanOut {
    /** Native memory by address (a block's first word is written as a message's author would). */
    private static final java.lang.foreign.MemorySegment ALL =
            java.lang.foreign.MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static final int BATCH = 16384;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Distinct owners the frees go to (D). */
    @Param({"1", "4", "8", "16", "64", "256"})
    public int owners;

    /** The remote-free strategy. */
    @Param({"push", "parcel", "batch", "inbox"})
    public String remote;

    /** Threads freeing each batch (the JMH thread and {@code producers - 1} helpers). */
    @Param({"1"})
    public int producers;

    private HakoAllocator hako;
    private final long[] blocks = new long[BATCH];
    private final int[] sizes = new int[BATCH];
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Crew ownerCrew;
    private Crew helperCrew;
    private long ownerNanos;
    private long ownerBlocks;
    private long producerNanos;
    private long producerFrees;

    @Setup(Level.Trial)
    public void setUp() {
        if (owners < 1 || producers < 1) throw new IllegalArgumentException("owners and producers must be >= 1");
        HakoConfig config = HakoConfig.fromSystemProperties().toBuilder().remote(remote)
                .maxOwners(Math.max(1024, owners + producers + 64)).build();
        hako = HakoAllocator.create(config);
        int[] ownerOf = new int[BATCH];
        int s = Lcg.seed(1);
        for (int i = 0; i < BATCH; i++) {
            s = Lcg.next(s);
            sizes[i] = Sizes.MIN + Integer.remainderUnsigned(s, Sizes.MAX - Sizes.MIN + 1);
            s = Lcg.next(s);
            ownerOf[i] = Integer.remainderUnsigned(s >>> 8, owners);
        }
        ownerCrew = new Crew("fanout-owner", owners, k -> {
            Heap heap = hako.heap();
            int[] mine = slotsOf(ownerOf, k);
            return () -> {
                long t0 = CPU.getCurrentThreadCpuTime();
                for (int i : mine) {
                    long b = heap.malloc(sizes[i]);
                    ALL.set(java.lang.foreign.ValueLayout.JAVA_LONG, b, (long) i); // as a message's author would: the block's line is the owner's
                    blocks[i] = b;
                }
                return CPU.getCurrentThreadCpuTime() - t0;
            };
        }, this::closeHeap, failure);
        helperCrew = new Crew("fanout-producer", producers - 1, k -> {
            Heap heap = hako.heap();
            int from = stripe(k + 1), to = stripe(k + 2);
            return () -> {
                for (int i = from; i < to; i++) heap.free(blocks[i]);
                return 0;
            };
        }, this::closeHeap, failure);
    }

    /** A crew thread's heap goes back at its exit (a producer's buffered frees are published). */
    private void closeHeap() {
        hako.heap().close();
    }

    private static int[] slotsOf(int[] ownerOf, int k) {
        int n = 0;
        for (int o : ownerOf) if (o == k) n++;
        int[] mine = new int[n];
        n = 0;
        for (int i = 0; i < ownerOf.length; i++) if (ownerOf[i] == k) mine[n++] = i;
        return mine;
    }

    private int stripe(int p) {
        return (int) ((long) BATCH * p / producers);
    }

    /** The CPU figures printed at the end describe the last iteration (a measured one). */
    @Setup(Level.Iteration)
    public void resetFigures() {
        ownerNanos = 0;
        ownerBlocks = 0;
        producerNanos = 0;
        producerFrees = 0;
    }

    /** The owners allocate the next batch (collecting what was freed to them): not measured. */
    @Setup(Level.Invocation)
    public void allocateBatch() {
        ownerNanos += ownerCrew.run();
        ownerBlocks += BATCH;
        if (failure.get() != null) throw new IllegalStateException("an owner thread failed", failure.get());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void remoteFrees() {
        helperCrew.start();
        Heap heap = hako.heap();
        long t0 = CPU.getCurrentThreadCpuTime();
        int end = stripe(1);
        for (int i = 0; i < end; i++) heap.free(blocks[i]);
        producerNanos += CPU.getCurrentThreadCpuTime() - t0;
        producerFrees += end;
        helperCrew.awaitDone();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ownerCrew.stop();
        helperCrew.stop();
        hako.heap().close();
        Throwable t = failure.get();
        HakoStats stats = hako.stats();
        System.out.printf(Locale.ROOT, "%n[FANOUT] remote=%s owners=%d producers=%d producer_cpu_ns_per_free=%.1f"
                        + " owner_cpu_ns_per_block=%.1f%s%n", remote, owners, producers,
                (double) producerNanos / Math.max(1, producerFrees), (double) ownerNanos / Math.max(1, ownerBlocks),
                stats.enabled() ? " " + stats.remoteLine() : "");
        hako.close();
        if (t != null) throw new IllegalStateException("a fan-out thread failed", t);
    }

    /** A task of one crew member, built in its own thread; returns the nanoseconds it wants summed. */
    @FunctionalInterface
    interface Task {
        long run();
    }

    /** Threads that each run their task once per round, in step with the thread that starts the round. */
    private static final class Crew {
        private final Phaser phaser;
        private final Thread[] threads;
        private final long[] nanos;
        private volatile boolean stopping;

        Crew(String name, int size, IntFunction<Task> taskOf, Runnable atExit, AtomicReference<Throwable> failure) {
            phaser = new Phaser(size + 1);
            threads = new Thread[size];
            nanos = new long[size];
            Phaser ready = new Phaser(size + 1);
            for (int k = 0; k < size; k++) {
                int me = k;
                threads[k] = Thread.ofPlatform().daemon().name(name + "-" + k).start(() -> {
                    Task task;
                    try {
                        task = taskOf.apply(me);
                    } finally {
                        ready.arrive();
                    }
                    try {
                        for (;;) {
                            phaser.arriveAndAwaitAdvance(); // start
                            if (stopping) break;
                            nanos[me] += task.run();
                            phaser.arriveAndAwaitAdvance(); // done
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        phaser.arriveAndDeregister();
                        return;
                    }
                    atExit.run();
                    phaser.arriveAndDeregister();
                });
            }
            ready.arriveAndAwaitAdvance();
        }

        void start() {
            if (threads.length > 0) phaser.arriveAndAwaitAdvance();
        }

        void awaitDone() {
            if (threads.length > 0) phaser.arriveAndAwaitAdvance();
        }

        /** One whole round; returns the sum of the members' nanoseconds. */
        long run() {
            long before = sum();
            start();
            awaitDone();
            return sum() - before;
        }

        private long sum() {
            long s = 0;
            for (long n : nanos) s += n;
            return s;
        }

        void stop() {
            stopping = true;
            if (threads.length > 0) phaser.arriveAndAwaitAdvance();
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
