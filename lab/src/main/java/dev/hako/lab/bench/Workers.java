package dev.hako.lab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntConsumer;

/** Starts one platform thread per worker and times the seed's window: first start to last join. */
final class Workers {
    private Workers() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Runs {@code body.accept(i)} on threads {@code bench-0..T-1} and returns the nanoseconds from just before the
     * first start to just after the last join.
     *
     * @param cpuNanos receives each worker's CPU time (of its body), or -1 where the JVM cannot tell; on a
     *                 machine shared with other work, CPU time well below wall time means the workers waited
     *
     * @throws IllegalStateException if a worker failed (the first failure is the cause)
     */
    static long timed(int threads, IntConsumer body, long[] cpuNanos) {
        Thread[] workers = new Thread[threads];
        Throwable[] failures = new Throwable[threads];
        for (int i = 0; i < threads; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().name("bench-" + i).unstarted(() -> {
                try {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    body.accept(index);
                    cpuNanos[index] = cpu < 0 ? -1 : THREADS.getCurrentThreadCpuTime() - cpu;
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
