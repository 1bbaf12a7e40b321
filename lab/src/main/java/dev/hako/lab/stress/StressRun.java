package dev.hako.lab.stress;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.Heap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A self-check (like mimalloc's test-stress; not a benchmark): workers allocate blocks of random sizes, fill
 * each with a pattern derived from its address, size and allocating worker, hand a share of blocks to other
 * workers, and every freer verifies the pattern first. Workers may be replaced by new threads mid-run (churn),
 * so heaps are detached with blocks in their caches and owner ids are reused. At the end, after every thread
 * has exited and the allocator has reaped them, an audit must find every carved block free exactly once.
 */
public final class StressRun {
    /** What to run. {@code opsPerThread} or {@code seconds} bounds the run (ops win when both are set). */
    public record Options(int threads, long opsPerThread, double seconds, int remotePct, long minSize, long maxSize,
                          long churnOps, boolean virtualThreads, long seed, int slots, boolean large) {
        public Options {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, was " + threads);
            if (opsPerThread <= 0 && seconds <= 0) throw new IllegalArgumentException("need --ops or --seconds > 0");
            if (remotePct < 0 || remotePct > 100) throw new IllegalArgumentException("--remote-pct must be 0..100");
            if (minSize < 1 || maxSize < minSize) throw new IllegalArgumentException("need 1 <= --min <= --max");
            if (slots < 1) throw new IllegalArgumentException("--slots must be >= 1");
            if (churnOps < 0) throw new IllegalArgumentException("--churn must be >= 0");
            if (seconds < 0) throw new IllegalArgumentException("--seconds must be >= 0");
        }
    }

    /** What happened. {@code ok()} when nothing was corrupt or lost. */
    public record Result(int threads, long ops, long mallocs, long frees, long remoteFrees, long corrupt,
                         AuditReport audit, List<String> problems, double seconds) {
        public long lost() {
            return audit.liveBlocks();
        }

        public boolean ok() {
            return corrupt == 0 && audit.balanced(0);
        }

        public double remotePct() {
            return frees == 0 ? 0 : 100.0 * remoteFrees / frees;
        }

        public String line(String strategy) {
            String head = ok() ? "stress: ok" : "stress: FAILED";
            String s = String.format("%s strategy=%s threads=%d ops=%d remote=%.1f%% blocks=%d lost=%d corrupt=%d"
                            + " seconds=%.1f", head, strategy, threads, ops, remotePct(), audit.carvedBlocks(), lost(),
                    corrupt, seconds);
            if (!ok()) s += " duplicates=" + audit.duplicateFrees() + " stray=" + audit.strayBlocks();
            return s;
        }
    }

    private static final int BATCH = 32;
    private static final int MAX_PROBLEMS = 10;

    private final HakoAllocator hako;
    private final Options o;
    private final ConcurrentLinkedQueue<long[]>[] inboxes;
    private final AtomicLong mallocs = new AtomicLong(), frees = new AtomicLong(), remote = new AtomicLong(),
            corrupt = new AtomicLong(), ops = new AtomicLong();
    private final List<String> problems = new ArrayList<>();
    private final AtomicInteger finishedSending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @SuppressWarnings("unchecked")
    public StressRun(HakoAllocator hako, Options options) {
        this.hako = hako;
        this.o = options;
        this.inboxes = new ConcurrentLinkedQueue[options.threads()];
        for (int i = 0; i < inboxes.length; i++) inboxes[i] = new ConcurrentLinkedQueue<>();
    }

    public Result run() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = o.opsPerThread() > 0 ? Long.MAX_VALUE : start + (long) (o.seconds() * 1e9);
        CountDownLatch done = new CountDownLatch(o.threads());
        List<Thread> drivers = new ArrayList<>();
        for (int w = 0; w < o.threads(); w++) {
            Worker worker = new Worker(w, deadline);
            // Each worker's state survives thread churn: a driver thread runs it in generations, each a new thread.
            Thread driver = Thread.ofPlatform().name("stress-driver-" + w).start(() -> {
                try {
                    worker.runGenerations();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
            drivers.add(driver);
        }
        for (Thread t : drivers) t.join();
        if (failure.get() != null) {
            throw new IllegalStateException("stress worker failed: " + failure.get(), failure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        hako.flushDeadThreads();
        AuditReport audit = hako.audit();
        return new Result(o.threads(), ops.get(), mallocs.get(), frees.get(), remote.get(), corrupt.get(), audit,
                List.copyOf(problems), seconds);
    }

    private void problem(String what) {
        corrupt.incrementAndGet();
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) problems.add(what);
        }
    }

    private final class Worker {
        final int id;
        final long deadline;
        final long[] address, size;
        final long[][] outgoing;
        final int[] outgoingCount;
        long rng;
        long done;

        Worker(int id, long deadline) {
            this.id = id;
            this.deadline = deadline;
            this.address = new long[o.slots()];
            this.size = new long[o.slots()];
            this.outgoing = new long[o.threads()][BATCH * 3];
            this.outgoingCount = new int[o.threads()];
            this.rng = o.seed() * 0x9E3779B97F4A7C15L + id + 1;
        }

        long next() { // xorshift64*
            rng ^= rng >>> 12;
            rng ^= rng << 25;
            rng ^= rng >>> 27;
            return rng * 0x2545F4914F6CDD1DL;
        }

        long below(long bound) {
            return Long.remainderUnsigned(next(), bound);
        }

        void runGenerations() throws InterruptedException {
            boolean more = true;
            while (more) {
                boolean[] result = new boolean[1];
                Runnable generation = () -> result[0] = runSome();
                Thread t = o.virtualThreads() ? Thread.ofVirtual().start(generation)
                        : Thread.ofPlatform().name("stress-" + id).start(generation);
                t.join();
                more = result[0];
            }
            // Last generation: give everything back, then wait for every sender and drain what arrives.
            Thread last = Thread.ofPlatform().name("stress-" + id + "-final").start(this::finish);
            last.join();
        }

        /** Runs ops until the churn budget, the op budget or the deadline; returns whether more ops remain. */
        boolean runSome() {
            Heap heap = hako.heap();
            long budget = o.churnOps() > 0 ? o.churnOps() : Long.MAX_VALUE;
            try {
                for (long i = 0; i < budget; i++) {
                    if (o.opsPerThread() > 0 ? done >= o.opsPerThread() : System.nanoTime() >= deadline) return false;
                    if ((done & 63) == 0) drainInbox(heap);
                    step(heap);
                    done++;
                    ops.incrementAndGet();
                }
                return true;
            } finally {
                sendAll();
            }
        }

        void step(Heap heap) {
            int slot = (int) below(o.slots());
            if (address[slot] != 0) {
                release(heap, slot);
                return;
            }
            long s = o.large() && below(50) == 0 ? 65_537 + below(1 << 20)
                    : o.minSize() + below(o.maxSize() - o.minSize() + 1);
            long kind = below(100);
            long a;
            if (kind < 5) { // calloc: must read as zero even when the block is reused
                a = heap.calloc(1, s);
                long bad = BlockPattern.verifyZero(a, s);
                if (bad >= 0) problem(String.format("calloc block 0x%x size %d not zero at +%d", a, s, bad));
            } else if (kind < 10) { // the static-style path through the allocator (ThreadLocal lookup)
                a = hako.malloc(s);
            } else {
                a = heap.malloc(s);
            }
            mallocs.incrementAndGet();
            if (heap.usableSize(a) < s) problem(String.format("usable size of 0x%x below %d", a, s));
            BlockPattern.fill(a, s, id);
            address[slot] = a;
            size[slot] = s;
        }

        void release(Heap heap, int slot) {
            long a = address[slot], s = size[slot];
            address[slot] = 0;
            long kind = below(100);
            if (kind < 3) { // realloc keeps the contents up to the smaller size
                long ns = o.minSize() + below(o.maxSize() - o.minSize() + 1);
                long bad = BlockPattern.verify(a, s, id);
                if (bad >= 0) problem(String.format("block 0x%x size %d corrupt at +%d before realloc", a, s, bad));
                long b = heap.realloc(a, ns);
                long keep = Math.min(s, ns) & ~7L;
                long kept = keep == 0 ? -1 : BlockPattern.verifyPrefix(b, a, s, id, keep);
                if (kept >= 0) problem(String.format("realloc 0x%x -> 0x%x lost contents at +%d", a, b, kept));
                BlockPattern.fill(b, ns, id);
                address[slot] = b;
                size[slot] = ns;
                return;
            }
            if (o.threads() > 1 && kind < 3 + o.remotePct() * 97L / 100) {
                int to = (int) below(o.threads() - 1);
                if (to >= id) to++;
                long[] out = outgoing[to];
                int n = outgoingCount[to];
                out[n] = a;
                out[n + 1] = s;
                out[n + 2] = id;
                outgoingCount[to] = n += 3;
                if (n == out.length) send(to);
                return;
            }
            verifyAndFree(heap, a, s, id, false);
        }

        void verifyAndFree(Heap heap, long a, long s, int owner, boolean remoteFree) {
            long bad = BlockPattern.verify(a, s, owner);
            if (bad >= 0) problem(String.format("block 0x%x size %d of worker %d corrupt at +%d", a, s, owner, bad));
            heap.free(a);
            frees.incrementAndGet();
            if (remoteFree) remote.incrementAndGet();
        }

        void send(int to) {
            int n = outgoingCount[to];
            if (n == 0) return;
            inboxes[to].add(java.util.Arrays.copyOf(outgoing[to], n));
            outgoingCount[to] = 0;
        }

        void sendAll() {
            for (int t = 0; t < o.threads(); t++) send(t);
        }

        void drainInbox(Heap heap) {
            long[] batch;
            while ((batch = inboxes[id].poll()) != null) {
                for (int i = 0; i < batch.length; i += 3) verifyAndFree(heap, batch[i], batch[i + 1], (int) batch[i + 2], true);
            }
        }

        void finish() {
            Heap heap = hako.heap();
            for (int slot = 0; slot < address.length; slot++) {
                if (address[slot] != 0) {
                    verifyAndFree(heap, address[slot], size[slot], id, false);
                    address[slot] = 0;
                }
            }
            sendAll();
            finishedSending.incrementAndGet();
            while (finishedSending.get() < o.threads()) {
                drainInbox(heap);
                Thread.onSpinWait();
            }
            drainInbox(heap);
        }
    }
}
