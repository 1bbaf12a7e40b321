package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.concurrent.CountDownLatch;

/**
 * After glibc's bench-malloc-thread: each thread keeps 1024 slots and, for a fixed time, replaces the block in a
 * pseudo-random slot with a new one of a pseudo-random size between 4 and 32768 bytes drawn from an inverse-square
 * distribution (most blocks are small). The slot and size sequences are fixed tables, the same for every thread,
 * as the original's. Every new block is filled whole (mimalloc-bench's version writes every byte) and checked
 * before it is freed. Reports iterations (one free and one malloc each) per second.
 */
public final class GlibcThread implements Workload {
    public static final String NAME = "glibc-thread";
    static final int WORKING_SET = 1024;
    static final int MIN_SIZE = 4;
    static final int MAX_SIZE = 32768;
    /** The run time at full size (the original runs 2 s). */
    static final double SECONDS = 2.5;
    private static final int[] SIZES = sizes(8000, 88);
    private static final int[] SLOTS = slots(4 * WORKING_SET, 89);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per thread 1024 slots, random replacement, sizes 4..32768 B inverse-square, for a fixed time"
                + " (glibc bench-malloc-thread)";
    }

    @Override
    public Figure figure() {
        return Figure.OPS_PER_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        long duration = Scale.nanos(SECONDS, scale);
        long[] iterations = new long[threads];
        long[] checked = new long[threads];
        CountDownLatch go = new CountDownLatch(1);
        StopFlag stop = new StopFlag();
        Team team = new Team().startAll(NAME, threads, t -> {
            try (AddressHandle h = peer.open(t)) {
                go.await();
                worker(h, stop, t, iterations, checked);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(duration / 1_000_000, (int) (duration % 1_000_000));
        stop.set();
        double seconds = (System.nanoTime() - start) / 1e9;
        team.join();
        return new Outcome(seconds, Team.sum(iterations), Team.sum(checked));
    }

    private static void worker(AddressHandle h, StopFlag stop, int t, long[] iterationsOut, long[] checkedOut) {
        long[] addr = new long[WORKING_SET];
        int[] size = new int[WORKING_SET];
        long[] seed = new long[WORKING_SET];
        long next = (long) t << 48;
        int si = 0, oi = 0;
        long iterations = 0, checked = 0;
        while (!stop.isSet()) {
            int i = SLOTS[oi];
            oi = oi + 1 == SLOTS.length ? 0 : oi + 1;
            int s = SIZES[si];
            si = si + 1 == SIZES.length ? 0 : si + 1;
            if (addr[i] != 0) {
                Mem.checkFill(NAME, addr[i], size[i], seed[i]);
                h.free(addr[i]);
                checked++;
            }
            long p = Mem.malloc(h, s);
            Mem.fill(p, s, next);
            addr[i] = p;
            size[i] = s;
            seed[i] = next++;
            iterations++;
        }
        for (int i = 0; i < WORKING_SET; i++) {
            if (addr[i] != 0) {
                Mem.checkFill(NAME, addr[i], size[i], seed[i]);
                h.free(addr[i]);
                checked++;
            }
        }
        iterationsOut[t] = iterations;
        checkedOut[t] = checked;
    }

    /** Sizes with density proportional to 1/size^2 on [MIN_SIZE, MAX_SIZE] (inverse transform sampling). */
    static int[] sizes(int n, long seed) {
        Rng rng = new Rng(seed);
        double a = 1.0 / MIN_SIZE, b = 1.0 / MAX_SIZE;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = (int) Math.min(MAX_SIZE, 1.0 / (a - rng.nextDouble() * (a - b)));
        return s;
    }

    private static int[] slots(int n, long seed) {
        Rng rng = new Rng(seed);
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = rng.nextInt(WORKING_SET);
        return s;
    }
}
