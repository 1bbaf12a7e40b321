package dev.hako;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A second platform thread that runs calls synchronously, so a single-threaded test can make deterministic remote
 * frees. {@link #close()} ends the thread and joins it (it is then dead for the reaper).
 */
final class OtherThread implements AutoCloseable {
    private final LinkedBlockingQueue<Runnable> work = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean done;

    OtherThread(String name) {
        thread = Thread.ofPlatform().name(name).start(() -> {
            while (!done) {
                try {
                    work.take().run();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    <T> T call(Callable<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        work.add(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void run(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    Thread thread() {
        return thread;
    }

    @Override
    public void close() {
        work.add(() -> done = true);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
