package dev.hako.lab.memory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Samples the resident set (and the allocator's committed memory, when it can say) on a thread of its own, at a
 * fixed period, from {@link #start()} until {@link #stop()}. The arrays grow by doubling; a sample allocates
 * nothing else, so the sampler barely moves the figure it measures.
 */
final class RssSampler {
    private final ResidentMemory resident = new ResidentMemory();
    private final LongSupplier committedBytes;
    private final Supplier<String> peakDetail;
    private long maxRssKb = -1;
    private String detailAtPeak;
    private final long periodNanos;
    private final Map<String, Long> marks = new LinkedHashMap<>();
    private long startNanos;
    private long[] t = new long[512];
    private long[] rss = new long[512];
    private long[] committed = new long[512];
    private int size;
    private volatile boolean stopping;
    private Thread thread;
    private volatile RuntimeException gaugeFailure;

    /**
     * @param periodMillis   time between samples
     * @param committedBytes the allocator's committed bytes (-1 when unknown), or {@code null}
     * @param peakDetail     asked whenever a sample sets a new resident high, its answer kept ({@link #detailAtPeak}),
     *                       or {@code null}
     */
    RssSampler(long periodMillis, LongSupplier committedBytes, Supplier<String> peakDetail) {
        if (periodMillis <= 0) throw new IllegalArgumentException("sampling period must be > 0 ms");
        this.periodNanos = periodMillis * 1_000_000L;
        this.committedBytes = committedBytes;
        this.peakDetail = peakDetail;
    }

    /** Time zero is now; takes the first sample and starts the thread. */
    void start() {
        startNanos = System.nanoTime();
        sample();
        thread = Thread.ofPlatform().daemon().name("hako-memory-sampler").start(this::loop);
    }

    private void loop() {
        long next = System.nanoTime();
        while (!stopping) {
            next += periodNanos;
            long wait;
            while (!stopping && (wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(this, wait);
            if (!stopping) sample();
        }
    }

    /** Milliseconds since {@link #start()}. */
    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Records a named moment (now). */
    synchronized void mark(String name) {
        marks.put(name, elapsedMillis());
    }

    /** Takes a sample now (the thread does this every period; callers add one at the moments they report). */
    synchronized void sample() {
        if (size == t.length) {
            t = Arrays.copyOf(t, size * 2);
            rss = Arrays.copyOf(rss, size * 2);
            committed = Arrays.copyOf(committed, size * 2);
        }
        t[size] = elapsedMillis();
        rss[size] = resident.rssKb();
        committed[size] = committedKb();
        if (rss[size] > maxRssKb) {
            maxRssKb = rss[size];
            if (peakDetail != null) detailAtPeak = peakDetail.get();
        }
        size++;
    }

    /** What {@code peakDetail} said at the highest resident sample, or {@code null}. */
    synchronized String detailAtPeak() {
        return detailAtPeak;
    }

    private long committedKb() {
        if (committedBytes == null || gaugeFailure != null) return -1;
        try {
            long b = committedBytes.getAsLong();
            return b < 0 ? -1 : b >> 10;
        } catch (RuntimeException e) {
            gaugeFailure = e; // a gauge that fails once is not asked again; the run says so
            return -1;
        }
    }

    /** The resident set now, KiB (also recorded as a sample). */
    synchronized long rssNowKb() {
        sample();
        return rss[size - 1];
    }

    /** Stops the thread, takes a last sample and returns everything. */
    Samples stop() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            LockSupport.unpark(thread);
            thread.join();
        }
        synchronized (this) {
            sample();
            return new Samples(Arrays.copyOf(t, size), Arrays.copyOf(rss, size), Arrays.copyOf(committed, size),
                    marks);
        }
    }

    /** Why the committed gauge stopped answering, or {@code null}. */
    RuntimeException gaugeFailure() {
        return gaugeFailure;
    }
}
