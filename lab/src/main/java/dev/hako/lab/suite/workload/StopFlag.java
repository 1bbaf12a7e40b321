package dev.hako.lab.suite.workload;

/** The flag that ends a fixed-time run; workers read it once per operation. */
final class StopFlag {
    private volatile boolean set;

    void set() {
        set = true;
    }

    boolean isSet() {
        return set;
    }
}
