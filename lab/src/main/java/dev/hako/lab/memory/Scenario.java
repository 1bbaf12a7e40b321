package dev.hako.lab.memory;

import dev.hako.lab.bench.BenchResult;
import dev.hako.lab.bench.BenchRun;
import dev.hako.lab.peers.AddressHandle;
import dev.hako.lab.peers.AddressPeer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a program does to memory, one scenario per constant. {@link #work} does the work and returns when it has
 * ended (every block freed); threads that the scenario keeps alive and idle for the measurement come back in the
 * {@link Outcome}, to be let go afterwards. No thread closes its handle: like most programs, none calls
 * {@code Heap.close()}.
 */
public enum Scenario {
    BURST("one thread allocates random sizes 16 B..64 KiB (1 GiB), writes every page, frees all; it stays alive") {
        @Override
        Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) {
            AddressHandle h = peer.open(0);
            long head = Blocks.allocate(h, new SplittableRandom(RANDOM_SEED), 16, sizes.burstMaxSize(), sizes.burstBytes(), 0);
            checkpoint.at("allocated");
            Blocks.freeAll(h, head);
            return Outcome.DONE;
        }
    },
    PHASE("one thread: 512 MiB of 64 B blocks, all freed, then 512 MiB of 1 KiB blocks, all freed (peak RSS is the"
            + " figure: can the 64 B pages serve 1 KiB blocks?)") {
        @Override
        Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) {
            AddressHandle h = peer.open(0);
            SplittableRandom random = new SplittableRandom(RANDOM_SEED);
            long head = Blocks.allocate(h, random, 64, 64, sizes.phaseBytes(), 0);
            Blocks.freeAll(h, head);
            checkpoint.at("small_freed");
            head = Blocks.allocate(h, random, 1024, 1024, sizes.phaseBytes(), 0);
            checkpoint.at("large_allocated");
            Blocks.freeAll(h, head);
            return Outcome.DONE;
        }
    },
    HANDOFF("a producer allocates 512 MiB of 16 B..1 KiB blocks, then hands them in 1 MiB batches to a consumer that"
            + " frees them (remote frees); afterwards both threads stay alive and idle") {
        @Override
        Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) throws InterruptedException {
            return handoff(peer, sizes, checkpoint);
        }
    },
    CHURN("short-lived platform threads (3,000, 8 alive at a time), each allocates 16 B..4 KiB blocks (8 MiB),"
            + " writes, frees them and ends without closing its heap") {
        @Override
        Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) throws InterruptedException {
            return churn(peer, sizes);
        }
    },
    SEED("the seed's benchmark at T=4 R=90 (2,500,000 iterations, ring 2097152; one run, no warm-up): peak RSS and"
            + " throughput; its rings are Java arrays (64 MiB at full size, in every allocator's figure)") {
        @Override
        Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) {
            BenchResult r = BenchRun.run(sizes.seed(), peer);
            if (r.total().allocFailures() > 0) {
                throw new IllegalStateException("the benchmark saw " + r.total().allocFailures() + " failed mallocs");
            }
            return new Outcome(r.itersPerSecond(), () -> {});
        }
    };

    static final long RANDOM_SEED = 0x5EEDL;
    static final long HANDOFF_BATCH = 1L << 20;
    static final int HANDOFF_QUEUE = 8;
    private static final long POLL_MILLIS = 20;

    private final String description;

    Scenario(String description) {
        this.description = description;
    }

    /** The name given to {@code --scenario}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** @throws IllegalArgumentException naming the known scenarios */
    public static Scenario of(String id) {
        for (Scenario s : values()) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown scenario '" + id + "' (known: " + ids() + ", all)");
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Scenario::id).toList());
    }

    /** Does the work; returns once every block is freed. */
    abstract Outcome work(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) throws InterruptedException;

    /** A moment worth a look at the allocator's gauges (Hako prints them; others ignore it). */
    @FunctionalInterface
    interface Checkpoint {
        void at(String label);
    }

    /**
     * @param itersPerSecond the benchmark's throughput (seed), NaN otherwise
     * @param release        lets the threads the scenario kept alive end, and joins them
     */
    record Outcome(double itersPerSecond, Release release) {
        static final Outcome DONE = new Outcome(Double.NaN, () -> {});
    }

    @FunctionalInterface
    interface Release {
        void run() throws InterruptedException;
    }

    private static Outcome handoff(AddressPeer peer, Sizes sizes, Checkpoint checkpoint) throws InterruptedException {
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(HANDOFF_QUEUE);
        AtomicBoolean produced = new AtomicBoolean(), stopped = new AtomicBoolean();
        CountDownLatch consumed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long batch = Math.min(HANDOFF_BATCH, sizes.handoffBytes());
        Thread producer = Thread.ofPlatform().name("handoff-producer").start(() -> {
            try {
                AddressHandle h = peer.open(0);
                SplittableRandom random = new SplittableRandom(RANDOM_SEED);
                List<Long> batches = new ArrayList<>();
                for (long made = 0; made < sizes.handoffBytes(); made += batch) {
                    batches.add(Blocks.allocate(h, random, 16, 1024, batch, 0));
                }
                checkpoint.at("allocated");
                for (Long head : batches) {
                    while (!queue.offer(head, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                        if (stopped.get()) return; // the consumer failed
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                produced.set(true);
                awaitQuietly(release);
            }
        });
        Thread consumer = Thread.ofPlatform().name("handoff-consumer").start(() -> {
            try {
                AddressHandle h = peer.open(1);
                while (true) {
                    Long head = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (head != null) Blocks.freeAll(h, head);
                    else if (produced.get() && queue.isEmpty()) break; // the producer offers before it says done
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stopped.set(true);
            } finally {
                consumed.countDown();
                awaitQuietly(release);
            }
        });
        consumed.await();
        Release let = () -> {
            release.countDown();
            producer.join();
            consumer.join();
        };
        if (failure.get() != null) {
            let.run();
            throw new IllegalStateException("handoff failed: " + failure.get(), failure.get());
        }
        return new Outcome(Double.NaN, let);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Outcome churn(AddressPeer peer, Sizes sizes) throws InterruptedException {
        Semaphore alive = new Semaphore(sizes.churnAlive());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> last = new ArrayList<>();
        for (int i = 0; i < sizes.churnThreads() && failure.get() == null; i++) {
            alive.acquire();
            int index = i;
            Thread t = Thread.ofPlatform().name("churn-" + i).unstarted(() -> {
                try {
                    AddressHandle h = peer.open(index);
                    long head = Blocks.allocate(h, new SplittableRandom(RANDOM_SEED + index), 16, 4096, sizes.churnBytes(), 0);
                    Blocks.freeAll(h, head);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    alive.release();
                }
            });
            t.start();
            if (i >= sizes.churnThreads() - sizes.churnAlive()) last.add(t);
        }
        alive.acquire(sizes.churnAlive());
        for (Thread t : last) t.join(); // the work has ended when the last threads are gone, not just done
        if (failure.get() != null) throw new IllegalStateException("churn failed: " + failure.get(), failure.get());
        return Outcome.DONE;
    }
}
