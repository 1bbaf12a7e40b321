package dev.hako.remote;

import dev.hako.AuditReport;
import dev.hako.HakoAllocator;
import dev.hako.HakoConfig;
import dev.hako.Heap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accounting property for every batching strategy: threads remote-free to each other, threads exit while
 * their buffers (groups, inbox buffer, open parcels) hold blocks, their ids are adopted by later threads, and
 * after everyone has exited and dead threads are flushed every carved block is free exactly once.
 */
class RemoteAccountingTest {
    private static final int THREADS = 6;
    private static final int ROUNDS = 4;
    private static final int PER_ROUND = 1500;

    @ParameterizedTest
    @ValueSource(strings = {"batch", "mailbox0", "mailbox2", "inbox", "parcel"})
    void everyBlockIsFreeExactlyOnceAfterAllThreadsExit(String strategy) throws Exception {
        check(strategy, null, null);
    }

    /**
     * {@code parcel} with limits so small that eviction (2 open parcels for 5 destinations) and the byte budget
     * (4 KiB) ship parcels on most frees, while threads exit with open parcels and their ids are adopted.
     */
    @ParameterizedTest(name = "open {0}, budget {1}")
    @org.junit.jupiter.params.provider.CsvSource({"2, 4k", "1, 0", "256, 64k"})
    void parcelWithSmallLimitsKeepsEveryBlockOnce(String open, String budget) throws Exception {
        check(ParcelRemoteFree.NAME, open, budget);
    }

    private static void check(String strategy, String parcelOpen, String parcelBudget) throws Exception {
        // Exclusive ids for one wave only: the second wave must reap and adopt the first wave's ids (and with them
        // the per-producer state the first wave left behind).
        HakoConfig config = HakoConfig.builder().remote(strategy).arenaBytes(1L << 30).sharedHeaps(2)
                .maxOwners(2 + THREADS).reaperIntervalMillis(5).build();
        if (parcelOpen != null) {
            config = config.toBuilder().parcelOpen(Integer.parseInt(parcelOpen))
                    .parcelBudget(HakoConfig.parseBytes(parcelBudget)).build();
        }
        HakoAllocator created = HakoAllocator.create(config);
        try (HakoAllocator hako = created) {
            @SuppressWarnings("unchecked")
            ConcurrentLinkedQueue<long[]>[] inbox = new ConcurrentLinkedQueue[THREADS];
            for (int i = 0; i < THREADS; i++) inbox[i] = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();

            for (int wave = 0; wave < 2; wave++) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int me = t, seed = wave * 100 + t;
                    threads.add(Thread.ofPlatform().name("acct-" + wave + "-" + t).start(() -> {
                        try {
                            work(hako, inbox, me, seed);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }));
                }
                for (Thread t : threads) t.join();
                assertNull(failure.get(), () -> "worker failed: " + failure.get());
            }
            // A last thread frees what is still in flight between workers, and exits holding buffered blocks too.
            Thread sweeper = Thread.ofPlatform().name("acct-sweeper").start(() -> {
                Heap heap = hako.heap();
                for (ConcurrentLinkedQueue<long[]> q : inbox) {
                    for (long[] batch; (batch = q.poll()) != null; ) for (long b : batch) heap.free(b);
                }
            });
            sweeper.join();

            assertTrue(hako.flushDeadThreads() >= 0);
            AuditReport audit = hako.audit();
            assertTrue(audit.balanced(0), () -> strategy + ": " + audit);
            assertTrue(audit.carvedBlocks() > 0);
            assertEquals(0, audit.liveBlocks());
        }
    }

    /**
     * One worker: each round allocates blocks of mixed classes (small and medium), sends most of them to other
     * workers and frees the rest itself, then frees what others sent it (remote frees). Odd workers exit without
     * closing their heap (the reaper flushes them), even ones close it; odd workers also leave their inbox
     * undrained in the last round, for the next wave or the sweeper.
     */
    private static void work(HakoAllocator hako, ConcurrentLinkedQueue<long[]>[] inbox, int me, int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Heap heap = hako.heap();
        for (int round = 0; round < ROUNDS; round++) {
            long[][] out = new long[THREADS][];
            int[] n = new int[THREADS];
            for (int i = 0; i < THREADS; i++) out[i] = new long[PER_ROUND];
            for (int i = 0; i < PER_ROUND; i++) {
                long size = rnd.nextInt(10) == 0 ? 2049 + rnd.nextInt(30000) : 1 + rnd.nextInt(2048);
                long b = heap.malloc(size);
                int to = rnd.nextInt(10) == 0 ? me : rnd.nextInt(THREADS);
                if (to == me) heap.free(b);
                else out[to][n[to]++] = b;
            }
            for (int i = 0; i < THREADS; i++) if (n[i] > 0) inbox[i].add(java.util.Arrays.copyOf(out[i], n[i]));
            boolean last = round == ROUNDS - 1;
            if (last && (me & 1) == 1) break;
            for (long[] batch; (batch = inbox[me].poll()) != null; ) for (long b : batch) heap.free(b);
        }
        if ((me & 1) == 0) heap.close();
    }
}
