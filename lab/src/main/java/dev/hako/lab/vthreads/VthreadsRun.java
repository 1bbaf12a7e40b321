package dev.hako.lab.vthreads;

import dev.hako.AuditReport;
import dev.hako.Hako;
import dev.hako.HakoAllocator;
import dev.hako.HakoStats;
import dev.hako.Heap;
import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.peers.Peers;
import dev.hako.lab.util.ProcessMemory;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JVM's measurement of the virtual-thread workload: {@code tasks} {@link SlotTask}s, each on a virtual thread of
 * its own ({@code virtual}) or all on a pool of {@code carriers} platform threads ({@code platform}), after an
 * unmeasured warm-up of the same kind. The figure is operations per second of wall time, from the first task's
 * submission to the last one's end. Hako runs through the process-wide allocator ({@code Hako.malloc}/{@code free},
 * or with {@code api=heap} a {@code Hako.heap()} handle per task) and is audited afterwards; other allocators run
 * through their lab peer's handle. Printed as one {@code [VTHREADS]} line, which {@link #parse} reads back.
 *
 * @param hako for Hako: owner ids ever used, committed MiB and the audit, else {@code -}
 */
public record VthreadsRun(String allocator, String mode, int carriers, int tasks, int ops, double opsPerSecond,
                          double seconds, double peakRssMib, long corrupt, String hako) {
    static final String HAKO = "hako";
    static final String VIRTUAL = "virtual";
    static final String PLATFORM = "platform";
    private static final Pattern LINE = Pattern.compile("\\[VTHREADS] allocator=(\\S+) mode=(\\S+) carriers=(\\d+)"
            + " tasks=(\\d+) ops=(\\d+) ops_per_s=([\\d.]+) time_s=([\\d.]+) peak_rss_mib=(-?[\\d.]+)"
            + " corrupt=(\\d+) hako=(.*)");

    /** The workload's shape. */
    record Shape(int tasks, int ops, int slots, int min, int max, long warmupOps) {}

    /**
     * Measures in this JVM. Virtual threads run on the JDK's default scheduler, whose parallelism the caller sets
     * ({@code -Djdk.virtualThreadScheduler.parallelism}); {@code carriers} sizes the platform pool.
     */
    static VthreadsRun measure(String allocator, String mode, int carriers, String api, Shape shape)
            throws InterruptedException {
        IntFunction<AddressHandle> handles = handles(allocator, api);
        // Blocks the JVM held before (none in a fresh one; a test JVM's other users may hold some).
        long liveBefore = allocator.equals(HAKO) ? Hako.global().audit().liveBlocks() : 0;
        int warmupTasks = (int) Math.min(shape.tasks(), Math.max(1, shape.warmupOps() / shape.ops()));
        Outcome warm = runAll(mode, carriers, handles, shape, warmupTasks, 1_000_000);
        if (warm.failure != null) throw new IllegalStateException("warm-up failed", warm.failure);
        Outcome o = runAll(mode, carriers, handles, shape, shape.tasks(), 0);
        if (o.failure != null) throw new IllegalStateException("a task failed", o.failure);
        double seconds = o.nanos / 1e9;
        double ops = (double) shape.tasks() * shape.ops();
        long peakKb = ProcessMemory.peakRssKb();
        return new VthreadsRun(allocator, mode, carriers, shape.tasks(), shape.ops(), ops / seconds, seconds,
                peakKb < 0 ? -1 : peakKb / 1024.0, warm.corrupt + o.corrupt,
                allocator.equals(HAKO) ? hakoFacts(liveBefore) : "-");
    }

    private record Outcome(long nanos, long corrupt, Throwable failure) {}

    private static Outcome runAll(String mode, int carriers, IntFunction<AddressHandle> handles, Shape shape,
                                  int tasks, int firstTask) throws InterruptedException {
        AtomicLong corrupt = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = mode.equals(VIRTUAL) ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newFixedThreadPool(carriers);
        long start = System.nanoTime();
        for (int t = 0; t < tasks; t++) {
            int task = firstTask + t;
            pool.execute(() -> {
                try {
                    long bad = SlotTask.run(handles.apply(task), task, shape.ops(), shape.slots(), shape.min(),
                            shape.max());
                    if (bad != 0) corrupt.addAndGet(bad);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(1, TimeUnit.HOURS)) throw new IllegalStateException("tasks still running after 1 h");
        return new Outcome(System.nanoTime() - start, corrupt.get(), failure.get());
    }

    /** A handle per task, taken in the task's thread (for Hako with {@code api=heap}: that thread's heap). */
    private static IntFunction<AddressHandle> handles(String allocator, String api) {
        if (allocator.equals(HAKO)) {
            if (api.equals("static")) {
                AddressHandle statics = new StaticApi();
                return task -> statics;
            }
            return task -> new HeapApi(Hako.heap());
        }
        AddressPeer peer = (AddressPeer) Peers.create(allocator, null);
        return peer::open;
    }

    /** {@code Hako.malloc} and {@code Hako.free}: the calling thread's heap is looked up on every call. */
    private static final class StaticApi implements AddressHandle {
        @Override
        public long malloc(long size) {
            return Hako.malloc(size);
        }

        @Override
        public void free(long address) {
            Hako.free(address);
        }
    }

    private record HeapApi(Heap heap) implements AddressHandle {
        @Override
        public long malloc(long size) {
            return heap.malloc(size);
        }

        @Override
        public void free(long address) {
            heap.free(address);
        }
    }

    /** After the run, every task's thread has ended: no block may be live (but those before), none seen twice. */
    private static String hakoFacts(long liveBefore) {
        HakoAllocator hako = Hako.global();
        AuditReport audit = hako.audit(); // reaps the dead threads first
        HakoStats stats = hako.stats();
        return String.format(Locale.ROOT, "owners_high_water=%d committed_mib=%.1f audit=%s",
                stats.ownersHighWater(), stats.committedBytes() / 1048576.0,
                audit.balanced(liveBefore) ? "ok" : "FAILED(" + audit.toString().replace(' ', ';') + ")");
    }

    /** Whether the run is sound: no mark changed, and for Hako the audit balanced. */
    boolean sound() {
        return corrupt == 0 && !hako.contains("FAILED");
    }

    String line() {
        return String.format(Locale.ROOT, "[VTHREADS] allocator=%s mode=%s carriers=%d tasks=%d ops=%d ops_per_s=%.0f"
                        + " time_s=%.3f peak_rss_mib=%.1f corrupt=%d hako=%s", allocator, mode, carriers, tasks, ops,
                opsPerSecond, seconds, peakRssMib, corrupt, hako);
    }

    static Optional<VthreadsRun> parse(String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) return Optional.empty();
        return Optional.of(new VthreadsRun(m.group(1), m.group(2), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Double.parseDouble(m.group(6)),
                Double.parseDouble(m.group(7)), Double.parseDouble(m.group(8)), Long.parseLong(m.group(9)),
                m.group(10).strip()));
    }
}
