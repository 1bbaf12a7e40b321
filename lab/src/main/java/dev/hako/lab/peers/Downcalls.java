package dev.hako.lab.peers;

/** Turns what {@code MethodHandle.invokeExact} declares into unchecked exceptions. */
final class Downcalls {
    private Downcalls() {}

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("downcall failed", t);
    }
}
