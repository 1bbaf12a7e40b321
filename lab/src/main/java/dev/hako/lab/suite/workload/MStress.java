package dev.hako.lab.suite.workload;

import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;
import dev.hako.lab.suite.Figure;
import dev.hako.lab.suite.Outcome;
import dev.hako.lab.suite.Workload;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * After mimalloc's stress test (mimalloc-bench's mstressN: {@code mstress N 50 25}): in each round N new threads
 * run, thread t doing {@code 100 x load x (t mod 8 + 1)} allocations (so some threads work 8 times as much as
 * others) of 1..16 words, plus half as many longer-lived "retained" ones of 1..64 words; about 1 % of all
 * allocations are 100x larger, a tenth of those 1000x and a hundredth 10000x (up to 5 MiB). As it goes, a thread
 * frees random blocks of its own and swaps random blocks with a shared transfer array of 1000 slots, so blocks
 * migrate between threads and outlive the threads that allocated them. After each round the main thread frees
 * about half of the transfer array (all of it after the last round). Every word of every block is written at
 * allocation and checked before the block is freed (the block's first word gives its size). Reports the time.
 */
public final class MStress implements Workload {
    public static final String NAME = "mstress";
    static final int TRANSFERS = 1000;
    /** The per-thread load at full size (mimalloc-bench passes 50). */
    static final int LOAD = 400;
    /** Rounds of fresh threads (mimalloc-bench passes 25). */
    static final int ROUNDS = 25;
    private static final long COOKIE = 0x6A09E667F3BCC908L;
    /** The largest block: 64 words x 10000. */
    private static final long MAX_ITEMS = 64L * 10_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "rounds of fresh threads with uneven loads, random lifetimes, rare 5 MiB blocks, blocks swapped"
                + " between threads through a shared array (mimalloc stress)";
    }

    @Override
    public Figure figure() {
        return Figure.TIME_S;
    }

    @Override
    public Outcome run(AddressPeer peer, int threads, double scale) throws InterruptedException {
        int load = Scale.count(LOAD, scale);
        AtomicLongArray transfer = new AtomicLongArray(TRANSFERS);
        AtomicLong ops = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        Rng rng = new Rng(43 * 43);
        long start = System.nanoTime();
        try (AddressHandle main = peer.open(threads)) {
            for (int round = 0; round < ROUNDS; round++) {
                Team.run(NAME, threads, t -> {
                    try (AddressHandle h = peer.open(t)) {
                        stress(h, t, load, transfer, ops, checked);
                    }
                });
                boolean last = round == ROUNDS - 1;
                long freed = 0;
                for (int i = 0; i < TRANSFERS; i++) {
                    if (last || rng.chance(50)) {
                        long p = transfer.getAndSet(i, 0);
                        if (p != 0) {
                            freeItems(main, p);
                            freed++;
                        }
                    }
                }
                ops.addAndGet(freed);
                checked.addAndGet(freed);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(seconds, ops.get(), checked.get());
    }

    private static void stress(AddressHandle h, int t, int load, AtomicLongArray transfer, AtomicLong opsOut,
                               AtomicLong checkedOut) {
        Rng r = new Rng((t + 1) * 43L);
        long allocs = 100L * load * (t % 8 + 1);
        long retain = allocs / 2;
        long[] data = new long[1024];
        int dataTop = 0;
        long[] retained = new long[(int) retain];
        int retainTop = 0;
        long ops = 0, checked = 0;
        while (allocs > 0 || retain > 0) {
            if (retain == 0 || (allocs > 0 && r.chance(50))) {
                allocs--;
                if (dataTop == data.length) data = Arrays.copyOf(data, data.length * 2);
                data[dataTop++] = allocItems(h, 1L << r.nextInt(5), r);
            } else {
                retained[retainTop++] = allocItems(h, 1L << r.nextInt(7), r);
                retain--;
            }
            ops++;
            if (dataTop > 0 && r.chance(66)) {
                int i = r.nextInt(dataTop);
                if (data[i] != 0) {
                    freeItems(h, data[i]);
                    ops++;
                    checked++;
                }
                data[i] = 0;
            }
            if (dataTop > 0 && r.chance(25)) {
                int i = r.nextInt(dataTop);
                data[i] = transfer.getAndSet(r.nextInt(TRANSFERS), data[i]);
            }
        }
        for (int i = 0; i < retainTop; i++) {
            freeItems(h, retained[i]);
            ops++;
            checked++;
        }
        for (int i = 0; i < dataTop; i++) {
            if (data[i] != 0) {
                freeItems(h, data[i]);
                ops++;
                checked++;
            }
        }
        opsOut.addAndGet(ops);
        checkedOut.addAndGet(checked);
    }

    private static long allocItems(AddressHandle h, long items, Rng r) {
        if (r.chance(1)) {
            if (r.chance(1)) items *= 10_000;
            else if (r.chance(10)) items *= 1000;
            else items *= 100;
        }
        long p = Mem.malloc(h, items * 8);
        long head = COOKIE ^ (items << 24);
        for (long i = 0; i < items; i++) Mem.putLong(p + (i << 3), head ^ i);
        return p;
    }

    private static void freeItems(AddressHandle h, long p) {
        long head = Mem.getLong(p);
        long items = (head ^ COOKIE) >>> 24;
        if (items < 1 || items > MAX_ITEMS || ((head ^ COOKIE) & 0xFFFFFF) != 0) {
            throw new BlockCheckException(NAME, "size word written at allocation", p, 8, 0);
        }
        for (long i = 1; i < items; i++) {
            if (Mem.getLong(p + (i << 3)) != (head ^ i)) {
                throw new BlockCheckException(NAME, "words written at allocation", p, items * 8, i << 3);
            }
        }
        h.free(p);
    }
}
