package dev.hako.lab.suite.workload;

/**
 * cache-scratch (passive false sharing): the main thread allocates one tiny object per thread, side by side, and
 * hands them out; each thread frees the one it got, then allocates, writes and frees its own objects. An allocator
 * that reuses the freed neighbour objects for the threads' new ones keeps them on one cache line.
 */
public final class CacheScratch extends CacheLines {
    public static final String NAME = "cache-scratch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "passive false sharing: threads free neighbouring 1-byte objects handed out by main, then"
                + " allocate and write their own (Hoard cache-scratch)";
    }

    @Override
    boolean handsOutFirstObjects() {
        return true;
    }
}
