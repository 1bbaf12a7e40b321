package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

/**
 * After OLogN's alloc-test (in mimalloc-bench as alloc-test1 / alloc-testN): each thread owns a table of slots
 * (2^18 shared out among the threads), fills about half of them, then picks slots with an 80/20 skew applied six
 * levels deep (a few slots are hit constantly, most rarely): an empty slot gets a new block, a full one is freed.
 * Sizes fall in power-of-two classes from 5 to 1024 bytes, each class half as likely as the one below. Every
 * block is filled completely at allocation (the original's "full" memory access mode) and checked completely
 * before it is freed. Reports the time.
 */
public final class AllocTest implements Workload {
    public static final String NAME = "alloc-test";
    /** Slots over all threads, as the original. */
    static final int SLOTS = 1 << 18;
    /** Iterations per thread at full size (the original runs 100 M; scaled to the suite's budget). */
    static final long ITERATIONS = 8_000_000L;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "mixed sizes 5..1024 B with an 80/20 slot skew; blocks filled and checked whole (OLogN alloc-test)";
    }

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        long iterations = Scale.count(ITERATIONS, scale);
        int slots = Math.max(64, SLOTS / threads);
        long[] ops = new long[threads];
        long[] checked = new long[threads];
        long start = System.nanoTime();
        Team.run(NAME, threads, t -> {
            try (AddressHandle h = peer.open(t)) {
                worker(h, t, slots, iterations, ops, checked);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, Team.sum(ops), Team.sum(checked));
    }

    private static void worker(AddressHandle h, int t, int slots, long iterations, long[] opsOut, long[] checkedOut) {
        Rng rng = new Rng(0xA110C000L + t);
        long[] addr = new long[slots];
        int[] size = new int[slots];
        long[] seed = new long[slots];
        long ops = 0, checked = 0;
        for (int i = 0; i < slots; i++) {
            if (rng.nextLong() < 0) {
                allocate(h, rng, addr, size, seed, i);
                ops++;
            }
        }
        for (long it = 0; it < iterations; it++) {
            int i = pick(rng, slots);
            if (addr[i] != 0) {
                Mem.checkFill(NAME, addr[i], size[i], seed[i]);
                h.free(addr[i]);
                addr[i] = 0;
                checked++;
            } else {
                allocate(h, rng, addr, size, seed, i);
            }
            ops++;
        }
        for (int i = 0; i < slots; i++) {
            if (addr[i] != 0) {
                Mem.checkFill(NAME, addr[i], size[i], seed[i]);
                h.free(addr[i]);
                checked++;
                ops++;
            }
        }
        opsOut[t] = ops;
        checkedOut[t] = checked;
    }

    private static void allocate(AddressHandle h, Rng rng, long[] addr, int[] size, long[] seed, int i) {
        int s = size(rng);
        long p = Mem.malloc(h, s);
        long sd = rng.nextLong();
        Mem.fill(p, s, sd);
        addr[i] = p;
        size[i] = s;
        seed[i] = sd;
    }

    /**
     * A slot with an 80/20 skew applied recursively: 80 % of the picks go to the first fifth of the range, and so on
     * six levels down; the other 20 % fall uniformly in the rest of the range at that level.
     */
    static int pick(Rng rng, int slots) {
        double u = rng.nextDouble();
        int lo = 0, len = slots;
        for (int level = 0; level < 6 && len >= 5; level++) {
            int hot = len / 5;
            if (u >= 0.8) {
                lo += hot;
                len -= hot;
                break;
            }
            u /= 0.8;
            len = hot;
        }
        return lo + rng.nextInt(len);
    }

    /** A size in one of the classes (4,8], (8,16], ..., (512,1024], each half as likely as the one below. */
    static int size(Rng rng) {
        long r = rng.nextLong();
        int cls = Math.min(Long.numberOfTrailingZeros(r), 7);
        int lo = 4 << cls;
        return lo + 1 + (int) ((r >>> 16) & (lo - 1));
    }
}
