package dev.hako.lab.suite.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Runs a body on N platform threads and waits for them; a failure in any thread fails the run. */
final class Team {
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();

    /** Starts {@code body.accept(i)} on a new platform thread named {@code name-i}. */
    Team start(String name, int i, IntConsumer body) {
        Thread t = Thread.ofPlatform().name(name + "-" + i).unstarted(() -> {
            try {
                body.accept(i);
            } catch (Throwable e) {
                fail(e);
            }
        });
        threads.add(t);
        t.start();
        return this;
    }

    /** Starts {@code body.accept(0..n-1)} on {@code n} threads. */
    Team startAll(String name, int n, IntConsumer body) {
        for (int i = 0; i < n; i++) start(name, i, body);
        return this;
    }

    /** Records a failure of a thread this team did not start (e.g. a chained successor). */
    synchronized void fail(Throwable e) {
        failures.add(e);
    }

    synchronized boolean failed() {
        return !failures.isEmpty();
    }

    /**
     * Joins every thread started so far, then rethrows the first failure (a {@link BlockCheckException} first:
     * that is the finding; other threads may have failed only because of it).
     */
    void join() throws InterruptedException {
        for (Thread t : threads) t.join();
        rethrow();
    }

    synchronized void rethrow() {
        if (failures.isEmpty()) return;
        Throwable first = failures.stream().filter(f -> f instanceof BlockCheckException).findFirst()
                .orElse(failures.getFirst());
        if (first instanceof RuntimeException r) throw r;
        if (first instanceof Error e) throw e;
        throw new IllegalStateException(first);
    }

    /** Runs {@code body} on {@code n} threads and waits for them. */
    static void run(String name, int n, IntConsumer body) throws InterruptedException {
        new Team().startAll(name, n, body).join();
    }

    /** The sum of per-thread counters. */
    static long sum(long[] perThread) {
        long s = 0;
        for (long x : perThread) s += x;
        return s;
    }
}
