package dev.hako.testing;

import dev.hako.testing.Interleavings.Actor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Actors written as straight-line code for {@link Interleavings}: each runs on a worker thread of its own, and the
 * scheduler lets exactly one of them run at a time, from one {@link #pause} to the next. So a step can end inside
 * real code (a callback that pauses, as a remote-free strategy calling back into the heap it files into), and the
 * code in between runs unchanged. Only one thread runs at any time and every hand-over is a park/unpark pair (a
 * happens-before edge), so each run is sequentially consistent and deterministic.
 *
 * <p>A step that must not start yet (it would block on a lock or a monitor another actor holds) is declared with
 * {@link #pauseUntil}: the actor stays disabled until the condition holds, so the real code never spins or blocks.
 * Workers are kept across runs; {@link #close()} ends them.
 */
public final class Fibers implements AutoCloseable {
    private static final ThreadLocal<Worker> CURRENT = new ThreadLocal<>();
    /** A real call that blocks instead of pausing would hang the exploration: fail after this long instead. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<Worker> workers = new ArrayList<>();

    public Fibers(int count) {
        for (int i = 0; i < count; i++) workers.add(new Worker("fiber-" + i));
    }

    /** The thread of worker {@code i} (heaps are attached to it). */
    public Thread thread(int i) {
        return workers.get(i).thread;
    }

    /**
     * Starts a fresh program on worker {@code i}: it runs from its first step when the scheduler first picks it, which
     * it does only once {@code startWhen} holds.
     */
    public Actor actor(int i, BooleanSupplier startWhen, Runnable program) {
        Worker w = workers.get(i);
        if (w.program != null) throw new IllegalStateException("worker " + i + " is still running a program");
        w.failure = null;
        w.aborting = false;
        w.guard = startWhen;
        w.program = program;
        w.done = false;
        return w;
    }

    /** The first failure of an actor's program (an exception or error it threw), or {@code null}. */
    public Throwable failure() {
        for (Worker w : workers) if (w.failure != null) return w.failure;
        return null;
    }

    /**
     * Ends the runs' unfinished programs (after a deadlock or a failed check): each is resumed with a pause that
     * throws, so that real code unwinds through its {@code finally} blocks (locks and monitors are let go).
     */
    public void abandon() {
        for (Worker w : workers) {
            if (w.program == null) continue;
            if (!w.started) {
                w.program = null;
                w.done = true;
                continue;
            }
            w.aborting = true;
            w.guard = null;
            while (w.program != null) w.step();
        }
    }

    /** Ends the current step here (no-op outside a fiber); the next step may run at any time. */
    public static void pause() {
        Worker w = CURRENT.get();
        if (w != null) w.pause(null);
    }

    /** Ends the current step here; the next step runs only once {@code ready} holds (evaluated by the scheduler). */
    public static void pauseUntil(BooleanSupplier ready) {
        Worker w = CURRENT.get();
        if (w != null) w.pause(ready);
    }

    /** Whether the calling thread is a fiber (real code called from a test's own thread runs straight through). */
    public static boolean inFiber() {
        return CURRENT.get() != null;
    }

    @Override
    public void close() {
        abandon();
        for (Worker w : workers) {
            w.shutdown = true;
            LockSupport.unpark(w.thread);
        }
    }

    /** Thrown by a pause while a program is abandoned: an Error, so that no {@code catch (RuntimeException)} eats it. */
    private static final class Abandoned extends Error {
        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    private static final class Worker implements Actor {
        final Thread thread;
        volatile Runnable program;
        volatile BooleanSupplier guard;
        volatile boolean done = true, started, aborting, shutdown;
        volatile Throwable failure;
        /** True while the worker runs; the scheduler waits for it to turn false. */
        volatile boolean running;
        volatile Thread scheduler;

        Worker(String name) {
            thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
        }

        @Override
        public boolean done() {
            return done;
        }

        @Override
        public boolean enabled() {
            BooleanSupplier g = guard;
            return g == null || g.getAsBoolean();
        }

        @Override
        public void step() {
            scheduler = Thread.currentThread();
            running = true;
            LockSupport.unpark(thread);
            long deadline = System.nanoTime() + STUCK_NANOS;
            while (running) {
                LockSupport.parkNanos(this, 1_000_000);
                if (running && System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(thread.getName() + " did not pause within 30 s: a real call"
                            + " blocked (a guard missing?)");
                }
            }
        }

        private void awaitTurn() {
            while (!running && !shutdown) LockSupport.park(this);
        }

        private void yieldTurn() {
            running = false;
            LockSupport.unpark(scheduler);
        }

        void pause(BooleanSupplier ready) {
            if (aborting) throw new Abandoned();
            guard = ready;
            yieldTurn();
            awaitTurn();
            if (aborting) throw new Abandoned();
        }

        private void loop() {
            CURRENT.set(this);
            for (;;) {
                awaitTurn();
                if (shutdown) return;
                Runnable p = program;
                started = true;
                guard = null;
                try {
                    p.run();
                } catch (Abandoned a) {
                    // the run was given up; its state is thrown away
                } catch (Throwable t) {
                    failure = t;
                }
                started = false;
                guard = null;
                done = true;
                program = null;
                yieldTurn();
            }
        }
    }
}
