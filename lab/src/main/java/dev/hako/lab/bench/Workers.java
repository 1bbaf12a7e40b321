package dev.hako.lab.bench;

import java.util.function.IntConsumer;

/** Starts one platform thread per worker and times the seed's window: first start to last join. */
final class Workers {
    private Workers() {}

    /**
     * Runs {@code body.accept(i)} on threads {@code bench-0..T-1} and returns the nanoseconds from just before the
     * first start to just after the last join.
     *
     * @throws IllegalStateException if a worker failed (the first failure is the cause)
     */
    static long timed(int threads, IntConsumer body) {
        Thread[] workers = new Thread[threads];
        Throwable[] failures = new Throwable[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().name("bench-" + i).unstarted(() -> {
                try {
                    body.accept(index);
                } catch (Throwable t) {
                    failures[index] = t;
                }
            });
        }
        long start = System.nanoTime();
        for (Thread w : workers) w.start();
        boolean interrupted = false;
        for (Thread w : workers) {
            while (true) {
                try {
                    w.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        if (interrupted) Thread.currentThread().interrupt();
        for (int i = 0; i < threads; i++) {
            if (failures[i] != null) {
                throw new IllegalStateException("worker " + i + " failed: " + failures[i], failures[i]);
            }
        }
        return nanos;
    }
}
