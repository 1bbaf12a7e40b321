package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.CountDownLatch;

/**
 * After Larson and Krishnan's server simulation (mimalloc-bench's larsonN: {@code larson 5 8 1000 5000 100 4141 N}):
 * the main thread allocates 5000 blocks per thread (8..1000 bytes), shuffles them and churns them a while; then each
 * thread takes its share of the slots and, for a fixed time, frees a random slot's block and allocates a new one.
 * After 100 rounds of its slots a thread starts a successor with the same slots and exits, so blocks allocated by
 * a thread that has ended are freed by its successor (what the paper calls bleeding). Every block carries a tag in
 * its first 8 bytes and its last byte (the original writes its first two bytes), checked before it is freed.
 * Reports allocations per second.
 */
public final class Larson implements Workload {
    public static final String NAME = "larson";
    static final int MIN_SIZE = 8;
    static final int MAX_SIZE = 1000;
    static final int CHUNKS_PER_THREAD = 5000;
    static final int ROUNDS = 100;
    /** The run time at full size (mimalloc-bench runs 5 s). */
    static final double SECONDS = 2.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "server churn, 8..1000 B, threads hand their slots to a successor thread every 500,000 ops"
                + " (Larson & Krishnan)";
    }

    @Override
    public Figure figure() {
        return Figure.OPS_PER_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        long duration = Scale.nanos(SECONDS, scale);
        int chunks = threads * CHUNKS_PER_THREAD;
        long[] addr = new long[chunks];
        int[] size = new int[chunks];
        long[] tag = new long[chunks];
        Rng main = new Rng(4141);
        try (AddressHandle h = peer.open(threads)) {
            warmUp(h, main, addr, size, tag);
            StopFlag stop = new StopFlag();
            CountDownLatch ended = new CountDownLatch(threads);
            Team team = new Team();
            Slots[] slots = new Slots[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                slots[t] = new Slots(peer, t, t * CHUNKS_PER_THREAD, addr, size, tag, main.nextLong(), stop, ended,
                        team);
                slots[t].startSuccessor();
            }
            Thread.sleep(duration / 1_000_000, (int) (duration % 1_000_000));
            stop.set();
            ended.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            team.rethrow();
            long allocs = 0, checked = 0, generations = 0;
            for (Slots s : slots) {
                allocs += s.allocs;
                checked += s.allocs;
                generations += s.generations;
            }
            for (int i = 0; i < chunks; i++) { // untimed clean-up, on the main thread
                Mem.checkTag(NAME, addr[i], size[i], tag[i]);
                h.free(addr[i]);
            }
            if (generations < threads) throw new IllegalStateException("larson: not every slot range ran");
            return new Outcome(seconds, allocs, checked + chunks);
        }
    }

    /** The original's warm-up: allocate every slot, shuffle, then replace 4 x slots random blocks. */
    private static void warmUp(AddressHandle h, Rng rng, long[] addr, int[] size, long[] tag) {
        int n = addr.length;
        for (int i = 0; i < n; i++) allocate(h, rng, addr, size, tag, i);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long a = addr[i]; addr[i] = addr[j]; addr[j] = a;
            int s = size[i]; size[i] = size[j]; size[j] = s;
            long g = tag[i]; tag[i] = tag[j]; tag[j] = g;
        }
        for (int k = 0; k < 4 * n; k++) {
            int i = rng.nextInt(n);
            Mem.checkTag(NAME, addr[i], size[i], tag[i]);
            h.free(addr[i]);
            allocate(h, rng, addr, size, tag, i);
        }
    }

    static void allocate(AddressHandle h, Rng rng, long[] addr, int[] size, long[] tag, int i) {
        int s = MIN_SIZE + rng.nextInt(MAX_SIZE - MIN_SIZE);
        long p = Mem.malloc(h, s);
        long g = rng.nextLong();
        Mem.tag(p, s, g);
        addr[i] = p;
        size[i] = s;
        tag[i] = g;
    }

    /**
     * One thread's share of the slots, worked by a chain of threads: each runs ROUNDS x its slots operations (or
     * until the stop), then starts its successor and exits. Thread start orders the successor after it, so the
     * fields need no further synchronisation.
     */
    private static final class Slots implements Runnable {
        private final AddressPeer peer;
        private final int index;
        private final int from;
        private final long[] addr;
        private final int[] size;
        private final long[] tag;
        private final Rng rng;
        private final StopFlag stop;
        private final CountDownLatch ended;
        private final Team team;
        long allocs;
        long generations;

        Slots(AddressPeer peer, int index, int from, long[] addr, int[] size, long[] tag, long seed,
              StopFlag stop, CountDownLatch ended, Team team) {
            this.peer = peer;
            this.index = index;
            this.from = from;
            this.addr = addr;
            this.size = size;
            this.tag = tag;
            this.rng = new Rng(seed);
            this.stop = stop;
            this.ended = ended;
            this.team = team;
        }

        void startSuccessor() {
            Thread.ofPlatform().name(NAME + "-" + index + "-" + generations).start(this);
        }

        @Override
        public void run() {
            boolean handedOver = false;
            try (AddressHandle h = peer.open(index)) {
                generations++;
                long ops = (long) ROUNDS * CHUNKS_PER_THREAD;
                for (long k = 0; k < ops && !stop.isSet(); k++) {
                    int i = from + rng.nextInt(CHUNKS_PER_THREAD);
                    Mem.checkTag(NAME, addr[i], size[i], tag[i]);
                    h.free(addr[i]);
                    allocate(h, rng, addr, size, tag, i);
                    allocs++;
                }
            } catch (Throwable e) {
                team.fail(e);
                ended.countDown();
                return;
            }
            if (!stop.isSet()) {
                try {
                    startSuccessor();
                    handedOver = true;
                } catch (Throwable e) {
                    team.fail(e);
                }
            }
            if (!handedOver) ended.countDown();
        }
    }
}
